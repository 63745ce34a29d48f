// Applying with the online resume (issue 17): no file needed, a verified phone required; and quick apply for
// visitors: account, minimal resume and application in one transaction, by SMS code.
import sharp from 'sharp';
import { eq, sql } from 'drizzle-orm';
import { applications, consents, seekerProfiles, users } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { lastCodeTo } from './helpers/codes';
import { makeUser, signedIn, uniquePhone } from './helpers/factories';
import { fieldError } from './helpers/html';
import { insertPublishedJob } from './helpers/jobFixtures';
import { samples } from './helpers/resumeFixtures';
import type { TestClient } from './helpers/client';

let t: TestApp;
let employerId: number;
beforeAll(async () => {
  t = await createTestApp();
  employerId = (await makeUser(t.ctx, 'employer')).id;
});
afterAll(() => t.close());

const applyForm = (client: TestClient, jobId: number, fields: Record<string, string> = {}) =>
  client.upload(`/jobs/${jobId}/apply`, { message: '', shareConsent: 'yes', ...fields });

async function appsOf(seekerId: number) {
  return t.ctx.db.select().from(applications).where(eq(applications.seekerId, seekerId));
}

describe('applying with the online resume', () => {
  it('applies without a file: the form shows what the employer receives, and the application has no attachment', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const { client, user } = await signedIn(t, 'seeker');
    await client.post('/me/resume', { section: 'who', realName: '赵大力', gender: 'male', birthYear: '1988', district: '龙华区' });
    await client.post('/me/resume', { section: 'tags', certificates: ['叉车证'], skills: '' });
    const form = await client.get(`/jobs/${job.id}/apply`);
    expect(form.text).toContain('企业将收到你的在线简历');
    expect(form.text).toContain('赵大力');
    expect(form.text).toContain('叉车证');
    expect(form.text).toContain(`<a href="tel:${user.phone}">${user.phone}</a>`);
    const res = await applyForm(client, job.id, { resumeId: 'none' });
    expect(res.status).toBe(303);
    expect(await appsOf(user.id)).toMatchObject([{ jobId: job.id, resumeId: null, hasAttachment: false }]);
  });

  it('refuses a seeker with no verified phone, on the form and on POST, with a link to verify one', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const { client, user } = await signedIn(t, 'seeker', { login: `nophone${Date.now()}@example.com` });
    const form = await client.get(`/jobs/${job.id}/apply`);
    expect(form.text).toContain('投递前请先验证手机号');
    expect(form.text).toContain(`href="/me/security/phone?next=${encodeURIComponent(`/jobs/${job.id}/apply`)}"`);
    expect(form.text).not.toContain('确认投递');
    const res = await applyForm(client, job.id);
    expect(res.status).toBe(422);
    expect(res.text).toContain('投递前请先验证手机号');
    expect(await appsOf(user.id)).toHaveLength(0);
    expect(await t.ctx.db.$count(consents, eq(consents.userId, user.id))).toBe(1); // the privacy consent only
  });

  it('refuses a seeker whose phone was never verified too', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const { client, user } = await signedIn(t, 'seeker', { verified: false });
    expect((await applyForm(client, job.id)).status).toBe(422);
    expect(await appsOf(user.id)).toHaveLength(0);
  });
});

describe('quick apply for visitors', () => {
  const person = (phone: string, extra: Record<string, string> = {}) => ({
    realName: '李春花',
    phone,
    gender: 'female',
    birthYear: '1992',
    consent: 'yes',
    shareConsent: 'yes',
    ...extra,
  });

  async function codeFor(client: TestClient, jobId: number, phone: string): Promise<string> {
    const res = await client.post(`/jobs/${jobId}/apply`, { ...person(phone), intent: 'code' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('验证码已发送至');
    expect(res.text).toContain('李春花'); // what was typed comes back
    return lastCodeTo(t, phone);
  }

  it('with a new phone: one transaction makes the account, the minimal resume and the application; logged in, lands on 我的投递 with the prompts', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const visitor = t.client();
    const page = await visitor.get(`/jobs/${job.id}/apply`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('不用简历,手机号报名');
    const phone = uniquePhone();
    const code = await codeFor(visitor, job.id, phone);
    const res = await visitor.post(`/jobs/${job.id}/apply`, { ...person(phone), code });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me/applications');

    const [account] = await t.ctx.db.select().from(users).where(eq(users.phone, phone));
    expect(account).toMatchObject({ login: phone, role: 'seeker', displayName: '李春花', passwordHash: null });
    expect(account!.phoneVerifiedAt).not.toBeNull();
    const [profile] = await t.ctx.db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, account!.id));
    expect(profile).toMatchObject({ realName: '李春花', gender: 'female', birthYear: 1992, phone });
    expect(await appsOf(account!.id)).toMatchObject([{ jobId: job.id, resumeId: null, hasAttachment: false, status: 'new' }]);
    const kinds = (await t.ctx.db.select({ kind: consents.kind }).from(consents).where(eq(consents.userId, account!.id))).map((c) => c.kind).sort();
    expect(kinds).toEqual(['privacy_policy', 'share_with_employer']);

    const mine = await visitor.get('/me/applications');
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(job.title);
    expect(mine.text).toContain('报名成功');
    expect(mine.text).toContain('href="/me/resume">完善在线简历');
    expect(mine.text).toContain('href="/me/security">设置登录密码');
  });

  it('with a phone that already has an account: told to log in with a code, and no second account', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const existing = await makeUser(t.ctx, 'seeker');
    const visitor = t.client();
    const code = await codeFor(visitor, job.id, existing.phone!);
    const res = await visitor.post(`/jobs/${job.id}/apply`, { ...person(existing.phone!), code });
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'phone')).toBe('该手机号已注册,请用验证码登录后投递');
    expect(res.text).toContain(`href="/login/code?next=${encodeURIComponent(`/jobs/${job.id}/apply`)}"`);
    expect(await t.ctx.db.$count(users, eq(users.phone, existing.phone!))).toBe(1);
    expect(await appsOf(existing.id)).toHaveLength(0);
    // Nobody was signed in.
    expect((await visitor.get('/me/applications')).headers.location).toMatch(/^\/login/);
  });

  it('with a wrong code: 422 beside the code, nothing made', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const visitor = t.client();
    const phone = uniquePhone();
    const code = await codeFor(visitor, job.id, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await visitor.post(`/jobs/${job.id}/apply`, { ...person(phone), code: wrong });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'code')).toMatch(/验证码错误/);
    expect(res.text).toContain('李春花');
    expect(await t.ctx.db.$count(users, eq(users.phone, phone))).toBe(0);
  });

  it('refuses missing fields and consents beside each field (422), sending nothing', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const visitor = t.client();
    const res = await visitor.post(`/jobs/${job.id}/apply`, { realName: '', phone: '123', code: '', gender: '', birthYear: '1800' });
    expect(res.status).toBe(422);
    for (const field of ['realName', 'phone', 'gender', 'birthYear', 'code', 'consent', 'shareConsent']) {
      expect(res.text).toMatch(new RegExp(`id="f-${field}-error"`));
    }
  });

  it('is atomic: a failure injected after the account row leaves no account, resume or application, and the code still works', async () => {
    const job = await insertPublishedJob(t.ctx, employerId);
    const visitor = t.client();
    const phone = uniquePhone();
    const code = await codeFor(visitor, job.id, phone);
    // The failure: the database refuses the resume row, which is written right after the account row.
    await t.ctx.db.execute(sql.raw(`create function fail_seeker_profile() returns trigger language plpgsql as $$
      begin raise exception 'injected failure after the account row'; end $$`));
    await t.ctx.db.execute(sql.raw('create trigger inject_failure before insert on seeker_profiles for each row execute function fail_seeker_profile()'));
    try {
      const res = await visitor.post(`/jobs/${job.id}/apply`, { ...person(phone), code });
      expect(res.status).toBe(500);
    } finally {
      await t.ctx.db.execute(sql.raw('drop trigger inject_failure on seeker_profiles'));
      await t.ctx.db.execute(sql.raw('drop function fail_seeker_profile()'));
    }
    expect(await t.ctx.db.$count(users, eq(users.login, phone))).toBe(0);
    expect(await t.ctx.db.$count(seekerProfiles, eq(seekerProfiles.phone, phone))).toBe(0);
    expect(await t.ctx.db.$count(applications, eq(applications.jobId, job.id))).toBe(0);
    // The rolled-back transaction did not use the code up: the same form now goes through.
    const again = await visitor.post(`/jobs/${job.id}/apply`, { ...person(phone), code });
    expect(again.status).toBe(303);
    expect(await t.ctx.db.$count(applications, eq(applications.jobId, job.id))).toBe(1);
  });
});

describe('what employers see', () => {
  it('shows the online resume on a printable page, the file downloads as 姓名-职位-日期.ext, and a withdrawn application shows nobody', async () => {
    const employer = await signedIn(t, 'employer');
    const job = await insertPublishedJob(t.ctx, employer.user.id, { title: '仓库分拣员' });
    const { client, user } = await signedIn(t, 'seeker');
    await client.post('/me/resume', { section: 'who', realName: '周大海', gender: 'male', birthYear: '1985', district: '宝安区' });
    await client.post('/me/resume', { section: 'experience', expCompany: '顺丰仓', expRole: '分拣员', expFrom: '2020-01', expTo: '2023-06', expDescription: '夜班分拣' });
    await client.post('/me/resume', { section: 'tags', certificates: ['叉车证'], skills: '' });
    const withFile = await client.upload(`/jobs/${job.id}/apply`, { resumeId: 'new', message: '', shareConsent: 'yes' }, { field: 'file', content: samples.pdf(), filename: 'resume.pdf' });
    expect(withFile.status).toBe(303);
    const [app] = await appsOf(user.id);

    const page = await employer.client.get(`/employer/applications/${app!.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="resume-sheet"');
    for (const text of ['周大海', '顺丰仓', '分拣员', '2020.01 – 2023.06', '叉车证', `tel:${user.phone}`, 'data-print']) expect(page.text).toContain(text);
    const css = await employer.client.get('/css/site.css');
    expect(css.text).toMatch(/@media print \{[^]*\.site-header[^]*display: none/);

    const file = await employer.client.get(`/files/resumes/${app!.resumeId}`);
    expect(file.status).toBe(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`周大海-仓库分拣员-${today}.pdf`)}`);
    // The seeker's own download keeps the file's own name.
    expect((await client.get(`/files/resumes/${app!.resumeId}`)).headers['content-disposition']).toContain('resume.pdf');

    await client.post(`/me/applications/${app!.id}/withdraw`, {});
    const after = await employer.client.get(`/employer/applications/${app!.id}`);
    expect(after.text).not.toContain('周大海');
    expect(after.text).not.toContain('class="resume-sheet"');
    expect(after.text).not.toContain(user.phone!);
    expect((await employer.client.get(`/employer/applications/${app!.id}/photo`)).status).toBe(404);
  });

  it('says 未附文件 for an application with the online resume only, and shows the photo to that employer alone', async () => {
    const employer = await signedIn(t, 'employer');
    const job = await insertPublishedJob(t.ctx, employer.user.id);
    const { client, user } = await signedIn(t, 'seeker');
    const png = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#aa3366' } }).png().toBuffer();
    await client.upload('/me/resume/photo', {}, { field: 'photo', content: png, filename: 'me.png', contentType: 'image/png' });
    await applyForm(client, job.id, { resumeId: 'none' });
    const [app] = await appsOf(user.id);
    const page = await employer.client.get(`/employer/applications/${app!.id}`);
    expect(page.text).toContain('未附文件(以上在线简历)');
    expect(page.text).toContain(`/employer/applications/${app!.id}/photo`);
    const photo = await employer.client.get(`/employer/applications/${app!.id}/photo`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const other = await signedIn(t, 'employer');
    expect((await other.client.get(`/employer/applications/${app!.id}/photo`)).status).toBe(404);
  });
});

describe('the job page bottom bar on phones', () => {
  it('offers 立即报名 to visitors (quick apply) and 电话咨询 with the job number to signed-in seekers; not to employers', async () => {
    const job = await insertPublishedJob(t.ctx, employerId, { contactPhone: '13700002222' });
    const visitor = await t.client().get(`/jobs/${job.id}`);
    expect(visitor.text).toMatch(new RegExp(`<nav class="job-bar"[^]*href="/jobs/${job.id}/apply">立即报名</a>`));
    expect(visitor.text).not.toContain('href="tel:13700002222"');
    const { client } = await signedIn(t, 'seeker');
    const seekerPage = await client.get(`/jobs/${job.id}`);
    expect(seekerPage.text).toMatch(/<nav class="job-bar"[^]*<a class="job-bar-call" href="tel:13700002222">/);
    const employer = await signedIn(t, 'employer');
    expect((await employer.client.get(`/jobs/${job.id}`)).text).not.toContain('class="job-bar"');
  });
});
