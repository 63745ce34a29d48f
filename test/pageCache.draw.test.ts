// Job pages the page cache draws ahead of Express's chain (issue 21): byte for byte the page the route renders
// for a reader without a session, with the same headers, the same 404s, and every change shown on the next
// request, in this process and in a second one on the same PostgreSQL.
import { eq, sql } from 'drizzle-orm';
import express from 'express';
import request from 'supertest';
import { pageCacheOf, requestListenerOf } from '../src/app';
import type { Db } from '../src/db/client';
import { employerProfiles, jobs, siteSettings, users } from '../src/db/schema';
import { addDays, chinaDate } from '../src/domain/dates';
import { pageCache } from '../src/web/pageCache';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';
import { useSecondProcess } from './helpers/secondProcess';

jest.setTimeout(120_000);

/** A write the triggers do not see: only a page rendered anew shows it. */
async function writeUnseen(db: Db, statement: ReturnType<typeof sql>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

/** Headers that belong to one response (its id, its date, the connection), not to the page. */
const PER_RESPONSE = new Set(['x-request-id', 'date', 'connection', 'keep-alive']);
const pageHeaders = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)));

describe('job pages drawn ahead of Express, in one process', () => {
  let t: TestApp;
  const clock = new Date('2026-11-20T02:00:00Z');
  let employerId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ now: () => clock });
    employerId = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employerId, '深圳画页测试有限公司');
    const verified = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, verified, '深圳已认证画页公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: clock }).where(eq(employerProfiles.userId, verified));
    ids.first = await makeJob(t.ctx, employerId, { title: '第一个职位页' }, 'published', clock);
    ids.live = await makeJob(t.ctx, employerId, { title: '画页测试普工', description: '面试请打 13912345678,包吃住。' }, 'published', clock);
    ids.closed = await makeJob(t.ctx, employerId, { title: '企业自己下架的岗位' }, 'closed', clock);
    ids.expired = await makeJob(t.ctx, employerId, { title: '过了有效期的岗位' }, 'published', clock);
    await t.ctx.db.update(jobs).set({ validUntil: addDays(chinaDate(clock), -1) }).where(eq(jobs.id, ids.expired));
    ids.verified = await makeJob(t.ctx, verified, { title: '认证企业的岗位', category: '普工', district: '宝安区' }, 'published', clock);
    ids.pending = await makeJob(t.ctx, employerId, { title: '待审核的岗位' }, 'pending', clock);
    ids.takenDown = await makeJob(t.ctx, employerId, { title: '被管理员下架的岗位' }, 'published', clock);
    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: clock, rejectReason: '虚假招聘' }).where(eq(jobs.id, ids.takenDown));
    // The first job page of a process goes through Express: its headers are those of the pages drawn after it.
    const first = await anonymous(`/jobs/${ids.first}`);
    expect(first.status).toBe(200);
    expect(drawn()).toBe(0);
  });
  afterAll(() => t.close());

  const drawn = () => pageCacheOf(t.app)!.drawnPages();
  const anonymous = (path: string) => request(t.app).get(path).set('Accept-Encoding', 'identity');
  // A session cookie that names no session: the full Express path, for a reader who is not signed in.
  const throughExpress = (path: string) => request(t.app).get(path).set('Accept-Encoding', 'identity').set('Cookie', `${t.ctx.sessionCookieName}=s%3Anone.none`);

  it('draws a job page byte for byte as the route renders it, with the same headers and ETag', async () => {
    for (const name of ['live', 'closed', 'expired', 'verified']) {
      const before = drawn();
      const page = await anonymous(`/jobs/${ids[name]}`);
      expect(drawn()).toBe(before + 1);
      const reference = await throughExpress(`/jobs/${ids[name]}`);
      expect(page.status).toBe(200);
      expect(reference.status).toBe(200);
      expect(page.text).toBe(reference.text);
      expect(pageHeaders(page.headers)).toEqual(pageHeaders(reference.headers));
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(page.headers['set-cookie']).toBeUndefined();
    }
    const live = (await anonymous(`/jobs/${ids.live}`)).text;
    expect(live).not.toContain('13912345678');
    expect(live).toContain('139****5678');
    expect((await anonymous(`/jobs/${ids.closed}`)).text).toContain('已结束');
    expect((await anonymous(`/jobs/${ids.expired}`)).text).toContain('已结束');
    expect((await anonymous(`/jobs/${ids.verified}`)).text).toContain('已认证');
  });

  it('gzips a drawn page and answers its ETag with 304', async () => {
    const zipped = await request(t.app).get(`/jobs/${ids.verified}`).set('Accept-Encoding', 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.text).toBe((await throughExpress(`/jobs/${ids.verified}`)).text);
    expect((await anonymous(`/jobs/${ids.verified}`).set('If-None-Match', zipped.headers.etag!)).status).toBe(304);
  });

  it('leaves unknown, malformed and hidden jobs to Express: the same 404 page', async () => {
    for (const path of ['/jobs/99999999', '/jobs/0123', `/jobs/${ids.pending}`, `/jobs/${ids.takenDown}`]) {
      const page = await anonymous(path);
      expect(page.status).toBe(404);
      expect(page.text).toBe((await throughExpress(path)).text);
    }
  });

  it('shows a job edit, a rename, a verification, a setting, a closure and a suspension on the next request', async () => {
    const path = `/jobs/${ids.live}`;
    const read = async () => (await anonymous(path)).text;
    expect(await read()).toContain('画页测试普工');
    // Kept: a write the triggers do not see is not drawn again.
    await writeUnseen(t.ctx.db, sql`update jobs set title = '绕过触发器的画页标题' where id = ${ids.live}`);
    const before = drawn();
    expect(await read()).toContain('画页测试普工');
    expect(drawn()).toBe(before);

    await t.ctx.db.update(jobs).set({ title: '改过的画页标题' }).where(eq(jobs.id, ids.live));
    expect(await read()).toContain('改过的画页标题');
    expect(drawn()).toBe(before + 1);
    await t.ctx.db.update(employerProfiles).set({ companyName: '改名后的画页公司' }).where(eq(employerProfiles.userId, employerId));
    expect(await read()).toContain('改名后的画页公司');
    expect(await read()).toContain('未认证');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: clock }).where(eq(employerProfiles.userId, employerId));
    expect(await read()).toContain('已认证');
    const admin = await makeUser(t.ctx, 'admin');
    await t.ctx.settings.update({ hotline: '0755-2222 3333' }, { id: admin.id, login: admin.login });
    expect(await read()).toContain('0755-2222 3333');
    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: clock }).where(eq(jobs.id, ids.live));
    expect(await read()).toContain('已结束');
    await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, employerId));
    expect((await anonymous(path)).status).toBe(404);
    // Every page drawn here was the route's page too.
    await t.ctx.db.update(users).set({ status: 'active' }).where(eq(users.id, employerId));
    expect((await anonymous(path)).text).toBe((await throughExpress(path)).text);
  });

  it('never draws for a signed-in reader or a request with a session cookie', async () => {
    const before = drawn();
    await throughExpress(`/jobs/${ids.closed}?signed=1`);
    expect(drawn()).toBe(before);
  });
});

describe('job pages answered by the server’s request listener, ahead of Express', () => {
  let t: TestApp;
  const clock = new Date('2026-11-20T02:00:00Z');
  let employerId: number;
  /** Published jobs of one employer: each step of a test below reads one no page of which was kept before. */
  const fresh: number[] = [];
  let closedId: number;

  beforeAll(async () => {
    t = await createTestApp({ now: () => clock });
    employerId = (await makeUser(t.ctx, 'employer')).id;
    await makeProfile(t.ctx, employerId, '深圳监听器测试有限公司');
    for (let i = 0; i < 12; i++) fresh.push(await makeJob(t.ctx, employerId, { title: `监听器职位${i}`, description: `第${i}个,电话 13912345678。` }, 'published', clock));
    closedId = await makeJob(t.ctx, employerId, { title: '监听器已结束岗位' }, 'closed', clock);
    // The first job page of a process goes through Express: its headers are those of the pages drawn after it.
    expect((await ahead(`/jobs/${fresh.pop()}`)).status).toBe(200);
  });
  afterAll(() => t.close());

  const drawn = () => pageCacheOf(t.app)!.drawnPages();
  const kept = () => pageCacheOf(t.app)!.store.size;
  const ahead = (path: string) => request(requestListenerOf(t.app)).get(path).set('Accept-Encoding', 'identity');
  const throughExpress = (path: string) => request(t.app).get(path).set('Accept-Encoding', 'identity').set('Cookie', `${t.ctx.sessionCookieName}=s%3Anone.none`);
  const next = () => `/jobs/${fresh.pop()!}`;

  it('draws a page never kept, and answers a kept one, byte for byte and header for header as Express renders it', async () => {
    for (const path of [next(), next(), `/jobs/${closedId}`]) {
      const before = drawn();
      const page = await ahead(path);
      expect(drawn()).toBe(before + 1);
      const again = await ahead(path);
      expect(drawn()).toBe(before + 1);
      const reference = await throughExpress(path);
      expect([page.status, again.status, reference.status]).toEqual([200, 200, 200]);
      expect(page.text).toBe(reference.text);
      expect(again.text).toBe(reference.text);
      expect(pageHeaders(page.headers)).toEqual(pageHeaders(reference.headers));
      expect(pageHeaders(again.headers)).toEqual(pageHeaders(reference.headers));
      expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(page.headers['x-request-id']).not.toBe(again.headers['x-request-id']);
      expect(page.text).not.toContain('13912345678');
    }
    expect((await ahead(`/jobs/${fresh[0]}`)).text).toContain('139****5678');
    const head = await request(requestListenerOf(t.app)).head(`/jobs/${closedId}`);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength((await throughExpress(`/jobs/${closedId}`)).text)));
    const zipped = await request(requestListenerOf(t.app)).get(`/jobs/${closedId}`).set('Accept-Encoding', 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect((await ahead(`/jobs/${closedId}`).set('If-None-Match', zipped.headers.etag!)).status).toBe(304);
  });

  it('leaves to Express the 404s, a query string, a session cookie and other methods, as Express alone answers them', async () => {
    for (const path of ['/jobs/99999999', '/jobs/0123', '/jobs/abc', '/nowhere']) {
      const page = await ahead(path);
      expect(page.status).toBe(404);
      expect(page.text).toBe((await throughExpress(path)).text);
    }
    const before = drawn();
    const path = next();
    const withQuery = await ahead(`${path}?sq=普工&sr=2`);
    expect(withQuery.status).toBe(200);
    expect(drawn()).toBe(before + 1);
    expect(withQuery.text).toBe((await throughExpress(path)).text);
    const signedOut = await request(requestListenerOf(t.app)).get(next()).set('Cookie', `${t.ctx.sessionCookieName}=s%3Anone.none`);
    expect(signedOut.status).toBe(200);
    expect(drawn()).toBe(before + 1);
    expect((await request(requestListenerOf(t.app)).post(path)).status).toBe((await request(t.app).post(path)).status);
    // The home page and the lists: kept by Express at the first request, then answered ahead of it.
    const home = await ahead('/');
    const entries = kept();
    expect((await ahead('/')).text).toBe(home.text);
    expect(kept()).toBe(entries);
  });

  it('shows every change on the next request, for a page kept before and for one never kept (its row and the generations in one query)', async () => {
    const keptPath = next();
    const read = async (path: string) => (await ahead(path)).text;
    expect(await read(keptPath)).toContain('监听器职位');
    // Kept: a write the triggers do not see is not drawn again.
    const id = Number(keptPath.split('/')[2]);
    await writeUnseen(t.ctx.db, sql`update jobs set title = '绕过触发器的监听器标题' where id = ${id}`);
    expect(await read(keptPath)).not.toContain('绕过触发器的监听器标题');

    await t.ctx.db.update(jobs).set({ title: '监听器改过的标题' }).where(eq(jobs.id, id));
    expect(await read(keptPath)).toContain('监听器改过的标题');
    await t.ctx.db.update(employerProfiles).set({ companyName: '监听器改名公司' }).where(eq(employerProfiles.userId, employerId));
    expect(await read(keptPath)).toContain('监听器改名公司');
    expect(await read(next())).toContain('监听器改名公司');
    await t.ctx.db.update(employerProfiles).set({ verifiedAt: clock }).where(eq(employerProfiles.userId, employerId));
    expect(await read(keptPath)).toContain('已认证');
    expect(await read(next())).toContain('已认证');
    const admin = await makeUser(t.ctx, 'admin');
    await t.ctx.settings.update({ hotline: '0755-8888 1111' }, { id: admin.id, login: admin.login });
    expect(await read(keptPath)).toContain('0755-8888 1111');
    expect(await read(next())).toContain('0755-8888 1111');
    const closing = next();
    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: clock }).where(eq(jobs.id, Number(closing.split('/')[2])));
    expect(await read(closing)).toContain('已结束');
    await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, employerId));
    expect((await ahead(keptPath)).status).toBe(404);
    expect((await ahead(next())).status).toBe(404);
    await t.ctx.db.update(users).set({ status: 'active' }).where(eq(users.id, employerId));
    const last = next();
    expect((await ahead(last)).text).toBe((await throughExpress(last)).text);
    expect((await ahead(keptPath)).text).toBe((await throughExpress(keptPath)).text);
  });
});

describe('the header and footer kept per settings for readers without a session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** The main menu's current item(s). */
  const current = (html: string) => [.../<ul class="nav-links">([\s\S]*?)<\/ul>/.exec(html)![1]!.matchAll(/<a href="([^"]+)" aria-current="page">/g)].map((m) => m[1]);

  it('marks the menu item of each section, shows a signed-in reader their own header, and a new setting at once', async () => {
    // A session cookie that names no session: pages rendered anew, header and footer from the kept fragments.
    const read = async (path: string) => (await request(t.app).get(path).set('Cookie', `${t.ctx.sessionCookieName}=s%3Anone.none`)).text;
    expect(current(await read('/'))).toEqual(['/']);
    expect(current(await read('/linshigong'))).toEqual(['/linshigong']);
    expect(current(await read('/news'))).toEqual(['/news']);
    expect(current(await read('/'))).toEqual(['/']);
    expect(current(await read('/jobs'))).toEqual([]);
    const { client, user } = await signedIn(t, 'seeker');
    const own = (await client.get('/linshigong')).text;
    expect(own).toContain('退出');
    expect(own).toContain(user.displayName);
    expect(await read('/linshigong')).toContain('>登录</a>');
    const admin = await makeUser(t.ctx, 'admin');
    await t.ctx.settings.update({ hotline: '0755-4444 5555', companyName: '页脚新公司名' }, { id: admin.id, login: admin.login });
    const after = await read('/linshigong');
    expect(after).toContain('<span class="hotline-number">0755-4444 5555</span>');
    expect(after).toContain('页脚新公司名');
  });
});

describe('the page cache’s draw, as a mechanism', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('draws only after Express has sent a page of the kind, and leaves to Express what it does not draw or fails to', async () => {
    const app = express();
    const cache = pageCache({
      db: t.ctx.db,
      now: () => new Date(),
      pages: [
        {
          path: /^\/x\/(\d+)$/,
          shows: ['listed_jobs'],
          draw: async (_path, match) => {
            if (match[1] === '2') throw new Error('asks for a session');
            return match[1] === '3' ? undefined : Buffer.from(`drawn ${match[1]}`);
          },
        },
      ],
      isAnonymous: () => true,
      databaseDown: () => false,
    });
    app.use(cache);
    app.get('/x/:n', (req, res) => {
      res.setHeader('X-Kind', 'x');
      res.send(`express ${req.params.n}`);
    });
    expect((await request(app).get('/x/1')).text).toBe('express 1');
    expect((await request(app).get('/x/2')).text).toBe('express 2');
    expect((await request(app).get('/x/3')).text).toBe('express 3');
    const drawnPage = await request(app).get('/x/4');
    expect(drawnPage.text).toBe('drawn 4');
    expect(drawnPage.headers['x-kind']).toBe('x');
    expect(cache.drawnPages()).toBe(1);
  });
});

describe('job pages drawn ahead of Express, read from a second process on the same PostgreSQL', () => {
  const other = useSecondProcess('draw');

  it('shows a job, its employer, a setting and a suspension changed elsewhere on the very next request', async () => {
    const [first, jobId] = jobIdsIn(await other.read('/'));
    // The first job page goes through Express; the next is drawn.
    await other.read(`/jobs/${first}`);
    const page = await other.read(`/jobs/${jobId}`);
    expect(page).toContain('招聘企业');
    const [job] = await other.db.select({ employerId: jobs.employerId }).from(jobs).where(eq(jobs.id, jobId!));
    const employer = job!.employerId!;

    await other.db.update(jobs).set({ title: '另一进程改的画页标题' }).where(eq(jobs.id, jobId!));
    expect(await other.read(`/jobs/${jobId}`)).toContain('另一进程改的画页标题');
    await other.db.update(employerProfiles).set({ companyName: '另一进程改名的公司' }).where(eq(employerProfiles.userId, employer));
    expect(await other.read(`/jobs/${jobId}`)).toContain('另一进程改名的公司');
    // Written straight into the table: no NOTIFY, only the generation tells the other process.
    await other.db.update(siteSettings).set({ value: '0755-6666 7777' }).where(eq(siteSettings.key, 'hotline'));
    expect(await other.read(`/jobs/${jobId}`)).toContain('0755-6666 7777');
    // A job page of that employer never read before: drawn from its row read with the generations in one query.
    const [sibling] = await other.db.select({ id: jobs.id }).from(jobs).where(sql`${jobs.employerId} = ${employer} and ${jobs.id} <> ${jobId} and ${jobs.id} <> ${first} and ${jobs.status} = 'published'`).limit(1);
    if (sibling) {
      const siblingPage = await other.read(`/jobs/${sibling.id}`);
      expect(siblingPage).toContain('另一进程改名的公司');
      expect(siblingPage).toContain('0755-6666 7777');
    }
    const [unread] = await other.db.select({ id: jobs.id }).from(jobs).where(sql`${jobs.id} not in (${jobId}, ${first}) and ${jobs.status} = 'published'`).limit(1);
    await other.db.update(jobs).set({ title: '另一进程改的未读职位标题' }).where(eq(jobs.id, unread!.id));
    expect(await other.read(`/jobs/${unread!.id}`)).toContain('另一进程改的未读职位标题');
    await other.db.update(users).set({ status: 'disabled' }).where(eq(users.id, employer));
    const gone = await other.read(`/jobs/${jobId}`);
    expect(gone).toContain('页面不存在');
    expect(gone).not.toContain('另一进程改的画页标题');
  });
});
