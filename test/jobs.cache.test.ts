// The cache of job lists (issue 10) is never stale: approvals, closures, disabled employers, company names
// and changes made by another process show on the very next page load; the China date rolls lists over.
import { eq, sql } from 'drizzle-orm';
import { openDb } from '../src/db/client';
import { employerProfiles, jobs, users } from '../src/db/schema';
import { ListedJobsCache, listedJobsCacheOf, listedJobsGeneration } from '../src/features/jobs/jobs.cache';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
let employerId: number;
let clock = new Date();
const search = (q: string) => `/jobs?q=${encodeURIComponent(q)}`;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  employerId = (await makeUser(t.ctx, 'employer')).id;
  await makeProfile(t.ctx, employerId, '深圳缓存测试有限公司');
});
afterAll(() => t.close());

describe('the list cache', () => {
  it('computes a key once per generation, and again after any change to jobs', async () => {
    const cache = new ListedJobsCache(t.ctx.db);
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.get('k', compute)).toBe(1);
    expect(await cache.get('k', compute)).toBe(1);
    // Concurrent misses share one computation.
    await Promise.all([cache.get('other', compute), cache.get('other', compute)]);
    expect(computed).toBe(2);
    await makeJob(t.ctx, employerId, { title: '仓库理货员' });
    expect(await cache.get('k', compute)).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('shows a job approved by an admin on the next search, list and home page', async () => {
    const client = t.client();
    const pending = await makeJob(t.ctx, employerId, { title: '冷库搬运工 日结' }, 'pending');
    for (const path of [search('冷库'), '/jobs', '/']) expect(jobIdsIn((await client.get(path)).text)).not.toContain(pending);
    const { client: admin } = await signedIn(t, 'admin');
    expect((await admin.post(`/admin/jobs/${pending}/approve`)).status).toBe(303);
    for (const path of [search('冷库'), '/jobs', '/']) expect(jobIdsIn((await client.get(path)).text)).toContain(pending);
  });

  it('drops the jobs of an employer disabled by an admin, and shows them again when enabled', async () => {
    const other = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, other, '深圳另一家测试有限公司');
    const job = await makeJob(t.ctx, other, { title: '超市夜班理货员' });
    const client = t.client();
    expect(jobIdsIn((await client.get(search('理货员'))).text)).toContain(job);
    const { client: admin } = await signedIn(t, 'admin');
    await admin.post(`/admin/users/${other}/disable`);
    expect(jobIdsIn((await client.get(search('理货员'))).text)).not.toContain(job);
    await admin.post(`/admin/users/${other}/enable`);
    expect(jobIdsIn((await client.get(search('理货员'))).text)).toContain(job);
  });

  it('shows a closed job gone and a changed company name at once', async () => {
    const job = await makeJob(t.ctx, employerId, { title: '商场保洁 白班' });
    const client = t.client();
    expect((await client.get(search('商场保洁'))).text).toContain('深圳缓存测试有限公司');
    await t.ctx.db.update(employerProfiles).set({ companyName: '深圳缓存改名有限公司' }).where(eq(employerProfiles.userId, employerId));
    const renamed = await client.get(search('商场保洁'));
    expect(renamed.text).toContain('深圳缓存改名有限公司');
    expect(renamed.text).not.toContain('深圳缓存测试有限公司');
    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: new Date() }).where(eq(jobs.id, job));
    expect(jobIdsIn((await client.get(search('商场保洁'))).text)).not.toContain(job);
  });

  it('sees changes made by another process on the same database (PostgreSQL server mode)', async () => {
    const url = t.ctx.config.databaseUrl;
    const job = await makeJob(t.ctx, employerId, { title: '电子厂包装工' });
    const client = t.client();
    expect(jobIdsIn((await client.get(search('包装工'))).text)).toContain(job);
    if (!url) {
      // Embedded mode is one process; a change written straight to the database stands in for it.
      await t.ctx.db.execute(sql`update jobs set status = 'closed' where id = ${job}`);
    } else {
      const elsewhere = await openDb({ databaseUrl: url });
      try {
        await elsewhere.db.update(jobs).set({ status: 'closed' }).where(eq(jobs.id, job));
      } finally {
        await elsewhere.close();
      }
    }
    expect(jobIdsIn((await client.get(search('包装工'))).text)).not.toContain(job);
  });

  it('drops a job whose last valid day has passed when the China date changes, with nothing written', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(clock);
    const job = await makeJob(t.ctx, employerId, { title: '展会临时搭建工', validUntil: today });
    const client = t.client();
    expect(jobIdsIn((await client.get(search('搭建工'))).text)).toContain(job);
    const generation = await listedJobsGeneration(t.ctx.db);
    clock = new Date(clock.getTime() + 24 * 3600_000);
    expect(jobIdsIn((await client.get(search('搭建工'))).text)).not.toContain(job);
    expect(await listedJobsGeneration(t.ctx.db)).toBe(generation);
  });

  it('is not moved by logins or other account changes', async () => {
    const cache = listedJobsCacheOf(t.ctx.db);
    await t.client().get(search('普工'));
    const before = await listedJobsGeneration(t.ctx.db);
    await t.ctx.db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, employerId));
    expect(await listedJobsGeneration(t.ctx.db)).toBe(before);
    expect(cache.size).toBeGreaterThan(0);
  });
});
