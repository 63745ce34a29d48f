// Employers: the company profile, posting with every required field, the fee and discrimination screen,
// the lifecycle buttons, and that another employer's job does not exist for them.
import { and, eq } from 'drizzle-orm';
import { applicationEvents, applications, employerProfiles, files, jobs, notifications } from '../src/db/schema';
import { addDays, chinaDate } from '../src/domain/dates';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { fieldError, inputValue } from './helpers/html';
import { expireJobs } from '../src/features/jobs/jobs.service';
import { maintenanceTasks } from '../src/maintenance';
import { jobForm, makeJob, makeProfile, signedInEmployer, validCreditCode } from './helpers/jobs';

let t: TestApp;
let clock = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(() => t.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);

function profileForm(overrides: Record<string, string> = {}) {
  return {
    companyName: '深圳测试电子有限公司',
    creditCode: '9144 0300-7084 6113 6t',
    contactName: '张经理',
    contactPhone: '0755-8882 8155',
    address: '深圳市宝安区沙井街道 1 号',
    intro: '生产手机配件的电子厂,员工 300 人。',
    licenseNo: '',
    ...overrides,
  };
}

async function jobOf(id: number) {
  const [row] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

async function latestJobOf(employerId: number) {
  const rows = await t.ctx.db.select().from(jobs).where(eq(jobs.employerId, employerId)).orderBy(jobs.id);
  return rows[rows.length - 1]!;
}

describe('the company profile', () => {
  it('refuses a wrong credit code with a Chinese error beside it, keeping what was typed', async () => {
    const { client } = await signedIn(t, 'employer');
    const res = await client.upload('/employer/profile', profileForm({ creditCode: '91440300708461136A' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'creditCode')).toContain('校验位不正确');
    expect(inputValue(res.text, 'companyName')).toBe('深圳测试电子有限公司');
    const short = await client.upload('/employer/profile', profileForm({ creditCode: '9144030070846' }));
    expect(fieldError(short.text, 'creditCode')).toContain('18 位');
  });

  it('stores a valid code normalised, and sends a new employer on to posting', async () => {
    const { client, user } = await signedIn(t, 'employer');
    const res = await client.upload('/employer/profile', profileForm());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/employer/jobs/new');
    const [profile] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, user.id));
    expect(profile).toMatchObject({ creditCode: '91440300708461136T', contactPhone: '075588828155' });
  });

  it('requires every field of 用人单位基本情况', async () => {
    const { client } = await signedIn(t, 'employer');
    for (const field of ['companyName', 'contactName', 'contactPhone', 'address', 'intro']) {
      const res = await client.upload('/employer/profile', profileForm({ [field]: '' }));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toMatch(/^请填写/);
    }
  });

  it('refuses an introduction that asks seekers for money', async () => {
    const { client } = await signedIn(t, 'employer');
    const res = await client.upload('/employer/profile', profileForm({ intro: '入职先交押金,包分配工作。' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'intro')).toContain('押金');
  });

  it('keeps the license file private: the owner downloads it, nobody else', async () => {
    const { client, user } = await signedIn(t, 'employer');
    const res = await client.upload('/employer/profile', profileForm({ licenseNo: '440305202300128' }), { field: 'license', content: PNG, filename: '许可证.png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    const [profile] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, user.id));
    const [file] = await t.ctx.db.select().from(files).where(eq(files.id, profile!.licenseFileId!));
    expect(file).toMatchObject({ kind: 'license', ownerId: user.id, mime: 'image/png', originalName: '许可证.png' });
    expect(file!.storageKey.startsWith('license/')).toBe(true);

    const own = await client.agent.get('/employer/profile/license');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.headers['content-disposition']).toContain("filename*=UTF-8''%E8%AE%B8%E5%8F%AF%E8%AF%81.png");

    const anon = await t.client().agent.get('/employer/profile/license');
    expect(anon.status).toBe(302);
    const seeker = (await signedIn(t, 'seeker')).client;
    expect((await seeker.agent.get('/employer/profile/license')).status).toBe(403);
    const other = (await signedIn(t, 'employer')).client;
    expect((await other.agent.get('/employer/profile/license')).status).toBe(404);
    // Nothing of it is under public/ or served statically.
    expect((await t.client().agent.get(`/${file!.storageKey}`)).status).toBe(404);

    // Replacing it removes the old file and its row.
    const again = await client.upload('/employer/profile', profileForm(), { field: 'license', content: PNG, filename: 'new.png', contentType: 'image/png' });
    expect(again.status).toBe(303);
    expect(await t.ctx.db.$count(files, eq(files.id, file!.id))).toBe(0);
    expect(await t.ctx.storage.exists(file!.storageKey)).toBe(false);
  });

  it('refuses a license of the wrong type (by content) or too large, beside the file field', async () => {
    const { client, user } = await signedIn(t, 'employer');
    const fake = await client.upload('/employer/profile', profileForm(), { field: 'license', content: Buffer.from('MZ not an image'), filename: 'license.png', contentType: 'image/png' });
    expect(fake.status).toBe(415);
    expect(fake.text).toContain('仅支持 JPG、PNG、PDF 文件');
    expect(inputValue(fake.text, 'companyName')).toBe('深圳测试电子有限公司');
    const big = await client.upload('/employer/profile', profileForm(), { field: 'license', content: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), filename: 'big.png', contentType: 'image/png' });
    expect(big.status).toBe(413);
    expect(big.text).toContain('文件不能超过 5MB');
    expect(await t.ctx.db.$count(files, eq(files.ownerId, user.id))).toBe(0);
  });

  it('takes the verified badge away when a verified company changes its name', async () => {
    const { client, user } = await signedIn(t, 'employer');
    await client.upload('/employer/profile', profileForm());
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date() }).where(eq(employerProfiles.userId, user.id));
    await client.upload('/employer/profile', profileForm({ contactName: '李经理' }));
    const [kept] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, user.id));
    expect(kept!.verifiedAt).not.toBeNull();
    await client.upload('/employer/profile', profileForm({ companyName: '深圳另一家公司' }));
    const [reset] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, user.id));
    expect(reset!.verifiedAt).toBeNull();
  });
});

describe('posting a job', () => {
  let client: TestClient;
  let employerId: number;

  beforeAll(async () => {
    ({ client, id: employerId } = await signedInEmployer(t));
  });

  it('sends an employer without a complete profile to the profile, with a message', async () => {
    const { client: bare } = await signedIn(t, 'employer');
    const res = await bare.get('/employer/jobs/new');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/employer/profile');
    const profile = await bare.get('/employer/profile');
    expect(profile.text).toContain('发布职位前,请先完善企业资料');
    const post = await bare.post('/employer/jobs/new', jobForm(t.ctx));
    expect(post.status).toBe(303);
    expect(post.headers.location).toBe('/employer/profile');
  });

  it('prefills the contact from the profile and the validity 30 days ahead', async () => {
    const res = await client.get('/employer/jobs/new');
    expect(res.status).toBe(200);
    expect(inputValue(res.text, 'contactName')).toBe('张经理');
    expect(res.text).toContain(`value="${addDays(chinaDate(clock), 30)}"`);
    expect(res.text).toContain('本职位不向求职者收取任何费用');
    // No gender, ethnicity or household-registration fields.
    expect(res.text).not.toMatch(/name="(gender|ethnicity|hukou|nation)"/);
  });

  const required: [string, RegExp][] = [
    ['title', /请填写职位名称/],
    ['type', /请选择职位类型/],
    ['category', /请选择职位类别/],
    ['district', /请选择工作区域/],
    ['address', /请填写详细地址/],
    ['payMin', /请填写最低薪资/],
    ['payUnit', /请选择薪资单位/],
    ['settlement', /请选择结算方式/],
    ['headcount', /招聘人数/],
    ['requirements', /请填写招聘条件/],
    ['description', /请填写工作内容/],
    ['contactName', /请填写联系人/],
    ['contactPhone', /请填写联系电话/],
    ['validUntil', /请填写有效期/],
    ['feeAttested', /请确认本职位不向求职者收取任何费用/],
  ];

  it.each(required)('refuses the form without %s, with the error beside it and the rest kept', async (field, message) => {
    const before = await t.ctx.db.$count(jobs, eq(jobs.employerId, employerId));
    const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { [field]: undefined, title: field === 'title' ? undefined : '仓库分拣员 日结' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, field)).toMatch(message);
    if (field !== 'title') expect(inputValue(res.text, 'title')).toBe('仓库分拣员 日结');
    expect(inputValue(res.text, 'address')).toBe(field === 'address' ? '' : '沙井街道新桥工业园');
    expect(await t.ctx.db.$count(jobs, eq(jobs.employerId, employerId))).toBe(before);
  });

  it('requires both parties of a dispatch job', async () => {
    const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { type: 'dispatch' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dispatchAgencyName')).toBe('劳务派遣职位须填写派遣单位名称');
    expect(fieldError(res.text, 'dispatchAgencyLicense')).toBe('劳务派遣职位须填写劳务派遣经营许可证编号');
    expect(fieldError(res.text, 'worksiteEmployerName')).toBe('劳务派遣职位须填写用工单位名称');
    const ok = await client.post('/employer/jobs/new', jobForm(t.ctx, { type: 'dispatch', dispatchAgencyName: '深圳派遣有限公司', dispatchAgencyLicense: '440305202300128', worksiteEmployerName: '深圳某电子厂' }));
    expect(ok.status).toBe(303);
    expect(await latestJobOf(employerId)).toMatchObject({ type: 'dispatch', dispatchAgencyName: '深圳派遣有限公司', worksiteEmployerName: '深圳某电子厂', status: 'pending' });
  });

  it('checks ranges: pay, age 16-65, dates, validity within 90 days, the phone', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ payMin: '300', payMax: '200' }, 'payMax', /不能低于最低薪资/],
      [{ payMin: '100', payMax: '900' }, 'payMax', /3 倍/],
      [{ payMin: '0' }, 'payMin', /大于 0/],
      [{ payMin: '9000', payUnit: 'day' }, 'payMin', /合理范围/],
      [{ ageMin: '15' }, 'ageMin', /16 到 65/],
      [{ ageMax: '70' }, 'ageMax', /16 到 65/],
      [{ ageMin: '40', ageMax: '30' }, 'ageMax', /最小年龄不能大于最大年龄/],
      [{ startDate: '2026-07-10', endDate: '2026-07-01' }, 'endDate', /结束日期不能早于开始日期/],
      [{ startDate: '2026-02-30' }, 'startDate', /年-月-日/],
      [{ validUntil: addDays(chinaDate(clock), 91) }, 'validUntil', /最长 90 天/],
      [{ validUntil: addDays(chinaDate(clock), -1) }, 'validUntil', /最长 90 天/],
      [{ contactPhone: '12345' }, 'contactPhone', /正确的手机号或座机号/],
      [{ headcount: '0' }, 'headcount', /1 到 9999/],
      [{ title: '工' }, 'title', /至少 2 个字/],
      [{ workplace: '火星' }, 'workplace', /请选择工作场所/],
    ];
    for (const [overrides, field, message] of cases) {
      const res = await client.post('/employer/jobs/new', jobForm(t.ctx, overrides));
      expect([field, res.status]).toEqual([field, 422]);
      expect(fieldError(res.text, field)).toMatch(message);
    }
  });

  it('accepts a complete two-character title such as 保安 (issue 19), and the workplace chosen', async () => {
    for (const title of ['保安', '司机', '搬运工', '快递员']) {
      const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { title, workplace: '写字楼' }));
      expect([title, res.status]).toEqual([title, 303]);
      expect(await latestJobOf(employerId)).toMatchObject({ title, workplace: '写字楼' });
    }
  });

  it('accepts full-width digits and a landline, and stores the daily pay', async () => {
    const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { payMin: '２５', payMax: '２８', payUnit: 'hour', contactPhone: '0755-8882 8155' }));
    expect(res.status).toBe(303);
    expect(await latestJobOf(employerId)).toMatchObject({ payMin: 25, payMax: 28, payUnit: 'hour', payDaily: 200, contactPhone: '075588828155' });
  });

  it('refuses text that asks seekers for money, naming the words, and saves nothing', async () => {
    const before = await t.ctx.db.$count(jobs, eq(jobs.employerId, employerId));
    const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { description: '入职需交押 金 300 元,另收培训费,包分配。', title: '急招打字员 在家可做' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('职位信息含有向求职者收费的内容:「打字员」「押金」「培训费」');
    expect(fieldError(res.text, 'description')).toBe('含有收费内容:「押金」「培训费」');
    expect(fieldError(res.text, 'title')).toBe('含有收费内容:「打字员」');
    expect(await t.ctx.db.$count(jobs, eq(jobs.employerId, employerId))).toBe(before);
  });

  it('accepts a statement that there is no fee', async () => {
    const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { description: '本职位不收押金,无需体检费,工资日结。', action: 'draft' }));
    expect(res.status).toBe(303);
    expect((await latestJobOf(employerId)).status).toBe('draft');
  });

  it('stores discrimination words as flags, and the reviewer sees them', async () => {
    const res = await client.post('/employer/jobs/new', jobForm(t.ctx, { title: '仓库理货员 旗舰店', requirements: '限男性,本地户口优先' }));
    expect(res.status).toBe(303);
    const job = await latestJobOf(employerId);
    expect(job.flaggedWords).toEqual(['限男性', '本地户口']);
    // The employer is told, so they can fix it before the review.
    const mine = await client.get(res.headers.location!);
    expect(mine.text).toContain('职位中含有需人工审核的词语:「限男性」「本地户口」');
    const admin = (await signedIn(t, 'admin')).client;
    const queue = await admin.get('/admin/jobs');
    const start = queue.text.indexOf(`<li class="manage-item is-flagged" id="job-${job.id}">`);
    expect(start).toBeGreaterThan(0);
    const item = queue.text.slice(start, queue.text.indexOf('</li>', start));
    expect(item).toContain('<mark class="flag-word">限男性</mark><mark class="flag-word">本地户口</mark>');
    // A flagged job cannot be bulk-approved: its checkbox is disabled.
    expect(item).toMatch(/name="ids" value="\d+" id="pick-\d+" disabled/);
  });
});

describe('the lifecycle, through the buttons', () => {
  let client: TestClient;
  let admin: TestClient;
  let employerId: number;

  beforeAll(async () => {
    ({ client, id: employerId } = await signedInEmployer(t));
    admin = (await signedIn(t, 'admin')).client;
  });

  it('draft → pending → published → closed → pending (re-open) → published → pending (edited)', async () => {
    await client.post('/employer/jobs/new', jobForm(t.ctx, { action: 'draft', title: '生命周期 测试职位' }));
    const job = await latestJobOf(employerId);
    expect(job.status).toBe('draft');
    expect((await client.get('/employer/jobs?status=draft')).text).toContain('生命周期 测试职位');

    const submitted = await client.post(`/employer/jobs/${job.id}/submit`);
    expect(submitted.status).toBe(303);
    expect(await jobOf(job.id)).toMatchObject({ status: 'pending' });
    expect((await jobOf(job.id)).submittedAt).not.toBeNull();

    expect((await admin.post(`/admin/jobs/${job.id}/approve`)).status).toBe(303);
    expect(await jobOf(job.id)).toMatchObject({ status: 'published' });

    expect((await client.post(`/employer/jobs/${job.id}/close`)).status).toBe(303);
    expect(await jobOf(job.id)).toMatchObject({ status: 'closed' });
    expect((await jobOf(job.id)).closedAt).not.toBeNull();

    expect((await client.post(`/employer/jobs/${job.id}/reopen`)).status).toBe(303);
    expect(await jobOf(job.id)).toMatchObject({ status: 'pending' });
    await admin.post(`/admin/jobs/${job.id}/approve`);
    expect(await jobOf(job.id)).toMatchObject({ status: 'published', closedAt: null });

    const edit = await client.get(`/employer/jobs/${job.id}/edit`);
    expect(edit.text).toContain('保存并重新提交审核');
    const saved = await client.post(`/employer/jobs/${job.id}/edit`, jobForm(t.ctx, { title: '生命周期 测试职位 改', action: 'draft' }));
    expect(saved.status).toBe(303);
    expect(await jobOf(job.id)).toMatchObject({ status: 'pending', title: '生命周期 测试职位 改' });
    // Back in review: the public no longer sees it.
    expect((await t.client().get(`/jobs/${job.id}`)).status).toBe(404);
  });

  it('rejected → edited and re-submitted → pending; the reason is shown to the employer', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '将被驳回的职位' }, 'pending');
    const res = await admin.post(`/admin/jobs/${id}/reject`, { template: '', reason: '薪资描述不清楚' });
    expect(res.status).toBe(303);
    const list = await client.get('/employer/jobs?status=rejected');
    expect(list.text).toContain('未通过原因:</strong>薪资描述不清楚');
    const resubmit = await client.post(`/employer/jobs/${id}/edit`, jobForm(t.ctx, { title: '将被驳回的职位', payMin: '230', action: 'submit' }));
    expect(resubmit.status).toBe(303);
    expect(await jobOf(id)).toMatchObject({ status: 'pending', payMin: 230 });
  });

  it('duplicates a job as a new draft without the no-fee promise', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '被复制的职位' });
    const res = await client.post(`/employer/jobs/${id}/duplicate`);
    expect(res.status).toBe(303);
    const copy = await latestJobOf(employerId);
    expect(copy.id).not.toBe(id);
    expect(res.headers.location).toBe(`/employer/jobs/${copy.id}/edit`);
    expect(copy).toMatchObject({ title: '被复制的职位', status: 'draft', feeAttested: false, publishedAt: null });
    // Submitting the copy without ticking the promise again goes back to the form with the reason.
    const submit = await client.post(`/employer/jobs/${copy.id}/submit`);
    expect(submit.headers.location).toBe(`/employer/jobs/${copy.id}/edit`);
    expect((await client.get(submit.headers.location!)).text).toContain('请在职位表单中确认本职位不向求职者收取任何费用');
    expect((await jobOf(copy.id)).status).toBe('draft');
  });

  it('refuses illegal moves with a 409: approving a draft, closing a pending job, re-opening a published one', async () => {
    const draft = await makeJob(t.ctx, employerId, {}, 'draft');
    const approve = await admin.post(`/admin/jobs/${draft}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.text).toContain('状态为「草稿」的职位不能审核通过');
    const pending = await makeJob(t.ctx, employerId, {}, 'pending');
    const close = await client.post(`/employer/jobs/${pending}/close`);
    expect(close.status).toBe(409);
    expect(close.text).toContain('状态为「待审核」的职位不能关闭');
    const published = await makeJob(t.ctx, employerId);
    expect((await client.post(`/employer/jobs/${published}/reopen`)).status).toBe(409);
    expect((await admin.post(`/admin/jobs/${published}/reject`, { reason: '重复发布' })).status).toBe(409);
    expect(await jobOf(draft)).toMatchObject({ status: 'draft' });
    expect(await jobOf(pending)).toMatchObject({ status: 'pending' });
  });

  it('refuses a fee word added to the list after the draft was saved, at submit time', async () => {
    const id = await makeJob(t.ctx, employerId, { description: '工作轻松,入职送工作服一套。' }, 'draft');
    const staff = await makeUser(t.ctx, 'admin');
    const actor = { id: staff.id, login: staff.login };
    await t.ctx.settings.update({ feeWords: [...(await t.ctx.settings.get()).feeWords, '工作服'] }, actor);
    try {
      const res = await client.post(`/employer/jobs/${id}/submit`);
      expect(res.headers.location).toBe(`/employer/jobs/${id}/edit`);
      expect((await client.get(`/employer/jobs/${id}/edit`)).text).toContain('「工作服」');
      expect((await jobOf(id)).status).toBe('draft');
    } finally {
      await t.ctx.settings.update({ feeWords: (await t.ctx.settings.get()).feeWords.filter((w) => w !== '工作服') }, actor);
    }
  });

  it('closing a job closes its open applications and tells each applicant', async () => {
    const id = await makeJob(t.ctx, employerId, { title: '有人投递的职位' });
    const a = await makeUser(t.ctx, 'seeker');
    const b = await makeUser(t.ctx, 'seeker');
    const c = await makeUser(t.ctx, 'seeker');
    await t.ctx.db.insert(applications).values([
      { jobId: id, seekerId: a.id, status: 'new' },
      { jobId: id, seekerId: b.id, status: 'shortlisted' },
      { jobId: id, seekerId: c.id, status: 'hired' },
    ]);
    const res = await client.post(`/employer/jobs/${id}/close`);
    expect(res.status).toBe(303);
    expect((await client.get(res.headers.location!)).text).toContain('2 份未处理的投递已自动结束');
    const apps = await t.ctx.db.select().from(applications).where(eq(applications.jobId, id)).orderBy(applications.id);
    expect(apps.map((x) => x.status)).toEqual(['closed', 'closed', 'hired']);
    const events = await t.ctx.db.select().from(applicationEvents).where(eq(applicationEvents.toStatus, 'closed'));
    expect(events.filter((e) => apps.slice(0, 2).some((x) => x.id === e.applicationId)).map((e) => e.fromStatus).sort()).toEqual(['new', 'shortlisted']);
    for (const seeker of [a, b]) {
      const [note] = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, seeker.id));
      expect(note).toMatchObject({ kind: 'application.closed', title: '你投递的「有人投递的职位」已结束招聘' });
    }
    expect(await t.ctx.db.$count(notifications, eq(notifications.userId, c.id))).toBe(0);
  });
});

describe("another employer's job", () => {
  it('is a 404 on edit, save, submit, close, re-open, duplicate, and unpublished views', async () => {
    const owner = await signedIn(t, 'employer');
    await makeProfile(t.ctx, owner.user.id);
    const intruder = await signedIn(t, 'employer');
    await makeProfile(t.ctx, intruder.user.id);
    const draft = await makeJob(t.ctx, owner.user.id, { title: '别人的草稿' }, 'draft');
    const published = await makeJob(t.ctx, owner.user.id, { title: '别人的职位' });

    expect((await intruder.client.get(`/employer/jobs/${draft}/edit`)).status).toBe(404);
    expect((await intruder.client.post(`/employer/jobs/${draft}/edit`, jobForm(t.ctx, { title: '被篡改的标题' }))).status).toBe(404);
    for (const action of ['submit', 'duplicate']) expect((await intruder.client.post(`/employer/jobs/${draft}/${action}`)).status).toBe(404);
    expect((await intruder.client.post(`/employer/jobs/${published}/close`)).status).toBe(404);
    expect((await intruder.client.post(`/employer/jobs/${published}/reopen`)).status).toBe(404);
    expect((await intruder.client.get(`/jobs/${draft}`)).status).toBe(404);
    expect((await t.client().get(`/jobs/${draft}`)).status).toBe(404);
    expect((await jobOf(draft)).title).toBe('别人的草稿');
    expect((await jobOf(published)).status).toBe('published');
    expect(await t.ctx.db.$count(jobs, eq(jobs.employerId, intruder.user.id))).toBe(0);

    // The owner and admins see the unpublished job with its status.
    const own = await owner.client.get(`/jobs/${draft}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('该职位当前状态为「草稿」');
    const admin = (await signedIn(t, 'admin')).client;
    expect((await admin.get(`/jobs/${draft}`)).text).toContain('尚未对外公开');
    // Not found either for ids that do not exist or are not numbers.
    expect((await owner.client.get('/employer/jobs/99999999/edit')).status).toBe(404);
    expect((await owner.client.get('/employer/jobs/abc/edit')).status).toBe(404);
  });
});

describe('validity and expiry', () => {
  it('hides a job the day after its validity, before and after the expiry task; re-opening asks for a new date', async () => {
    const owner = await signedIn(t, 'employer');
    await makeProfile(t.ctx, owner.user.id);
    const id = await makeJob(t.ctx, owner.user.id, { title: '即将过期的职位', validUntil: addDays(chinaDate(clock), 2) });
    const anon = t.client();
    expect((await anon.get('/jobs')).text).toContain('即将过期的职位');
    const saved = clock;
    clock = new Date(clock.getTime() + 3 * 86_400_000);
    try {
      expect((await anon.get('/jobs')).text).not.toContain('即将过期的职位');
      const page = await anon.get(`/jobs/${id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('已结束');
      const task = maintenanceTasks().find((m) => m.name === 'job-expiry')!;
      expect(await task.run(t.ctx)).toBeGreaterThanOrEqual(1);
      expect(await expireJobs(t.ctx.db, clock)).toBe(0);
      expect((await jobOf(id)).status).toBe('expired');
      const reopen = await owner.client.post(`/employer/jobs/${id}/reopen`);
      expect(reopen.headers.location).toBe(`/employer/jobs/${id}/edit`);
      expect((await owner.client.get(reopen.headers.location!)).text).toContain('有效期已过,请先修改有效期');
      expect((await jobOf(id)).status).toBe('expired');
      // With a new date, the edit re-submits it.
      const edit = await owner.client.post(`/employer/jobs/${id}/edit`, jobForm(t.ctx, { title: '即将过期的职位', validUntil: addDays(chinaDate(clock), 20) }));
      expect(edit.status).toBe(303);
      expect(await jobOf(id)).toMatchObject({ status: 'pending' });
    } finally {
      clock = saved;
    }
  });
});

describe('the employer dashboard', () => {
  it('counts jobs per status and links to the work', async () => {
    const { client, user } = await signedIn(t, 'employer');
    expect((await client.get('/employer')).text).toContain('请先完善企业资料');
    await makeProfile(t.ctx, user.id, '仪表盘测试公司');
    await makeJob(t.ctx, user.id, {}, 'draft');
    await makeJob(t.ctx, user.id);
    await makeJob(t.ctx, user.id);
    const res = await client.get('/employer');
    expect(res.status).toBe(200);
    expect(res.text).toContain('仪表盘测试公司');
    expect(res.text).toMatch(/<span class="stat-num">2<\/span><span class="stat-label">招聘中<\/span>/);
    expect(res.text).toMatch(/<span class="stat-num">1<\/span><span class="stat-label">草稿<\/span>/);
    expect(res.text).toContain('href="/employer/jobs/new"');
    expect(await t.ctx.db.$count(jobs, and(eq(jobs.employerId, user.id), eq(jobs.status, 'published')))).toBe(2);
  });
});

it('validCreditCode makes codes the form accepts', () => {
  expect(validCreditCode()).toMatch(/^91440300MA5F12345[0-9A-Z]$/);
});
