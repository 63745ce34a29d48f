// The search warm-up (issue 21): at start, each connection the pool keeps (DB_POOL_WARM) runs the search's statements
// once, so that the first search of a new process meets backends whose catalog caches are loaded; the pool keeps
// those connections however long they stay idle (a visitor after a quiet night meets them too), closes the others
// as before, and a search on a warmed connection gives the same page as ranking every match.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../src/db/client';
import { chinaDate } from '../src/domain/dates';
import { searchListedJobs, warmSearchStatements } from '../src/features/jobs/jobs.queries';
import { warmSearchConnections } from '../src/features/jobs/jobs.service';
import { parseJobListQuery } from '../src/features/jobs/jobs.validation';
import { createTestApp, type TestApp } from './helpers/app';
import { isServerMode } from './helpers/db';
import { makeUser } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

const IDLE_MS = 150;
const KEPT = 2;
let t: TestApp;
const statements: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ pool: { poolMin: KEPT, poolMax: 4, idleTimeoutMs: IDLE_MS, logQuery: (query) => statements.push(query) } });
  const employer = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, employer.id, '深圳预热测试有限公司');
  const postings = [
    { title: '宝安仓库临时工', type: 'temp', district: '宝安区', category: '搬运装卸' },
    { title: '南山园区杂工', type: 'temp', district: '南山区', category: '普工' },
    { title: '宝安电子厂普工', type: 'fulltime', district: '宝安区', category: '普工' },
    { title: '福田写字楼保安', type: 'fulltime', district: '福田区', category: '保安' },
  ] as const;
  for (const [i, p] of postings.entries()) {
    await makeJob(t.ctx, employer.id, { ...p, settlement: 'daily', payMin: 200, payMax: null, payUnit: 'day', benefits: [] }, 'published', new Date(Date.now() - i * 3_600_000));
  }
});
afterAll(() => t.close());

const pidOf = async (db: Db) => (await queryRows<{ pid: number }>(db, sql`select pg_backend_pid() as pid`))[0]!.pid;
/** The backends of `n` queries held at once (each waits, so none is handed a connection another has released). */
const pidsOfConcurrent = async (n: number) =>
  Promise.all(Array.from({ length: n }, async () => (await queryRows<{ pid: number }>(t.ctx.db, sql`select pg_backend_pid() as pid, pg_sleep(0.1)`))[0]!.pid));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('runs the search statements once on each connection warmed, each on a connection of its own', async () => {
  statements.length = 0;
  await warmSearchConnections(t.ctx.dbHandle, KEPT, new Date());
  const rankings = statements.filter((s) => s.startsWith('with "w"'));
  // PGlite has one connection: warmed once.
  expect(rankings).toHaveLength(isServerMode() ? KEPT : 1);
  const pids: number[] = [];
  await t.ctx.dbHandle.warmConnections(KEPT, async (db) => {
    await warmSearchStatements(db, chinaDate(new Date()));
    pids.push(await pidOf(db));
  });
  expect(new Set(pids).size).toBe(isServerMode() ? KEPT : 1);
});

it('gives the same pages as ranking every match, on warmed connections', async () => {
  await warmSearchConnections(t.ctx.dbHandle, KEPT, new Date());
  for (const qs of ['q=宝安 临时工', 'q=南山 临时工&settlement=daily', 'q=普工', 'q=保安&page=1']) {
    const q = parseJobListQuery(Object.fromEntries(new URLSearchParams(qs)), {});
    const today = chinaDate(new Date());
    const [top, all] = [await searchListedJobs(t.ctx.db, q, today), await searchListedJobs(t.ctx.db, q, today, undefined, { exhaustive: true })];
    expect(top.rows.map((r) => [r.id, r.partial])).toEqual(all.rows.map((r) => [r.id, r.partial]));
    expect([top.total, top.exact, top.more]).toEqual([all.total, all.exact, all.more]);
    expect(top.rows.length).toBeGreaterThan(0);
  }
});

const server = isServerMode() ? describe : describe.skip;

server('on PostgreSQL', () => {
  it('keeps the warmed connections open past the idle timeout', async () => {
    const warmed: number[] = [];
    await t.ctx.dbHandle.warmConnections(KEPT, async (db) => {
      await warmSearchStatements(db, chinaDate(new Date()));
      warmed.push(await pidOf(db));
    });
    await sleep(IDLE_MS * 5);
    expect((await pidsOfConcurrent(KEPT)).sort()).toEqual(warmed.sort());
  });

  it('still closes the connections above them when idle (the idle timeout works)', async () => {
    const burst = await pidsOfConcurrent(KEPT + 2);
    expect(new Set(burst).size).toBe(KEPT + 2);
    await sleep(IDLE_MS * 5);
    const after = await pidsOfConcurrent(KEPT + 2);
    // Two of the four were closed and replaced by new backends.
    expect(after.filter((pid) => burst.includes(pid))).toHaveLength(KEPT);
  });
});
