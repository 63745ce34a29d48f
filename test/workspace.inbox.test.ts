// The employer's applicant inbox: every job's applicants in one list, filters as links, unread counts, paging,
// the bulk status change (per-row rules), and that an employer never sees another employer's applicants.
import { eq } from 'drizzle-orm';
import { applications, notifications } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { applicant, employerWithJobs } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Ids of the applications listed on an inbox page. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/id="application-(\d+)"/g)].map((m) => Number(m[1]));
}

async function statusOf(id: number) {
  const [row] = await t.ctx.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id));
  return row?.status;
}

describe('the applicant inbox', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let other: Awaited<ReturnType<typeof employerWithJobs>>;
  let wang: Awaited<ReturnType<typeof applicant>>;
  let li: Awaited<ReturnType<typeof applicant>>;
  let zhao: Awaited<ReturnType<typeof applicant>>;
  let stranger: Awaited<ReturnType<typeof applicant>>;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 2);
    other = await employerWithJobs(t, 1, '深圳市别家物流有限公司');
    wang = await applicant(t, employer.jobs[0]!.id, { realName: '王小明', district: '宝安区' });
    li = await applicant(t, employer.jobs[1]!.id, { realName: '李大力', district: '龙华区' });
    zhao = await applicant(t, employer.jobs[1]!.id, { realName: '赵六', district: '宝安区' });
    stranger = await applicant(t, other.jobs[0]!.id, { realName: '别家求职者' });
  });

  it('lists the applicants of all the employer’s jobs, newest first, with unread counts, and none of another employer', async () => {
    const res = await employer.client.get('/employer/applicants');
    expect(res.status).toBe(200);
    expect(listedIds(res.text)).toEqual([zhao.applicationId, li.applicationId, wang.applicationId]);
    expect(res.text).toContain(employer.jobs[0]!.title);
    expect(res.text).toContain(employer.jobs[1]!.title);
    expect(res.text).not.toContain('别家求职者');
    // Three unopened applications: the heading's badge and the job filter say so.
    expect(res.text).toMatch(/<span class="badge badge-inline" title="未读">3<\/span>/);
    expect(res.text).toContain(`${employer.jobs[1]!.title}(2 份,2 未读)`);
    // Phones are masked in the list.
    expect(res.text).not.toContain(wang.user.login);
    expect(res.text).toContain(`${wang.user.login.slice(0, 3)}****${wang.user.login.slice(7)}`);
  });

  it('filters by job, status, district, name or phone, and date, all as GET parameters', async () => {
    const c = employer.client;
    expect(listedIds((await c.get(`/employer/applicants?job=${employer.jobs[1]!.id}`)).text)).toEqual([zhao.applicationId, li.applicationId]);
    expect(listedIds((await c.get('/employer/applicants?district=宝安区')).text)).toEqual([zhao.applicationId, wang.applicationId]);
    expect(listedIds((await c.get('/employer/applicants?q=大力')).text)).toEqual([li.applicationId]);
    expect(listedIds((await c.get(`/employer/applicants?q=${wang.user.login.slice(-6)}`)).text)).toEqual([wang.applicationId]);
    expect(listedIds((await c.get('/employer/applicants?status=hired')).text)).toEqual([]);
    expect(listedIds((await c.get('/employer/applicants?from=2000-01-01&to=2000-01-02')).text)).toEqual([]);
    expect(listedIds((await c.get('/employer/applicants?from=2000-01-01')).text)).toHaveLength(3);
    // Another employer's job id as a filter shows nothing, not that job's applicants.
    expect(listedIds((await c.get(`/employer/applicants?job=${other.jobs[0]!.id}`)).text)).toEqual([]);
    // Nonsense filters are ignored, not a 500.
    const odd = await c.get('/employer/applicants?status=nope&from=2024-13-45&district=火星&job=abc&q=%25');
    expect(odd.status).toBe(200);
  });

  it('opening an application takes it off the unread count', async () => {
    await employer.client.get(`/employer/applications/${wang.applicationId}`);
    const res = await employer.client.get('/employer/applicants');
    expect(res.text).toMatch(/<span class="badge badge-inline" title="未读">2<\/span>/);
    expect(res.text).toMatch(new RegExp(`class="item inbox-item" id="application-${wang.applicationId}"`));
  });

  it('a bulk status change applies the rules per row: one refusal does not stop the others', async () => {
    // wang is `viewed` → shortlisted is allowed; li is `new` → shortlisted is allowed too; make zhao `rejected` first.
    await employer.client.post(`/employer/applications/${zhao.applicationId}/status`, { status: 'rejected' });
    const before = (await t.ctx.db.select().from(notifications).where(eq(notifications.userId, zhao.user.id))).length;
    const res = await employer.client.post('/employer/applicants/bulk', {
      ids: [String(wang.applicationId), String(li.applicationId), String(zhao.applicationId), String(stranger.applicationId)],
      status: 'shortlisted',
      next: '/employer/applicants?status=new',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/employer/applicants?status=new');
    expect(await statusOf(wang.applicationId)).toBe('shortlisted');
    expect(await statusOf(li.applicationId)).toBe('shortlisted');
    expect(await statusOf(zhao.applicationId)).toBe('rejected');
    // Another employer's application is refused like any other row, and stays as it was.
    expect(await statusOf(stranger.applicationId)).toBe('new');
    expect((await t.ctx.db.select().from(notifications).where(eq(notifications.userId, zhao.user.id))).length).toBe(before);
    const page = await employer.client.get('/employer/applicants');
    expect(page.text).toContain('已将 2 位求职者更新为「初筛通过」');
    expect(page.text).toContain('2 位求职者的当前状态不能这样改');
  });

  it('a bulk change with nothing ticked changes nothing and says why', async () => {
    const res = await employer.client.post('/employer/applicants/bulk', { status: 'rejected' });
    expect(res.status).toBe(303);
    const page = await employer.client.get(res.headers.location!);
    expect(page.text).toContain('请先勾选要处理的求职者');
    expect(await statusOf(wang.applicationId)).toBe('shortlisted');
  });

  it('pages 20 at a time, with the filters kept in the paging links', async () => {
    const busy = await employerWithJobs(t, 1, '深圳市繁忙人力有限公司');
    for (let i = 0; i < 21; i++) await applicant(t, busy.jobs[0]!.id, { district: '南山区' });
    const first = await busy.client.get('/employer/applicants?district=南山区');
    expect(listedIds(first.text)).toHaveLength(20);
    expect(first.text).toContain('href="/employer/applicants?district=%E5%8D%97%E5%B1%B1%E5%8C%BA&amp;page=2"');
    const second = await busy.client.get('/employer/applicants?district=南山区&page=2');
    expect(listedIds(second.text)).toHaveLength(1);
    expect((await busy.client.get('/employer/applicants?page=3')).status).toBe(404);
  });

  it('is for employers only: a seeker gets 403, a visitor goes to login', async () => {
    const seeker = await signedIn(t, 'seeker');
    expect((await seeker.client.get('/employer/applicants')).status).toBe(403);
    const visitor = await t.client().get('/employer/applicants');
    expect(visitor.status).toBe(302);
  });

  it('the dashboard’s 新投递 tile links to the inbox filtered to new applications', async () => {
    const res = await employer.client.get('/employer');
    expect(res.text).toContain('href="/employer/applicants?status=new"');
  });
});
