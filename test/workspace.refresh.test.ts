// Job refresh (issue 18): POST /employer/jobs/:id/refresh moves a listed job to the top of the newest-first lists
// at once (through the anonymous page cache), once a China day per job, shown as 更新于, never as a new 发布于.
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { jobs } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { jobIdsIn } from './helpers/html';
import { makeJob, signedInEmployer } from './helpers/jobs';

let t: TestApp;
let clock = new Date('2026-11-20T02:00:00Z');
const hours = (n: number) => new Date(clock.getTime() - n * 3600_000);

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(() => t.close());

const anonymous = () => request(t.app);

describe('job refresh', () => {
  it('moves the job to the top of /jobs at once, keeps 发布于 and shows 更新于, once a day', async () => {
    const { client, id: employerId } = await signedInEmployer(t, '深圳刷新测试有限公司');
    const older = await makeJob(t.ctx, employerId, { title: '刷新测试老职位' }, 'published', hours(48));
    const newer = await makeJob(t.ctx, employerId, { title: '刷新测试新职位' }, 'published', hours(1));

    const before = jobIdsIn((await anonymous().get('/jobs')).text);
    expect(before.indexOf(newer)).toBeLessThan(before.indexOf(older));
    await anonymous().get('/jobs'); // kept in the page cache

    const res = await client.post(`/employer/jobs/${older}/refresh`, {});
    expect(res.status).toBe(303);

    const after = jobIdsIn((await anonymous().get('/jobs')).text);
    expect(after[0]).toBe(older);
    const home = await anonymous().get('/');
    expect(jobIdsIn(home.text).indexOf(older)).toBeLessThan(jobIdsIn(home.text).indexOf(newer));
    expect((await anonymous().get('/jobs')).text).toMatch(/更新于 <time/);

    const page = await anonymous().get(`/jobs/${older}`);
    expect(page.text).toContain('发布于 <time datetime="2026-11-18T02:00:00.000Z"');
    expect(page.text).toContain('更新于 <time datetime="2026-11-20T02:00:00.000Z"');
    expect(page.text).toContain('"datePosted":"2026-11-18T02:00:00.000Z"');

    // Once a China day: refused the same day, even late in the evening; allowed after midnight China time.
    clock = new Date('2026-11-20T15:30:00Z'); // 23:30 in Shenzhen
    const again = await client.post(`/employer/jobs/${older}/refresh`, {});
    expect(again.status).toBe(429);
    expect(again.text).toContain('今天已刷新过');
    const [row] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, older));
    expect(row!.publishedAt!.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(row!.firstPublishedAt!.toISOString()).toBe('2026-11-18T02:00:00.000Z');

    clock = new Date('2026-11-20T16:30:00Z'); // 00:30 the next day in Shenzhen
    expect((await client.post(`/employer/jobs/${older}/refresh`, {})).status).toBe(303);
    const [next] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, older));
    expect(next!.publishedAt!.toISOString()).toBe('2026-11-20T16:30:00.000Z');
    expect(next!.firstPublishedAt!.toISOString()).toBe('2026-11-18T02:00:00.000Z');
  });

  it('refuses a job that is not listed, and another employer\'s job is a 404', async () => {
    const { client, id: employerId } = await signedInEmployer(t);
    const draft = await makeJob(t.ctx, employerId, { title: '刷新测试草稿' }, 'draft');
    const closed = await makeJob(t.ctx, employerId, { title: '刷新测试已关闭' }, 'closed');
    expect((await client.post(`/employer/jobs/${draft}/refresh`, {})).status).toBe(409);
    expect((await client.post(`/employer/jobs/${closed}/refresh`, {})).status).toBe(409);

    const other = await signedInEmployer(t);
    const theirs = await makeJob(t.ctx, other.id, { title: '别人的职位' }, 'published', hours(30));
    expect((await client.post(`/employer/jobs/${theirs}/refresh`, {})).status).toBe(404);
    const [row] = await t.ctx.db.select().from(jobs).where(eq(jobs.id, theirs));
    expect(row!.firstPublishedAt).toBeNull();
  });

  it('shows the 刷新 button on the employer\'s published jobs', async () => {
    const { client, id: employerId } = await signedInEmployer(t);
    const job = await makeJob(t.ctx, employerId, { title: '按钮测试' }, 'published', hours(3));
    const list = await client.get('/employer/jobs?status=published');
    expect(list.text).toContain(`action="/employer/jobs/${job}/refresh"`);
  });
});
