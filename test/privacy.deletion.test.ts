// Account deletion (POST /me/delete): refused with a wrong password; otherwise real. No row keeps the user's
// personal fields, the files leave the disk, other sessions end, applications stay anonymised (已注销用户),
// and an employer's published jobs are closed with their applicants told.
import { eq, sql } from 'drizzle-orm';
import fs from 'node:fs';
import { queryRows } from '../src/db/client';
import { applications, consents, files, jobs, notifications, resumes, sessions, users } from '../src/db/schema';
import { saveSeekerProfile } from '../src/features/seekers/seekers.service';
import { maintenanceTasks } from '../src/maintenance';
import { flashes, follow } from './helpers/admin';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn, TEST_PASSWORD } from './helpers/factories';
import { insertEmployerProfile, insertPublishedJob } from './helpers/jobFixtures';
import { insertApplication, insertResume, samples } from './helpers/resumeFixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The tables (and how many rows) whose text holds `needle` anywhere, across the whole database. */
async function rowsContaining(needle: string): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(t.ctx.db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const rows = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from ${sql.identifier(name)} x where x::text like ${`%${needle}%`}`);
    if (rows[0]!.n > 0) found[name] = rows[0]!.n;
  }
  return found;
}

async function seekerWithHistory(tag: string) {
  const employer = await signedIn(t, 'employer');
  await insertEmployerProfile(t.ctx, employer.user.id, { companyName: `深圳市${tag}注销测试电子有限公司` });
  const job = await insertPublishedJob(t.ctx, employer.user.id, { title: `${tag}注销测试普工` });
  const seeker = await signedIn(t, 'seeker', { displayName: `${tag}昵称` });
  const phone = `135${String(seeker.user.id).padStart(8, '0')}`;
  await saveSeekerProfile(t.ctx.db, seeker.user.id, { realName: `${tag}真名`, gender: 'male', birthYear: 1990, phone, district: '宝安区', intro: `${tag}的个人简介`, desiredTypes: ['temp'] });
  const resume = await insertResume(t.ctx, seeker.user.id, { content: samples.pdf(), name: `${tag}简历.pdf` });
  const applicationId = await insertApplication(t.ctx, seeker.user.id, job.id, { message: `${tag}的留言` });
  expect((await seeker.client.post(`/jobs/${job.id}/save`, { next: '/me' })).status).toBe(303);
  const [file] = await t.ctx.db.select().from(files).where(eq(files.ownerId, seeker.user.id));
  return { employer, job, seeker, phone, resume, applicationId, filePath: t.ctx.storage.pathOf(file!.storageKey) };
}

describe('a seeker deletes the account', () => {
  it('GET /me/delete says what goes and what stays anonymised, and asks for the password', async () => {
    const { seeker } = await seekerWithHistory('页面');
    const page = await seeker.client.get('/me/delete');
    expect(page.status).toBe(200);
    expect(page.text).toContain('无法恢复');
    expect(page.text).toContain('全部简历:1 个文件');
    expect(page.text).toContain('已注销用户');
    expect(page.text).toMatch(/<input[^>]*type="password"[^>]*name="password"|<input[^>]*name="password"[^>]*type="password"/);
    expect(page.text).toContain('href="/me/export"');
  });

  it('with a wrong password: 422 with the error beside the field, and nothing changes', async () => {
    const { seeker, filePath } = await seekerWithHistory('错密');
    await seeker.client.get('/me/delete');
    const res = await seeker.client.post('/me/delete', { password: 'not-the-password-1' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('密码不正确,账户未注销');
    expect(res.text).toMatch(/id="f-password-error"/);
    expect(res.text).not.toContain('not-the-password-1');
    expect(await t.ctx.db.$count(users, eq(users.id, seeker.user.id))).toBe(1);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, seeker.user.id))).toBe(1);
    expect(await t.ctx.db.$count(applications, eq(applications.seekerId, seeker.user.id))).toBe(1);
    expect(fs.existsSync(filePath)).toBe(true);
    expect((await seeker.client.get('/me')).status).toBe(200);

    const empty = await seeker.client.post('/me/delete', {});
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('请输入当前密码以确认注销');
  });

  it('removes every personal field, the files and all sessions; the application stays for the employer as 已注销用户', async () => {
    const h = await seekerWithHistory('真删');
    const other = t.client(); // the same person signed in on a second device
    await other.login(h.seeker.user.login, TEST_PASSWORD);
    expect(await t.ctx.db.$count(sessions, eq(sessions.userId, h.seeker.user.id))).toBe(2);
    const before = await rowsContaining('真删');
    expect(Object.keys(before).sort()).toEqual(expect.arrayContaining(['applications', 'files', 'seeker_profiles', 'users']));
    // A code was sent to the phone: the message and the code row hold the number too.
    expect((await h.seeker.client.post('/auth/code', { purpose: 'login', login: h.seeker.user.login })).status).toBe(200);
    expect(Object.keys(await rowsContaining(h.seeker.user.login))).toEqual(expect.arrayContaining(['messages', 'verification_codes']));

    await h.seeker.client.get('/me/delete');
    const res = await h.seeker.client.post('/me/delete', { password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const home = await follow(h.seeker.client, res);
    expect(flashes(home.text)).toEqual([{ type: 'success', text: '你的账户已注销,个人信息和上传的文件已删除。感谢你曾经使用本站。' }]);

    // No row anywhere holds the login, phone, names, intro, message or file name.
    for (const needle of [h.seeker.user.login, h.phone, '真删真名', '真删昵称', '真删的个人简介', '真删的留言', '真删简历']) {
      expect([needle, await rowsContaining(needle)]).toEqual([needle, {}]);
    }
    expect(await t.ctx.db.$count(users, eq(users.id, h.seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(resumes, eq(resumes.seekerId, h.seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(notifications, eq(notifications.userId, h.seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(consents, eq(consents.userId, h.seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(files, eq(files.ownerId, h.seeker.user.id))).toBe(0);
    expect(await t.ctx.db.$count(sessions, eq(sessions.userId, h.seeker.user.id))).toBe(0);
    expect(fs.existsSync(h.filePath)).toBe(false);

    // Both devices are signed out.
    expect((await h.seeker.client.get('/me')).status).toBe(302);
    expect((await other.get('/me')).status).toBe(302);
    expect((await t.client().login(h.seeker.user.login, TEST_PASSWORD)).status).toBe(401);

    // The application is still counted, anonymised, with no way to reach the person.
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, h.applicationId));
    expect(app).toMatchObject({ seekerId: null, resumeId: null, message: '', status: 'withdrawn' });
    expect(app!.anonymisedAt).toBeInstanceOf(Date);
    const list = await h.employer.client.get(`/employer/jobs/${h.job.id}/applications`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('已注销用户');
    expect(list.text).toContain('共 1 人投递');
    expect(list.text).not.toContain('真删真名');
    expect(list.text).not.toContain('真删的留言');
    const detail = await h.employer.client.get(`/employer/applications/${h.applicationId}`);
    expect(detail.text).toContain('已注销用户');
    expect(detail.text).not.toContain(h.phone);
    expect((await h.employer.client.get(`/files/resumes/${h.resume.id}`)).status).toBe(404);
  });

  it('a crash between the commit and the unlink leaves only orphan files, which the upload sweep removes', async () => {
    const h = await seekerWithHistory('崩溃');
    const removeAll = t.ctx.storage.removeAll;
    t.ctx.storage.removeAll = async () => {}; // the process dies right after the commit
    try {
      await h.seeker.client.get('/me/delete');
      expect((await h.seeker.client.post('/me/delete', { password: TEST_PASSWORD })).status).toBe(303);
    } finally {
      t.ctx.storage.removeAll = removeAll;
    }
    expect(await t.ctx.db.$count(users, eq(users.id, h.seeker.user.id))).toBe(0);
    expect(fs.existsSync(h.filePath)).toBe(true);
    // The sweep leaves young files alone (an upload may be about to commit); an hour later the orphan goes.
    await t.ctx.storage.sweep(t.ctx.db);
    expect(fs.existsSync(h.filePath)).toBe(true);
    // Two hours later, the maintenance task (its first run is 5 s after start-up) removes it.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(h.filePath, twoHoursAgo, twoHoursAgo);
    const uploadSweep = maintenanceTasks().find((task) => task.name === 'upload-sweep')!;
    const result = (await uploadSweep.run(t.ctx)) as { orphans: number };
    expect(result.orphans).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(h.filePath)).toBe(false);
  });

  it('admins cannot delete themselves here (403)', async () => {
    const admin = await signedIn(t, 'admin');
    await admin.client.get('/admin');
    expect((await admin.client.post('/me/delete', { password: TEST_PASSWORD })).status).toBe(403);
    expect(await t.ctx.db.$count(users, eq(users.id, admin.user.id))).toBe(1);
  });
});

describe('an employer deletes the account', () => {
  it('closes the published jobs (applicants told), drops jobs nobody applied to, and keeps no contact or login', async () => {
    const employer = await signedIn(t, 'employer');
    const contactPhone = `136${String(employer.user.id).padStart(8, '0')}`;
    await insertEmployerProfile(t.ctx, employer.user.id, { companyName: '深圳市注销企业物流有限公司', contactName: '注销联系人', contactPhone });
    const applied = await insertPublishedJob(t.ctx, employer.user.id, { title: '有人投递的分拣员', contactName: '注销联系人', contactPhone });
    const untouched = await insertPublishedJob(t.ctx, employer.user.id, { title: '没人投递的搬运工', contactName: '注销联系人', contactPhone });
    const draft = await insertPublishedJob(t.ctx, employer.user.id, { status: 'draft', contactName: '注销联系人', contactPhone });
    const seeker = await signedIn(t, 'seeker');
    await insertResume(t.ctx, seeker.user.id);
    const applicationId = await insertApplication(t.ctx, seeker.user.id, applied.id);

    const page = await employer.client.get('/me/delete');
    expect(page.text).toContain('你还有 2 个招聘中的职位');
    const res = await employer.client.post('/me/delete', { password: TEST_PASSWORD });
    expect(res.status).toBe(303);

    const [kept] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, applied.id));
    expect(kept).toMatchObject({ status: 'closed', employerId: null, contactName: '', contactPhone: '' });
    expect(await t.ctx.db.$count(jobs, eq(jobs.id, untouched.id))).toBe(0);
    expect(await t.ctx.db.$count(jobs, eq(jobs.id, draft.id))).toBe(0);
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, applicationId));
    expect(app!.status).toBe('closed');
    const told = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, seeker.user.id));
    expect(told.map((n) => n.kind)).toContain('application.closed');
    for (const needle of [employer.user.login, contactPhone, '注销联系人']) {
      expect([needle, await rowsContaining(needle)]).toEqual([needle, {}]);
    }
    // The seeker's own history still shows the job they applied to.
    expect((await seeker.client.get('/me/applications')).text).toContain('有人投递的分拣员');
  });
});
