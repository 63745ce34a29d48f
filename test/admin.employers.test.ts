// Admins and companies: the employer list (search, verification filters), a company's profile with its
// license file, verifying and un-verifying (badge on the jobs, notice, audit), and the dashboard's queues.
import { and, eq, gte } from 'drizzle-orm';
import { addDays, chinaDate } from '../src/domain/dates';
import { CHART_TTL_MS } from '../src/features/admin/admin.charts';
import { applications, employerProfiles, jobReports, jobs, notifications, users } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { auditEntries, flashes, follow } from './helpers/admin';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile, validCreditCode } from './helpers/jobs';
import { mainOf, pageText, tinyPng } from './helpers/news';

let t: TestApp;
/** Moves the app's clock past the dashboard charts' cache when a test needs fresh numbers. */
let clockOffset = 0;
let admin: TestClient;
let adminId: number;

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date(Date.now() + clockOffset) });
  const a = await signedIn(t, 'admin');
  admin = a.client;
  adminId = a.user.id;
});
afterAll(() => t.close());

async function profileOf(userId: number) {
  const [row] = await t.ctx.db.select().from(employerProfiles).where(eq(employerProfiles.userId, userId));
  return row!;
}

/** A signed-in employer with a complete profile (through the real form), optionally with a license image. */
async function company(name: string, license?: Buffer) {
  const { client, user } = await signedIn(t, 'employer');
  const form = {
    companyName: name,
    creditCode: validCreditCode(`91440300MA5F${String(user.id).padStart(5, '0')}`),
    contactName: '王经理',
    contactPhone: '13800138000',
    address: '深圳市龙华区观澜街道 8 号',
    intro: '电子厂,长期招聘普工。',
    licenseNo: license ? '440309202400001' : '',
  };
  const res = await client.upload('/employer/profile', form, license ? { field: 'license', content: license, filename: '营业执照.png', contentType: 'image/png' } : undefined);
  if (res.status !== 303) throw new Error(`profile not saved: ${res.status}`);
  return { client, user, creditCode: form.creditCode };
}

/** The verify form's hidden `seen` value, as the admin's page carries it. */
async function seenOn(id: number): Promise<string> {
  const page = await admin.get(`/admin/employers/${id}`);
  return /name="seen" value="([^"]+)"/.exec(page.text)![1]!;
}

describe('the employer list', () => {
  it('finds a company by name, by credit code and by login; the login is masked', async () => {
    const c = await company('深圳市搜索测试电子有限公司');
    for (const q of ['搜索测试电子', c.creditCode, c.creditCode.slice(4, 12), c.user.login]) {
      const res = await admin.get(`/admin/employers?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      const table = /<tbody>[\s\S]*?<\/tbody>/.exec(res.text)?.[0] ?? '';
      expect(table).toContain(`href="/admin/employers/${c.user.id}"`);
      expect(table).not.toContain(c.user.login);
    }
    const none = await admin.get('/admin/employers?q=不存在的公司名');
    expect(none.text).toContain('没有符合条件的企业');
  });

  it('filters: 待认证 is complete profiles not yet verified (oldest first), 已认证 the verified, 资料不全 the rest', async () => {
    const waiting = await company('待认证测试有限公司');
    const verified = await company('已认证测试有限公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: new Date(), verifiedBy: adminId }).where(eq(employerProfiles.userId, verified.user.id));
    const bare = await makeUser(t.ctx, 'employer', { displayName: '没填资料的企业' });

    const ids = (html: string) => [...html.matchAll(/href="\/admin\/employers\/(\d+)"/g)].map((m) => Number(m[1]));
    const unverified = ids(mainOf((await admin.get('/admin/employers?filter=unverified')).text));
    expect(unverified).toContain(waiting.user.id);
    expect(unverified).not.toContain(verified.user.id);
    expect(unverified).not.toContain(bare.id);
    const verifiedList = ids(mainOf((await admin.get('/admin/employers?filter=verified')).text));
    expect(verifiedList).toEqual(expect.arrayContaining([verified.user.id]));
    expect(verifiedList).not.toContain(waiting.user.id);
    const incomplete = ids(mainOf((await admin.get('/admin/employers?filter=incomplete')).text));
    expect(incomplete).toContain(bare.id);
    expect(incomplete).not.toContain(waiting.user.id);
    // An unknown filter is all of them.
    const all = ids(mainOf((await admin.get('/admin/employers?filter=%3Cscript%3E')).text));
    expect(all).toEqual(expect.arrayContaining([waiting.user.id, verified.user.id, bare.id]));
  });
});

describe("a company's page and its license", () => {
  it('shows the profile and the license image, served to admins only, never cached, with its own type', async () => {
    const c = await company('许可证测试劳务派遣有限公司', tinyPng());
    const page = await admin.get(`/admin/employers/${c.user.id}`);
    expect(page.status).toBe(200);
    const main = mainOf(page.text);
    expect(main).toContain('许可证测试劳务派遣有限公司');
    expect(main).toContain(c.creditCode);
    expect(main).toContain('440309202400001');
    expect(main).toContain(`<img src="/admin/employers/${c.user.id}/license"`);

    const file = await admin.agent.get(`/admin/employers/${c.user.id}/license`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toMatch(/^inline; /);
    expect(Buffer.compare(file.body as Buffer, tinyPng())).toBe(0);

    // The company itself, another company, a seeker: refused; a visitor is sent to log in.
    expect((await c.client.agent.get(`/admin/employers/${c.user.id}/license`)).status).toBe(403);
    expect((await (await signedIn(t, 'seeker')).client.agent.get(`/admin/employers/${c.user.id}/license`)).status).toBe(403);
    expect((await t.client().agent.get(`/admin/employers/${c.user.id}/license`)).status).toBe(302);
  });

  it('a company without a license file, a user who is not an employer, an unknown id: 404', async () => {
    const c = await company('无许可证测试有限公司');
    expect((await admin.get(`/admin/employers/${c.user.id}/license`)).status).toBe(404);
    const seeker = await makeUser(t.ctx, 'seeker');
    expect((await admin.get(`/admin/employers/${seeker.id}`)).status).toBe(404);
    expect((await admin.get('/admin/employers/99999999')).status).toBe(404);
    expect((await admin.get('/admin/employers/x1')).status).toBe(404);
  });
});

describe('verifying a company', () => {
  it('verify: the badge shows on its job page and job cards, the employer is told, the audit has before/after', async () => {
    const c = await company('认证测试电子有限公司');
    const jobId = await makeJob(t.ctx, c.user.id, { title: '认证测试普工' });
    const jobPage = async () => mainOf((await t.client().get(`/jobs/${jobId}`)).text);
    expect(await jobPage()).toContain('<span class="badge-unverified">未认证</span>');

    const res = await admin.post(`/admin/employers/${c.user.id}/verify`, { seen: await seenOn(c.user.id) });
    expect(res.status).toBe(303);
    expect(flashes((await follow(admin, res)).text)).toEqual([{ type: 'success', text: '已认证:认证测试电子有限公司,企业已收到通知' }]);
    const profile = await profileOf(c.user.id);
    expect(profile.verifiedAt).not.toBeNull();
    expect(profile.verifiedBy).toBe(adminId);

    expect(await jobPage()).toContain('title="已通过平台资质审核">已认证</span>');
    const list = await t.client().get('/jobs?q=认证测试普工');
    expect(jobIdsIn(list.text)).toContain(jobId);
    expect(list.text).toMatch(new RegExp(`/jobs/${jobId}(?:\\?[^"]*)?"[\\s\\S]*?<span class="badge-verified" title="已认证企业">已认证</span>`));

    const [note] = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, c.user.id));
    expect(note).toMatchObject({ kind: 'employer.verified', title: '企业认证已通过', link: '/employer/profile' });

    const [entry] = await auditEntries(t.ctx, 'employer.verify', c.user.id);
    expect(entry).toMatchObject({ actorId: adminId, targetType: 'employer' });
    expect(entry!.before).toMatchObject({ companyName: '认证测试电子有限公司', creditCode: c.creditCode, verifiedAt: null, verifiedBy: null });
    expect(entry!.after).toMatchObject({ companyName: '认证测试电子有限公司', verifiedBy: adminId, verifiedAt: expect.any(String) });

    // Verifying again changes nothing.
    const again = await admin.post(`/admin/employers/${c.user.id}/verify`, { seen: await seenOn(c.user.id).catch(() => '') });
    expect(flashes((await follow(admin, again)).text)[0]!.type).toBe('info');
    expect(await auditEntries(t.ctx, 'employer.verify', c.user.id)).toHaveLength(1);
  });

  it('un-verify: the badge goes, the employer is told why, the audit keeps the reason', async () => {
    const c = await company('取消认证测试有限公司');
    const jobId = await makeJob(t.ctx, c.user.id, { title: '取消认证测试职位' });
    await admin.post(`/admin/employers/${c.user.id}/verify`, { seen: await seenOn(c.user.id) });
    expect(mainOf((await t.client().get(`/jobs/${jobId}`)).text)).toContain('已认证</span>');

    const res = await admin.post(`/admin/employers/${c.user.id}/unverify`, { reason: '营业执照已被吊销' });
    expect(flashes((await follow(admin, res)).text)[0]).toEqual({ type: 'success', text: '已取消认证:取消认证测试有限公司,企业已收到通知' });
    expect((await profileOf(c.user.id)).verifiedAt).toBeNull();
    expect(mainOf((await t.client().get(`/jobs/${jobId}`)).text)).toContain('<span class="badge-unverified">未认证</span>');

    const notes = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, c.user.id));
    expect(notes.find((n) => n.kind === 'employer.unverified')!.body).toContain('营业执照已被吊销');
    const [entry] = await auditEntries(t.ctx, 'employer.unverify', c.user.id);
    expect(entry!.before).toMatchObject({ verifiedBy: adminId });
    expect(entry!.after).toMatchObject({ verifiedAt: null, verifiedBy: null, reason: '营业执照已被吊销' });
    expect(pageText(mainOf((await admin.get(`/admin/employers/${c.user.id}`)).text))).toContain('原因:营业执照已被吊销');
  });

  it('refuses to verify a profile changed since the admin opened it: what was checked is what gets the badge', async () => {
    const c = await company('资料变更测试有限公司');
    const seen = await seenOn(c.user.id);
    // The company renames itself after the admin looked.
    await t.ctx.db.update(employerProfiles).set({ companyName: '改名后的公司', updatedAt: new Date(Date.now() + 1000) }).where(eq(employerProfiles.userId, c.user.id));
    const res = await admin.post(`/admin/employers/${c.user.id}/verify`, { seen });
    expect(flashes((await follow(admin, res)).text)).toEqual([{ type: 'error', text: '企业资料在你打开页面后有修改,请核对最新资料后再认证' }]);
    expect((await profileOf(c.user.id)).verifiedAt).toBeNull();
    expect(await auditEntries(t.ctx, 'employer.verify', c.user.id)).toHaveLength(0);
    // Without the value at all (a hand-made request): refused the same way.
    await admin.post(`/admin/employers/${c.user.id}/verify`, {});
    expect((await profileOf(c.user.id)).verifiedAt).toBeNull();
  });

  it('refuses an employer without a profile, with a message instead of an error page', async () => {
    const bare = await makeUser(t.ctx, 'employer');
    const res = await admin.post(`/admin/employers/${bare.id}/verify`, { seen: 'x' });
    expect(res.status).toBe(303);
    expect(flashes((await follow(admin, res)).text)).toEqual([{ type: 'error', text: '该企业还没有填写企业资料,无法认证' }]);
    const seeker = await makeUser(t.ctx, 'seeker');
    expect((await admin.post(`/admin/employers/${seeker.id}/verify`, {})).status).toBe(404);
    expect((await admin.post(`/admin/employers/${bare.id}/unverify`, { reason: 'x'.repeat(201) })).status).toBe(303);
  });
});

describe('the dashboard', () => {
  it('counts users, jobs, applications of the month, articles and reports, and lists the three queues', async () => {
    const c = await company('仪表盘待认证有限公司');
    const other = await signedIn(t, 'employer');
    await makeProfile(t.ctx, other.user.id, '仪表盘职位企业');
    const pending = await makeJob(t.ctx, other.user.id, { title: '仪表盘待审核职位' }, 'pending');
    const published = await makeJob(t.ctx, other.user.id, { title: '仪表盘被举报职位' });
    const reporter = await makeUser(t.ctx, 'seeker');
    const [report] = await t.ctx.db.insert(jobReports).values({ jobId: published, reporterId: reporter.id, reason: 'fee' }).returning();
    // Applications of this week and one eight days ago.
    const day = 86_400_000;
    const applicants = await Promise.all([0, 1, 2].map(() => makeUser(t.ctx, 'seeker')));
    await t.ctx.db.insert(applications).values([
      { jobId: published, seekerId: applicants[0]!.id, createdAt: new Date(Date.now() - 8 * day) },
      { jobId: published, seekerId: applicants[1]!.id, createdAt: new Date(Date.now() - 6 * day) },
      { jobId: published, seekerId: applicants[2]!.id },
    ]);
    const stat = (html: string, label: string) => Number(new RegExp(`<span class="stat-num[^"]*">(\\d+)</span><span class="stat-label">${label}`).exec(html)?.[1]);

    clockOffset += CHART_TTL_MS; // the charts were drawn when the admin logged in: past their cache now
    const res = await admin.get('/admin');
    expect(res.status).toBe(200);
    const main = mainOf(res.text);
    expect(main).toContain('<h1>管理后台</h1>');
    expect(main).toContain(`href="/admin/jobs/${pending}">仪表盘待审核职位</a>`);
    expect(main).toContain(`href="/admin/reports#report-${report!.id}">仪表盘被举报职位</a>`);
    // The verification queue: the five that have waited longest, as on /admin/employers?filter=unverified.
    const queue = [...main.matchAll(/href="\/admin\/employers\/(\d+)">/g)].map((m) => Number(m[1]));
    const waiting = [...mainOf((await admin.get('/admin/employers?filter=unverified')).text).matchAll(/href="\/admin\/employers\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(waiting).toContain(c.user.id);
    expect(queue).toEqual(waiting.slice(0, 5));
    expect(stat(main, '待认证企业')).toBe(waiting.length);
    expect(main).toContain('href="/admin/employers?filter=unverified"');
    // Applications are in the 30-day chart (its legend holds the total; its table each day).
    const since = new Date(`${addDays(chinaDate(new Date()), -29)}T00:00:00+08:00`);
    expect(main).toContain(`投递 <strong>${await t.ctx.db.$count(applications, gte(applications.createdAt, since))}</strong>`);
    expect(stat(main, '待审核职位')).toBe(await t.ctx.db.$count(jobs, eq(jobs.status, 'pending')));
    expect(stat(main, '待处理举报')).toBe(await t.ctx.db.$count(jobReports, eq(jobReports.status, 'open')));
    expect(stat(main, '管理员')).toBe(await t.ctx.db.$count(users, and(eq(users.role, 'admin'), eq(users.status, 'active'))));
    expect(stat(main, '招聘中')).toBe(await t.ctx.db.$count(jobs, eq(jobs.status, 'published')));
    expect(stat(main, '已发布资讯')).toBe(0);
    expect(res.text).toContain('<a href="/admin" aria-current="page">概览</a>');
  });
});
