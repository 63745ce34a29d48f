// The anonymous page cache (issue 21): kept pages are served from memory, and never after a change to what they
// show: a job, an employer, a site setting or an article, read at once in this process and in a second one.
import { eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows, type Db } from '../src/db/client';
import { articles, employerProfiles, jobs, siteSettings } from '../src/db/schema';
import { recordArticleView } from '../src/features/news/news.queries';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';
import { makeArticle } from './helpers/news';
import { useSecondProcess } from './helpers/secondProcess';

jest.setTimeout(120_000);

/** A write the triggers do not see: it shows only where a page is rendered anew, so it tells a kept page from a fresh one. */
async function writeUnseen(db: Db, statement: ReturnType<typeof sql>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe('the anonymous page cache, in one process', () => {
  let t: TestApp;
  let clock = new Date('2026-11-20T02:00:00Z');
  let employerId: number;
  let jobId: number;

  beforeAll(async () => {
    t = await createTestApp({ now: () => clock });
    employerId = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employerId, '深圳缓存测试有限公司');
    jobId = await makeJob(t.ctx, employerId, { title: '缓存测试普工' }, 'published', clock);
  });
  afterAll(() => t.close());

  const anonymous = () => request(t.app);

  it('serves a kept page from memory: a write that raises no generation is not seen, a real one at once', async () => {
    expect((await anonymous().get(`/jobs/${jobId}`)).text).toContain('缓存测试普工');
    await writeUnseen(t.ctx.db, sql`update jobs set title = '绕过触发器的标题' where id = ${jobId}`);
    // The kept page: proof that the second request did not render.
    expect((await anonymous().get(`/jobs/${jobId}`)).text).toContain('缓存测试普工');
    // A signed-in reader never gets a kept page.
    const { client } = await signedIn(t, 'seeker');
    expect((await client.get(`/jobs/${jobId}`)).text).toContain('绕过触发器的标题');

    await t.ctx.db.update(jobs).set({ title: '改过的普工标题' }).where(eq(jobs.id, jobId));
    for (const page of [`/jobs/${jobId}`, '/jobs', '/']) expect((await anonymous().get(page)).text).toContain('改过的普工标题');
  });

  it('shows a closed job gone from the lists and its page ended at once', async () => {
    const other = await makeJob(t.ctx, employerId, { title: '马上下架的岗位' }, 'published', clock);
    expect(jobIdsIn((await anonymous().get('/jobs')).text)).toContain(other);
    expect((await anonymous().get(`/jobs/${other}`)).status).toBe(200);
    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: clock }).where(eq(jobs.id, other));
    expect(jobIdsIn((await anonymous().get('/jobs')).text)).not.toContain(other);
    expect((await anonymous().get(`/jobs/${other}`)).text).toContain('已结束');
  });

  it('shows an employer profile change at once on its job page', async () => {
    await anonymous().get(`/jobs/${jobId}`);
    await t.ctx.db.update(employerProfiles).set({ companyName: '改名后的缓存公司' }).where(eq(employerProfiles.userId, employerId));
    expect((await anonymous().get(`/jobs/${jobId}`)).text).toContain('改名后的缓存公司');
  });

  it('shows a site setting change at once on every kept page', async () => {
    const admin = await makeUser(t.ctx, 'admin');
    for (const page of ['/', '/jobs', `/jobs/${jobId}`]) await anonymous().get(page);
    await t.ctx.settings.update({ hotline: '0755-1234 5678' }, { id: admin.id, login: admin.login });
    for (const page of ['/', '/jobs', `/jobs/${jobId}`]) expect((await anonymous().get(page)).text).toContain('0755-1234 5678');
  });

  it('shows a new or changed article at once on the home page; a reader’s view changes nothing', async () => {
    const first = await makeArticle(t.ctx, { title: '首页缓存测试资讯', publishedAt: clock });
    expect((await anonymous().get('/')).text).toContain('首页缓存测试资讯');
    await t.ctx.db.update(articles).set({ title: '改过的首页资讯' }).where(eq(articles.id, first.id));
    expect((await anonymous().get('/')).text).toContain('改过的首页资讯');
    await makeArticle(t.ctx, { title: '刚发布的首页资讯', publishedAt: new Date(clock.getTime() + 1000) });
    expect((await anonymous().get('/')).text).toContain('刚发布的首页资讯');

    // A view only moves view_count, which the home page does not show: the kept page stays.
    const newsGeneration = async () => (await queryRows<{ g: string }>(t.ctx.db, sql`select generation::text as g from change_generations where name = 'news'`))[0]!.g;
    const before = await newsGeneration();
    expect(await recordArticleView(t.ctx.db, first.id, 'a:someone', '2026-11-20')).toBe(true);
    expect(await newsGeneration()).toBe(before);
  });

  it('renders a page again in the next minute, so relative times and today’s date move on', async () => {
    await anonymous().get(`/jobs/${jobId}`);
    await writeUnseen(t.ctx.db, sql`update jobs set title = '下一分钟才看到的标题' where id = ${jobId}`);
    expect((await anonymous().get(`/jobs/${jobId}`)).text).not.toContain('下一分钟才看到的标题');
    clock = new Date(clock.getTime() + 60_000);
    expect((await anonymous().get(`/jobs/${jobId}`)).text).toContain('下一分钟才看到的标题');
  });

  it('keeps gzip bytes and answers a matching If-None-Match with 304', async () => {
    const plain = await anonymous().get('/').set('Accept-Encoding', 'identity');
    // supertest unzips the body: the same page.
    const zipped = await anonymous().get('/').set('Accept-Encoding', 'gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBeLessThan(plain.text.length / 2);
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.text).toBe(plain.text);
    // The kept page carries the security headers of its first response.
    expect(zipped.headers['content-security-policy']).toContain("script-src 'self'");
    expect(zipped.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const etag = plain.headers.etag!;
    expect(etag).toBeTruthy();
    expect((await anonymous().get('/').set('If-None-Match', etag)).status).toBe(304);
  });

  it('gives an anonymous reader no cookie, and a page with a form still its session and token', async () => {
    for (const page of ['/', '/jobs', `/jobs/${jobId}`, '/news']) expect((await anonymous().get(page)).headers['set-cookie']).toBeUndefined();
    const login = await anonymous().get('/login');
    expect(String(login.headers['set-cookie'])).toMatch(/pc\.sid=/);
    expect(login.text).toMatch(/name="_csrf" value="[^"]+"/);
    // A signed-in seeker's pages carry its forms (report, apply), never a kept anonymous page.
    const { client } = await signedIn(t, 'seeker');
    const page = await client.get(`/jobs/${jobId}`);
    expect(page.text).toContain(`action="/jobs/${jobId}/report"`);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('does not keep a 404', async () => {
    expect((await anonymous().get('/jobs/99999999')).status).toBe(404);
    expect((await anonymous().get('/jobs/99999999')).status).toBe(404);
  });
});

describe('the request log beside the page cache', () => {
  let t: TestApp;
  const lines: { msg: string; req?: { url: string }; res?: { statusCode: number } }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ logStream: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    const employerId = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employerId, '深圳日志测试有限公司');
    await makeJob(t.ctx, employerId, { title: '日志测试普工' }, 'published');
  });
  afterAll(() => t.close());

  const requestLines = (url: string) => lines.filter((l) => l.req?.url === url && l.res);

  it('logs no line for a page rendered and kept for an anonymous reader, and still logs every other request', async () => {
    // Kept: counted in the page cache's minute line, as the hits that follow it.
    expect((await request(t.app).get('/jobs')).status).toBe(200);
    expect((await request(t.app).get('/jobs')).status).toBe(200);
    expect(requestLines('/jobs')).toEqual([]);
    // Not kept: a 404, a page that gave the reader a session, a page no cache keeps.
    expect((await request(t.app).get('/jobs/99999999')).status).toBe(404);
    expect((await request(t.app).get('/login')).status).toBe(200);
    expect((await request(t.app).get('/news')).status).toBe(200);
    for (const url of ['/jobs/99999999', '/login', '/news']) expect(requestLines(url)).toHaveLength(1);
    expect(requestLines('/jobs/99999999')[0]!.res!.statusCode).toBe(404);
  });
});

describe('the anonymous page cache, read from a second process on the same PostgreSQL', () => {
  const other = useSecondProcess('cache');

  const read = other.read;

  it('shows a job, a setting and an article changed elsewhere on the very next request', async () => {
    const home = await read('/');
    const jobId = jobIdsIn(home)[0]!;
    await read(`/jobs/${jobId}`);
    await read('/jobs');

    await other.db.update(jobs).set({ title: '另一进程改的标题' }).where(eq(jobs.id, jobId));
    for (const page of ['/', '/jobs', `/jobs/${jobId}`]) expect(await read(page)).toContain('另一进程改的标题');

    // Written straight into the table: no NOTIFY, only the generation tells the other process.
    await other.db.update(siteSettings).set({ value: '0755-8765 4321' }).where(eq(siteSettings.key, 'hotline'));
    for (const page of ['/', `/jobs/${jobId}`]) expect(await read(page)).toContain('0755-8765 4321');

    const [newest] = await other.db.select({ id: articles.id }).from(articles).where(eq(articles.status, 'published')).orderBy(sql`published_at desc`).limit(1);
    await other.db.update(articles).set({ title: '另一进程改的资讯' }).where(eq(articles.id, newest!.id));
    expect(await read('/')).toContain('另一进程改的资讯');
  });
});
