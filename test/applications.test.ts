// Applications: one-click apply (default, chosen or new resume), consent, refusals and double-submit,
// the seeker's list and withdrawal, the employer's applicants, every status transition, and closing a job.
import { and, asc, eq, sql } from 'drizzle-orm';
import { applicationEvents, applications, consents, files, jobs, notifications, resumes, resumeViews, users } from '../src/db/schema';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../src/domain/vocabulary';
import { canTransition } from '../src/features/applications/applications.rules';
import { closeApplicationsOfJob } from '../src/features/applications/applications.service';
import { listEmployerJobs } from '../src/features/jobs/jobs.queries';
import { saveSeekerProfile } from '../src/features/seekers/seekers.service';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { daysFromToday, insertEmployerProfile, insertPublishedJob, type JobRow } from './helpers/jobFixtures';
import { insertApplication, insertResume, listStoredFiles, samples } from './helpers/resumeFixtures';
import { eventually } from './helpers/wait';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Person = Awaited<ReturnType<typeof signedIn>>;

async function employerWithJob(companyName = '深圳市鹏城电子有限公司', jobOverrides: Partial<JobRow> = {}) {
  const employer = await signedIn(t, 'employer');
  await insertEmployerProfile(t.ctx, employer.user.id, { companyName });
  const job = await insertPublishedJob(t.ctx, employer.user.id, jobOverrides);
  return { employer, job };
}

async function seekerWithResume(): Promise<Person & { resumeId: number }> {
  const seeker = await signedIn(t, 'seeker');
  const resume = await insertResume(t.ctx, seeker.user.id, { name: '张三简历.pdf' });
  return { ...seeker, resumeId: resume.id };
}

/** The apply form as a browser sends it: always multipart (an empty form would not be). */
function apply(client: TestClient, jobId: number, fields: Record<string, string> = {}, file?: { content: Buffer; filename: string }) {
  return client.upload(`/jobs/${jobId}/apply`, { message: '', shareConsent: 'yes', ...fields }, file && { field: 'file', ...file });
}

async function applicationsOf(seekerId: number) {
  return t.ctx.db.select().from(applications).where(eq(applications.seekerId, seekerId)).orderBy(asc(applications.id));
}

async function notificationsOf(userId: number) {
  return t.ctx.db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(asc(notifications.id));
}

async function expectStorageMatchesRows() {
  await eventually(async () => {
    const keys = (await t.ctx.db.select({ key: files.storageKey }).from(files)).map((r) => r.key).sort();
    expect(listStoredFiles(t.ctx.storage.root)).toEqual(keys);
  });
}

describe('applying', () => {
  it('applies in one click with the default resume: the row, its event, consent, lastUsedAt and the employer told', async () => {
    const { employer, job } = await employerWithJob('深圳市一号物流有限公司');
    const seeker = await seekerWithResume();
    const res = await apply(seeker.client, job.id, { message: '明天可以到岗' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me/applications');

    const [app] = await applicationsOf(seeker.user.id);
    expect(app).toMatchObject({ jobId: job.id, resumeId: seeker.resumeId, status: 'new', message: '明天可以到岗' });
    const events = await t.ctx.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app!.id));
    expect(events).toMatchObject([{ fromStatus: null, toStatus: 'new', actorId: seeker.user.id }]);
    const [resume] = await t.ctx.db.select().from(resumes).where(eq(resumes.id, seeker.resumeId));
    expect(resume!.lastUsedAt).toBeInstanceOf(Date);
    const shared = await t.ctx.db.select().from(consents).where(and(eq(consents.userId, seeker.user.id), eq(consents.kind, 'share_with_employer')));
    expect(shared).toMatchObject([{ employerId: employer.user.id, employerName: '深圳市一号物流有限公司' }]);
    expect(await notificationsOf(employer.user.id)).toMatchObject([
      { kind: 'application.new', title: `新的求职者投递了「${job.title}」`, link: `/employer/applications/${app!.id}`, readAt: null },
    ]);

    const mine = await seeker.client.get('/me/applications');
    expect(mine.text).toContain('投递成功');
    expect(mine.text).toContain(job.title);
    expect(mine.text).toContain('深圳市一号物流有限公司');
    expect(mine.text).toContain('220-260元/天');
    expect(mine.text).toContain('status-new">已投递');

    const employerHome = await employer.client.get('/employer/notifications');
    expect(employerHome.text).toContain(`新的求职者投递了「${job.title}」`);
  });

  it('records the consent once per employer: again for a second employer, not for a second job of the first', async () => {
    const first = await employerWithJob('甲公司');
    const second = await employerWithJob('乙公司');
    const firstOther = await insertPublishedJob(t.ctx, first.employer.user.id);
    const seeker = await seekerWithResume();
    for (const jobId of [first.job.id, firstOther.id, second.job.id]) expect((await apply(seeker.client, jobId)).status).toBe(303);
    const shared = await t.ctx.db
      .select({ employerName: consents.employerName })
      .from(consents)
      .where(and(eq(consents.userId, seeker.user.id), eq(consents.kind, 'share_with_employer')))
      .orderBy(asc(consents.id));
    expect(shared).toEqual([{ employerName: '甲公司' }, { employerName: '乙公司' }]);
  });

  it('names the company that will receive the resume and contact details, before submit', async () => {
    const { job } = await employerWithJob('深圳市明示科技有限公司');
    const seeker = await seekerWithResume();
    await saveSeekerProfile(t.ctx.db, seeker.user.id, {
      realName: '张三', gender: null, birthYear: null, phone: '13812345678', district: '', intro: '', desiredTypes: [],
    });
    const page = await seeker.client.get(`/jobs/${job.id}/apply`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/你的在线简历、所选文件和联系方式[^<]*姓名 张三、手机号 13812345678[^<]*将发送给\s*<strong>「深圳市明示科技有限公司」<\/strong>/);
    expect(page.text).toContain('我同意将我的简历及联系方式提供给 深圳市明示科技有限公司');
    expect(page.text).toMatch(new RegExp(`action="/jobs/${job.id}/apply\\?_csrf=[^"]+" enctype="multipart/form-data"`));
    expect(page.text).toContain('张三简历(默认)');
  });

  it('applies with another of the seeker’s resumes, and refuses a resume that is not theirs (422, nothing saved)', async () => {
    const { job } = await employerWithJob();
    const seeker = await seekerWithResume();
    const second = await insertResume(t.ctx, seeker.user.id, { name: '第二份.pdf' });
    const other = await seekerWithResume();
    const refused = await apply(seeker.client, job.id, { resumeId: String(other.resumeId) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('请选择你自己的简历');
    expect(await applicationsOf(seeker.user.id)).toHaveLength(0);
    expect((await apply(seeker.client, job.id, { resumeId: String(second.id) })).status).toBe(303);
    expect((await applicationsOf(seeker.user.id))[0]!.resumeId).toBe(second.id);
  });

  it('applies with a new file sent in the same form: it becomes the seeker’s (default) resume', async () => {
    const { job } = await employerWithJob();
    const seeker = await signedIn(t, 'seeker');
    const res = await apply(seeker.client, job.id, { resumeId: 'new' }, { content: await samples.docx(), filename: '我的简历.docx' });
    expect(res.status).toBe(303);
    const [resume] = await t.ctx.db.select().from(resumes).where(eq(resumes.seekerId, seeker.user.id));
    expect(resume).toMatchObject({ title: '我的简历', isDefault: true });
    expect((await applicationsOf(seeker.user.id))[0]!.resumeId).toBe(resume!.id);
    await expectStorageMatchesRows();
  });

  it('applies with the online resume alone when the seeker has no file (issue 17: a file is optional)', async () => {
    const { job } = await employerWithJob();
    const seeker = await signedIn(t, 'seeker');
    const form = await seeker.client.get(`/jobs/${job.id}/apply`);
    expect(form.text).toContain('不附文件,只发在线简历');
    const res = await apply(seeker.client, job.id, { message: '你好' });
    expect(res.status).toBe(303);
    const [row] = await applicationsOf(seeker.user.id);
    expect(row).toMatchObject({ resumeId: null, hasAttachment: false, message: '你好' });
  });

  it('asks for the file when 上传新简历 was chosen without one (422)', async () => {
    const { job } = await employerWithJob();
    const seeker = await seekerWithResume();
    const res = await apply(seeker.client, job.id, { resumeId: 'new' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('请选择要上传的简历文件');
    expect(await applicationsOf(seeker.user.id)).toHaveLength(0);
  });

  it('refuses a message over 500 characters (422, the text kept)', async () => {
    const { job } = await employerWithJob();
    const seeker = await seekerWithResume();
    const res = await apply(seeker.client, job.id, { message: '长'.repeat(501) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('留言不能超过 500 个字');
    expect(res.text).toContain('长'.repeat(501));
    expect((await apply(seeker.client, job.id, { message: '长'.repeat(500) })).status).toBe(303);
  });

  it('refuses a wrong file type (415) and a file over 5 MB (413) on the apply page, keeping nothing', async () => {
    const { job } = await employerWithJob();
    const seeker = await signedIn(t, 'seeker');
    const wrong = await apply(seeker.client, job.id, { resumeId: 'new' }, { content: samples.exe(), filename: 'cv.pdf' });
    expect(wrong.status).toBe(415);
    expect(wrong.text).toContain('仅支持 PDF、Word、JPG、PNG 文件');
    expect(wrong.text).toContain('确认投递');
    const big = await apply(seeker.client, job.id, { resumeId: 'new' }, { content: Buffer.concat([samples.pdf(), Buffer.alloc(5 * 1024 * 1024)]), filename: 'big.pdf' });
    expect(big.status).toBe(413);
    expect(big.text).toContain('文件不能超过 5MB');
    expect(await applicationsOf(seeker.user.id)).toHaveLength(0);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, seeker.user.id))).toBe(0);
    await expectStorageMatchesRows();
  });

  it.each([
    ['a closed job', { status: 'closed' as const }],
    ['an expired job', { validUntil: daysFromToday(-2) }],
  ])('refuses %s with 409, and keeps no file of an upload sent with it', async (_label, overrides) => {
    const { job } = await employerWithJob('某公司', overrides);
    const seeker = await signedIn(t, 'seeker');
    const res = await apply(seeker.client, job.id, { resumeId: 'new' }, { content: samples.pdf(), filename: 'cv.pdf' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('该职位已结束招聘');
    expect(await applicationsOf(seeker.user.id)).toHaveLength(0);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, seeker.user.id))).toBe(0);
    await expectStorageMatchesRows();
  });

  it.each([['draft'], ['pending'], ['rejected']] as const)('answers 404 for a %s job, and for a job that does not exist', async (status) => {
    const { job } = await employerWithJob('某公司', { status });
    const seeker = await seekerWithResume();
    expect((await apply(seeker.client, job.id)).status).toBe(404);
    expect((await apply(seeker.client, 999999)).status).toBe(404);
    expect((await apply(seeker.client, Number.NaN)).status).toBe(404);
    expect(await applicationsOf(seeker.user.id)).toHaveLength(0);
  });

  it('answers 404 for a job whose employer account is disabled (its jobs are hidden)', async () => {
    const { employer, job } = await employerWithJob();
    await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, employer.user.id));
    const seeker = await seekerWithResume();
    expect((await apply(seeker.client, job.id)).status).toBe(404);
    expect((await seeker.client.get(`/jobs/${job.id}/apply`)).status).toBe(404);
    expect((await seeker.client.post(`/jobs/${job.id}/save`)).status).toBe(404);
    expect(await applicationsOf(seeker.user.id)).toHaveLength(0);
  });

  it('refuses a second application to the same job with 你已经投递过这个职位 (409), an upload with it leaving nothing', async () => {
    const { job } = await employerWithJob();
    const seeker = await seekerWithResume();
    expect((await apply(seeker.client, job.id)).status).toBe(303);
    const again = await apply(seeker.client, job.id);
    expect(again.status).toBe(409);
    expect(again.text).toContain('你已经投递过这个职位');
    const withFile = await apply(seeker.client, job.id, { resumeId: 'new' }, { content: samples.png(), filename: 'again.png' });
    expect(withFile.status).toBe(409);
    expect(await applicationsOf(seeker.user.id)).toHaveLength(1);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, seeker.user.id))).toBe(1);
    await expectStorageMatchesRows();
  });

  it('keeps exactly one application when the same form is submitted twice at once', async () => {
    const { employer, job } = await employerWithJob();
    const seeker = await seekerWithResume();
    await seeker.client.refreshCsrf();
    const results = await Promise.all([apply(seeker.client, job.id), apply(seeker.client, job.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(results.find((r) => r.status === 409)!.text).toContain('你已经投递过这个职位');
    expect(await applicationsOf(seeker.user.id)).toHaveLength(1);
    expect(await notificationsOf(employer.user.id)).toHaveLength(1);
  });

  it('keeps one application, one new resume and no orphan file when two uploads race to apply', async () => {
    const { job } = await employerWithJob();
    const seeker = await signedIn(t, 'seeker');
    await seeker.client.refreshCsrf();
    const results = await Promise.all([
      apply(seeker.client, job.id, { resumeId: 'new' }, { content: samples.pdf(), filename: 'one.pdf' }),
      apply(seeker.client, job.id, { resumeId: 'new' }, { content: samples.pdf(), filename: 'two.pdf' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await applicationsOf(seeker.user.id)).toHaveLength(1);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, seeker.user.id))).toBe(1);
    await expectStorageMatchesRows();
  });

  it('gives an anonymous visitor the quick apply form (issue 17), and refuses employers (403)', async () => {
    const { employer, job } = await employerWithJob();
    const anon = await t.client().get(`/jobs/${job.id}/apply`);
    expect(anon.status).toBe(200);
    expect(anon.text).toContain('快速报名');
    expect((await employer.client.post(`/jobs/${job.id}/apply`)).status).toBe(403);
    expect((await employer.client.get(`/jobs/${job.id}/apply`)).status).toBe(403);
  });

  it('shows 已投递 instead of the form once applied, and 已结束 for a job that ended', async () => {
    const { job } = await employerWithJob();
    const closed = await insertPublishedJob(t.ctx, job.employerId!, { status: 'closed' });
    const seeker = await seekerWithResume();
    await apply(seeker.client, job.id);
    const page = await seeker.client.get(`/jobs/${job.id}/apply`);
    expect(page.text).toContain('你已经投递过这个职位');
    expect(page.text).not.toContain('确认投递');
    const ended = await seeker.client.get(`/jobs/${closed.id}/apply`);
    expect(ended.text).toContain('该职位已结束招聘');
    expect(ended.text).not.toContain('确认投递');
  });
});

describe('the apply rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ limits: { applyPerUser: 2, applyPerIp: 3 } });
  });
  afterAll(() => limited.close());

  it('refuses a seeker’s third application within the hour, and a fourth from one address, with 429', async () => {
    const employer = await signedIn(limited, 'employer');
    const seeker = await signedIn(limited, 'seeker');
    await insertResume(limited.ctx, seeker.user.id);
    const jobList = [];
    for (let i = 0; i < 3; i++) jobList.push(await insertPublishedJob(limited.ctx, employer.user.id));
    expect((await seeker.client.upload(`/jobs/${jobList[0]!.id}/apply`, { message: '', shareConsent: 'yes' })).status).toBe(303);
    expect((await seeker.client.upload(`/jobs/${jobList[1]!.id}/apply`, { message: '', shareConsent: 'yes' })).status).toBe(303);
    const third = await seeker.client.upload(`/jobs/${jobList[2]!.id}/apply`, { message: '', shareConsent: 'yes' });
    expect(third.status).toBe(429);
    expect(third.text).toContain('投递太频繁了');
    // Another seeker has their own count, but shares the address: its limit (3) stops the fourth from there.
    const other = await signedIn(limited, 'seeker');
    await insertResume(limited.ctx, other.user.id);
    expect((await other.client.upload(`/jobs/${jobList[2]!.id}/apply`, { message: '', shareConsent: 'yes' })).status).toBe(303);
    const fromSameIp = await other.client.upload(`/jobs/${jobList[0]!.id}/apply`, { message: '', shareConsent: 'yes' });
    expect(fromSameIp.status).toBe(429);
    expect(await limited.ctx.db.$count(applications, eq(applications.seekerId, other.user.id))).toBe(1);
  });
});

describe('the seeker’s applications', () => {
  it('lists them newest first with the status history, and withdraws an open one (the employer is told)', async () => {
    const { employer, job } = await employerWithJob();
    const later = await insertPublishedJob(t.ctx, employer.user.id, { title: '后投递的职位' });
    const seeker = await seekerWithResume();
    const firstId = await insertApplication(t.ctx, seeker.user.id, job.id);
    await insertApplication(t.ctx, seeker.user.id, later.id);
    const list = await seeker.client.get('/me/applications');
    expect(list.text.indexOf('后投递的职位')).toBeLessThan(list.text.indexOf(job.title));
    expect(list.text).toContain('状态记录(1)');

    const res = await seeker.client.post(`/me/applications/${firstId}/withdraw`);
    expect(res.status).toBe(303);
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, firstId));
    expect(app!.status).toBe('withdrawn');
    expect((await notificationsOf(employer.user.id)).at(-1)).toMatchObject({ kind: 'application.withdrawn', title: `一位求职者撤回了对「${job.title}」的投递` });
    const after = await seeker.client.get('/me/applications');
    expect(after.text).toContain('status-withdrawn">已撤回');
    expect(after.text).toContain('状态记录(2)');

    const again = await seeker.client.post(`/me/applications/${firstId}/withdraw`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('不能撤回');
  });

  it("answers 404 when withdrawing someone else's application", async () => {
    const { job } = await employerWithJob();
    const owner = await seekerWithResume();
    const id = await insertApplication(t.ctx, owner.user.id, job.id);
    const other = await signedIn(t, 'seeker');
    expect((await other.client.post(`/me/applications/${id}/withdraw`)).status).toBe(404);
    expect((await t.ctx.db.select().from(applications).where(eq(applications.id, id)))[0]!.status).toBe('new');
  });
});

describe('the employer’s applicants', () => {
  let employer: Person;
  let job: JobRow;
  let seeker: Person & { resumeId: number };
  let applicationId: number;

  beforeAll(async () => {
    ({ employer, job } = await employerWithJob('深圳市招聘方有限公司'));
    seeker = await seekerWithResume();
    await saveSeekerProfile(t.ctx.db, seeker.user.id, {
      realName: '王小明', gender: 'male', birthYear: 1990, phone: '13812345678', district: '宝安区', intro: '做过三年普工', desiredTypes: ['temp'],
    });
    applicationId = await insertApplication(t.ctx, seeker.user.id, job.id, { message: '<script>alert(1)</script>' });
  });

  it('lists each applicant with a masked phone, age, district, the message as text, and the resume link', async () => {
    const res = await employer.client.get(`/employer/jobs/${job.id}/applications`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('王小明');
    expect(res.text).toContain('138****5678');
    expect(res.text).not.toContain('13812345678');
    expect(res.text).toContain(`${new Date().getFullYear() - 1990} 岁`);
    expect(res.text).toContain('宝安区');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain(`href="/files/resumes/${seeker.resumeId}"`);
    expect(res.text).toContain(`href="/employer/applications/${applicationId}"`);
  });

  it('answers 404 to another employer, for the list and the application, and 403 to a seeker', async () => {
    const other = await signedIn(t, 'employer');
    expect((await other.client.get(`/employer/jobs/${job.id}/applications`)).status).toBe(404);
    expect((await other.client.get(`/employer/applications/${applicationId}`)).status).toBe(404);
    expect((await other.client.post(`/employer/applications/${applicationId}/status`, { status: 'rejected' })).status).toBe(404);
    expect((await seeker.client.get(`/employer/jobs/${job.id}/applications`)).status).toBe(403);
    expect((await employer.client.get('/employer/jobs/99999/applications')).status).toBe(404);
    expect((await employer.client.get(`/employer/jobs/${job.id}/applications?page=9`)).status).toBe(404);
    expect((await employer.client.get(`/employer/jobs/${job.id}/applications?page=x&status=bogus`)).status).toBe(200);
  });

  it('opens an application: full phone; the first open marks it 已查看, tells the seeker and logs one view', async () => {
    const first = await employer.client.get(`/employer/applications/${applicationId}`);
    expect(first.status).toBe(200);
    expect(first.text).toContain('13812345678');
    expect(first.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(first.text).toContain('status-viewed">已查看');
    await employer.client.get(`/employer/applications/${applicationId}`);

    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, applicationId));
    expect(app).toMatchObject({ status: 'viewed' });
    expect(app!.viewedAt).toBeInstanceOf(Date);
    const events = await t.ctx.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.id));
    expect(events.map((e) => e.toStatus)).toEqual(['new', 'viewed']);
    const views = await t.ctx.db.select().from(resumeViews).where(eq(resumeViews.applicationId, applicationId));
    expect(views).toMatchObject([{ action: 'view', viewerName: '深圳市招聘方有限公司', resumeId: seeker.resumeId, viewerId: employer.user.id }]);
    expect((await notificationsOf(seeker.user.id)).map((n) => n.title)).toEqual([`你投递的「${job.title}」状态更新为:已查看`]);

    const log = await seeker.client.get('/me/resume-views');
    expect(log.text).toContain('深圳市招聘方有限公司');
    expect(log.text).toContain('查看了投递');
    expect(log.text).toContain(job.title);
  });

  it('when an employer rejects an applicant, the seeker sees 未通过 on /me/applications and a message', async () => {
    const s = await seekerWithResume();
    const id = await insertApplication(t.ctx, s.user.id, job.id);
    const res = await employer.client.post(`/employer/applications/${id}/status`, { status: 'rejected' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/employer/applications/${id}`);
    const mine = await s.client.get('/me/applications');
    expect(mine.text).toContain('status-rejected">未通过');
    expect(mine.text).toMatch(/<span class="badge">1<\/span>/);
    const inbox = await s.client.get('/me/notifications');
    expect(inbox.text).toContain(`你投递的「${job.title}」状态更新为:未通过`);
  });

  it('shows an applicant who deleted the account only as a count: no name, phone, resume or actions', async () => {
    const { employer: e, job: j } = await employerWithJob();
    const s = await seekerWithResume();
    const id = await insertApplication(t.ctx, s.user.id, j.id, { message: '我的留言' });
    // What account deletion leaves behind (issue 8): the row, without its seeker.
    await t.ctx.db.update(applications).set({ seekerId: null, resumeId: null, message: '', anonymisedAt: new Date() }).where(eq(applications.id, id));
    const list = await e.client.get(`/employer/jobs/${j.id}/applications`);
    expect(list.text).toContain('已注销用户');
    expect(list.text).toContain('共 1 人投递');
    expect(list.text).not.toContain(`href="/employer/applications/${id}"`);
    const detail = await e.client.get(`/employer/applications/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain('name="status"');
    expect((await newApplicantsByJob(e.user.id)).size).toBe(0);
  });

  it('refuses a status that does not exist (422)', async () => {
    const res = await employer.client.post(`/employer/applications/${applicationId}/status`, { status: 'promoted' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('请选择有效的状态');
  });
});

describe('status transitions', () => {
  const statuses = Object.keys(APPLICATION_STATUSES) as ApplicationStatus[];
  const allowed: [ApplicationStatus, ApplicationStatus][] = [
    ['new', 'viewed'],
    ['new', 'shortlisted'],
    ['new', 'rejected'],
    ['viewed', 'shortlisted'],
    ['viewed', 'rejected'],
    ['shortlisted', 'hired'],
    ['shortlisted', 'rejected'],
  ];
  const cases = statuses.flatMap((from) => statuses.map((to) => [from, to, allowed.some(([f, x]) => f === from && x === to)] as const));

  let employer: Person;
  let job: JobRow;
  let applicationId: number;
  let seekerId: number;

  beforeAll(async () => {
    ({ employer, job } = await employerWithJob());
    const seeker = await seekerWithResume();
    seekerId = seeker.user.id;
    applicationId = await insertApplication(t.ctx, seeker.user.id, job.id);
  });

  it('has exactly the documented table for employers', () => {
    for (const [from, to, ok] of cases) expect([from, to, canTransition('employer', from, to)]).toEqual([from, to, ok]);
  });

  it.each(cases)('an employer moving %s → %s is allowed: %s', async (from, to, ok) => {
    const past = new Date('2020-01-01T00:00:00Z');
    await t.ctx.db.update(applications).set({ status: from, updatedAt: past }).where(eq(applications.id, applicationId));
    const eventsBefore = await t.ctx.db.$count(applicationEvents, eq(applicationEvents.applicationId, applicationId));
    const notesBefore = (await notificationsOf(seekerId)).length;
    const res = await employer.client.post(`/employer/applications/${applicationId}/status`, { status: to });
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, applicationId));
    if (ok) {
      expect(res.status).toBe(303);
      expect(app!.status).toBe(to);
      expect(app!.updatedAt.getTime()).toBeGreaterThan(past.getTime());
      const events = await t.ctx.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.id));
      expect(events).toHaveLength(eventsBefore + 1);
      expect(events.at(-1)).toMatchObject({ fromStatus: from, toStatus: to, actorId: employer.user.id });
      const notes = await notificationsOf(seekerId);
      expect(notes).toHaveLength(notesBefore + 1);
      expect(notes.at(-1)!.title).toBe(`你投递的「${job.title}」状态更新为:${APPLICATION_STATUSES[to]}`);
    } else {
      expect(res.status).toBe(409);
      expect(res.text).toContain(`不能把状态从「${APPLICATION_STATUSES[from]}」改为「${APPLICATION_STATUSES[to]}」`);
      expect(app!.status).toBe(from);
      expect(app!.updatedAt.getTime()).toBe(past.getTime());
      expect(await t.ctx.db.$count(applicationEvents, eq(applicationEvents.applicationId, applicationId))).toBe(eventsBefore);
      expect(await notificationsOf(seekerId)).toHaveLength(notesBefore);
    }
  });

  it.each(statuses.map((s) => [s, ['new', 'viewed', 'shortlisted'].includes(s)] as const))('a seeker withdrawing from %s is allowed: %s', async (from, ok) => {
    const seeker = await seekerWithResume();
    const id = await insertApplication(t.ctx, seeker.user.id, await insertPublishedJob(t.ctx, employer.user.id).then((j) => j.id));
    await t.ctx.db.update(applications).set({ status: from }).where(eq(applications.id, id));
    const res = await seeker.client.post(`/me/applications/${id}/withdraw`);
    expect(res.status).toBe(ok ? 303 : 409);
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, id));
    expect(app!.status).toBe(ok ? 'withdrawn' : from);
  });

  it('offers only the allowed moves as buttons', async () => {
    await t.ctx.db.update(applications).set({ status: 'shortlisted' }).where(eq(applications.id, applicationId));
    const page = await employer.client.get(`/employer/applications/${applicationId}`);
    expect(page.text).toContain('name="status" value="hired"');
    expect(page.text).toContain('name="status" value="rejected"');
    expect(page.text).not.toContain('name="status" value="shortlisted"');
    await t.ctx.db.update(applications).set({ status: 'hired' }).where(eq(applications.id, applicationId));
    const final = await employer.client.get(`/employer/applications/${applicationId}`);
    expect(final.text).not.toContain('name="status"');
  });
});

describe('closing a job', () => {
  it('closes its open applications, leaves the final ones, and tells each affected applicant once', async () => {
    const { job } = await employerWithJob();
    const byStatus = {} as Record<ApplicationStatus, { appId: number; seekerId: number }>;
    for (const status of Object.keys(APPLICATION_STATUSES) as ApplicationStatus[]) {
      const seeker = await seekerWithResume();
      const appId = await insertApplication(t.ctx, seeker.user.id, job.id);
      await t.ctx.db.update(applications).set({ status }).where(eq(applications.id, appId));
      byStatus[status] = { appId, seekerId: seeker.user.id };
    }
    const closed = await t.ctx.db.transaction(async (tx) => {
      await tx.update(jobs).set({ status: 'closed', closedAt: sql`now()` }).where(eq(jobs.id, job.id));
      return closeApplicationsOfJob(tx, job.id, '企业已关闭该职位', job.employerId);
    });
    expect(closed).toBe(3);
    for (const [status, { appId, seekerId }] of Object.entries(byStatus) as [ApplicationStatus, { appId: number; seekerId: number }][]) {
      const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, appId));
      const notes = (await notificationsOf(seekerId)).filter((n) => n.kind === 'application.closed');
      if (['new', 'viewed', 'shortlisted'].includes(status)) {
        expect(app!.status).toBe('closed');
        expect(notes).toMatchObject([{ title: `你投递的「${job.title}」已结束招聘`, body: '企业已关闭该职位' }]);
        const [event] = await t.ctx.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, appId), eq(applicationEvents.toStatus, 'closed')));
        expect(event).toMatchObject({ fromStatus: status, actorId: job.employerId });
      } else {
        expect(app!.status).toBe(status);
        expect(notes).toHaveLength(0);
      }
    }
    // Running it again changes nothing and tells nobody twice.
    expect(await t.ctx.db.transaction((tx) => closeApplicationsOfJob(tx, job.id, '再次关闭'))).toBe(0);
    expect((await notificationsOf(byStatus.new.seekerId)).filter((n) => n.kind === 'application.closed')).toHaveLength(1);
  });

  it('rolls back with the job change when the caller’s transaction fails', async () => {
    const { job } = await employerWithJob();
    const seeker = await seekerWithResume();
    const appId = await insertApplication(t.ctx, seeker.user.id, job.id);
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await closeApplicationsOfJob(tx, job.id, '下架');
        throw new Error('the caller fails afterwards');
      }),
    ).rejects.toThrow('the caller fails afterwards');
    expect((await t.ctx.db.select().from(applications).where(eq(applications.id, appId)))[0]!.status).toBe('new');
    expect((await notificationsOf(seeker.user.id)).filter((n) => n.kind === 'application.closed')).toHaveLength(0);
  });
});

/** The new-applicant counts the employer's job list shows, for jobs that have any. */
async function newApplicantsByJob(employerId: number): Promise<Map<number, number>> {
  const rows = await listEmployerJobs(t.ctx.db, employerId);
  return new Map(rows.filter((r) => r.newApplicants > 0).map((r) => [r.id, r.newApplicants]));
}

describe('new-applicant counts on the employer’s job list', () => {
  it('counts the unopened applications of each of the employer’s jobs, and nothing of other employers', async () => {
    const { employer, job } = await employerWithJob();
    const second = await insertPublishedJob(t.ctx, employer.user.id);
    const other = await employerWithJob();
    const seekersList = [await seekerWithResume(), await seekerWithResume(), await seekerWithResume()];
    for (const s of seekersList) await insertApplication(t.ctx, s.user.id, job.id);
    const viewed = await insertApplication(t.ctx, seekersList[0]!.user.id, second.id);
    await t.ctx.db.update(applications).set({ status: 'viewed' }).where(eq(applications.id, viewed));
    await insertApplication(t.ctx, seekersList[1]!.user.id, second.id);
    await insertApplication(t.ctx, seekersList[2]!.user.id, other.job.id);
    const counts = await newApplicantsByJob(employer.user.id);
    expect(Object.fromEntries(counts)).toEqual({ [job.id]: 3, [second.id]: 1 });
  });
});
