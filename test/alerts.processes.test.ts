// Issue 20, on more than one process: two scheduler processes (test/helpers/alertsWorker.ts: the real maintenance
// tasks and message queue worker, booted like the server) on one PostgreSQL send every (subscription, job) once and
// never double a message; a process killed in the middle of a digest run leaves the rest to the next, without
// duplicates. The jest process subscribes through HTTP and the admin publishes during the quiet hours, so the
// workers, not the approval, do all the sending.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createApp } from '../src/app';
import { boot } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import type { AppContext } from '../src/context';
import { queryRows } from '../src/db/client';
import { jobAlertSends, jobAlerts, notifications } from '../src/db/schema';
import { createAlert } from '../src/features/alerts/alerts.service';
import { createLogger } from '../src/logger';
import type { TestApp } from './helpers/app';
import { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';
import { startPgServer, type PgServer } from './helpers/pgServer';
import { runTs, type Proc } from './helpers/processes';

jest.setTimeout(240_000);

const SECRET = 'alerts-two-processes-secret';
/** 23:30 Beijing on 2 December: quiet hours, so approving sends nothing. */
let clock = new Date('2026-12-02T15:30:00Z');
let pg: PgServer;
let t: TestApp;
let dataDir: string;

beforeAll(async () => {
  pg = await startPgServer();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-alerts-proc-'));
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: pg.url, DATA_DIR: dataDir, SESSION_SECRET: SECRET, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  const { ctx } = await boot(config, createLogger('silent'), { migrate: true, seed: false, now: () => clock });
  const app = createApp(ctx);
  t = { app, ctx, client: () => new TestClient(app), close: async () => {} };
});
afterAll(async () => {
  await t?.ctx.messaging.stop();
  await t?.ctx.dbHandle.close();
  pg?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A scheduler process at the given instant; resolves with its output once it exits by itself. */
function startWorker(now: string, rounds: number): Proc {
  return runTs('test/helpers/alertsWorker.ts', [], {
    DATABASE_URL: pg.url,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'plw-alerts-worker-')),
    SESSION_SECRET: SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    ALERTS_WORKER_NOW: now,
    ALERTS_WORKER_ROUNDS: String(rounds),
  });
}

async function finished(proc: Proc): Promise<string> {
  const code = await proc.exited;
  if (code !== 0) throw new Error(`worker exited ${code}:\n${proc.output()}`);
  return proc.output();
}

/** Rows of a grouped count that came out more than once: what a duplicate looks like. */
const doubled = (ctx: AppContext, query: ReturnType<typeof sql>) => queryRows<{ n: number }>(ctx.db, query);

async function approveMatching(admin: TestClient, employerId: number, titles: string[], overrides: Parameters<typeof makeJob>[2] = {}) {
  const ids: number[] = [];
  for (const title of titles) {
    const id = await makeJob(t.ctx, employerId, { title, ...overrides }, 'pending');
    expect((await admin.post(`/admin/jobs/${id}/approve`, {})).status).toBe(303);
    ids.push(id);
  }
  return ids;
}

test('two scheduler processes send every (subscription, job) once, and no message twice', async () => {
  const admin = (await signedIn(t, 'admin')).client;
  const employer = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, employer.id);

  // 24 seekers subscribe to 普工 through /jobs: instant by inbox or SMS, daily (08:00) by inbox or SMS.
  const plans = [
    ...Array.from({ length: 8 }, () => ({ frequency: 'instant', channel: 'inbox' })),
    ...Array.from({ length: 8 }, () => ({ frequency: 'instant', channel: 'sms' })),
    ...Array.from({ length: 4 }, () => ({ frequency: 'daily', channel: 'inbox' })),
    ...Array.from({ length: 4 }, () => ({ frequency: 'daily', channel: 'sms' })),
  ];
  const seekers: { id: number; frequency: string; channel: string }[] = [];
  for (const plan of plans) {
    const { client, user } = await signedIn(t, 'seeker');
    expect((await client.post('/me/alerts', { q: '普工' })).status).toBe(303);
    const [alert] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.userId, user.id));
    expect((await client.post(`/me/alerts/${alert!.id}`, { name: '普工', frequency: plan.frequency, digestHour: '8', channel: plan.channel })).status).toBe(303);
    seekers.push({ id: user.id, ...plan });
  }

  // Five matching jobs and one that is not, approved at 23:30: every match waits for 07:00.
  const jobIds = await approveMatching(admin, employer.id, ['电子厂普工A', '电子厂普工B', '电子厂普工C', '电子厂普工D', '电子厂普工E']);
  await approveMatching(admin, employer.id, ['酒店服务员'], { category: '服务员', description: '酒店客房服务。', benefits: [] });
  expect(await t.ctx.db.$count(jobAlertSends)).toBe(24 * 5);
  expect(await t.ctx.db.$count(notifications, eq(notifications.kind, 'job.alert'))).toBe(0);

  // 08:30 the next morning, two processes at once, each running the alert tasks and the queue several times.
  const at = '2026-12-03T00:30:00Z';
  const outputs = await Promise.all([finished(startWorker(at, 4)), finished(startWorker(at, 4))]);
  for (const out of outputs) expect(out).toContain('"done":true');

  // The sent-record: every (subscription, job) once, all settled (sent), none left waiting.
  const sends = await t.ctx.db.select().from(jobAlertSends).where(inArray(jobAlertSends.jobId, jobIds));
  expect(sends).toHaveLength(24 * 5);
  expect(new Set(sends.map((s) => `${s.alertId}:${s.jobId}`)).size).toBe(24 * 5);
  expect(sends.filter((s) => s.status !== 'sent')).toEqual([]);

  // The inbox: instant subscribers have each job once (SMS ones 3, the cap; the other 2 in one digest);
  // daily ones one digest of 5; nobody has anything twice.
  for (const s of seekers) {
    const inbox = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, s.id));
    const instant = inbox.filter((n) => n.kind === 'job.alert');
    const digests = inbox.filter((n) => n.kind === 'job.alert.digest');
    expect(new Set(instant.map((n) => n.link)).size).toBe(instant.length);
    if (s.frequency === 'daily') {
      expect([instant.length, digests.length]).toEqual([0, 1]);
      expect(digests[0]!.title).toContain('5 个新职位');
    } else if (s.channel === 'sms') {
      expect([instant.length, digests.length]).toEqual([3, 1]);
      expect(digests[0]!.title).toContain('2 个新职位');
    } else {
      expect([instant.length, digests.length]).toEqual([5, 0]);
    }
  }
  expect(await doubled(t.ctx, sql`select count(*)::int as n from notifications group by user_id, kind, link, title having count(*) > 1`)).toEqual([]);

  // The outbox: 8 × 3 instant SMS, 8 + 4 digest SMS, each once, each delivered (stored by the outbox driver) once.
  const outbox = await queryRows<{ kind: string; n: number }>(t.ctx.db, sql`select kind, count(*)::int as n from messages where kind like 'job_alert%' group by kind order by kind`);
  expect(outbox).toEqual([{ kind: 'job_alert', n: 24 }, { kind: 'job_alert_digest', n: 12 }]);
  expect(await doubled(t.ctx, sql`select count(*)::int as n from messages where kind like 'job_alert%' group by recipient, kind, body having count(*) > 1`)).toEqual([]);
  const delivery = await queryRows(t.ctx.db, sql`select status, attempts, count(*)::int as n from messages where kind like 'job_alert%' group by status, attempts`);
  expect(delivery).toEqual([{ status: 'stored', attempts: 1, n: 36 }]);
});

test('a process killed in the middle of a digest run leaves the rest to the next one, without duplicates', async () => {
  const admin = (await signedIn(t, 'admin')).client;
  const employer = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, employer.id);
  const SUBSCRIBERS = 300;
  const userIds: number[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const user = await makeUser(t.ctx, 'seeker');
    const { alert } = await createAlert(t.ctx.db, user.id, { q: '叉车', benefits: [] }, clock);
    await t.ctx.db.update(jobAlerts).set({ frequency: 'daily', digestHour: 9 }).where(eq(jobAlerts.id, alert.id));
    userIds.push(user.id);
  }
  clock = new Date('2026-12-03T15:00:00Z'); // 23:00, quiet
  await approveMatching(admin, employer.id, ['叉车司机A', '叉车司机B'], { category: '仓储分拣', description: '仓库叉车作业,持证上岗。', benefits: [] });
  const digestsOf = async () =>
    (await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from notifications where kind = 'job.alert.digest' and user_id in (${sql.join(userIds.map((id) => sql`${id}`), sql`, `)})`))[0]!.n;

  // 09:30 on the 4th: the first process starts the run and is killed (SIGKILL: no shutdown) once some are sent.
  const at = '2026-12-04T01:30:00Z';
  const first = startWorker(at, 1);
  let before = 0;
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    before = await digestsOf();
    if (before > 0 || first.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  before = await digestsOf();
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(SUBSCRIBERS); // killed in the middle, not after

  // The next run (another process, the next tick) finishes the rest.
  await finished(startWorker(at, 1));
  expect(await digestsOf()).toBe(SUBSCRIBERS);
  expect(await doubled(t.ctx, sql`select count(*)::int as n from notifications where kind = 'job.alert.digest' group by user_id, title having count(*) > 1`)).toEqual([]);
  const left = await t.ctx.db.select().from(jobAlertSends).where(and(inArray(jobAlertSends.userId, userIds), eq(jobAlertSends.status, 'digest')));
  expect(left).toEqual([]);
  const sent = await t.ctx.db.select().from(jobAlertSends).where(inArray(jobAlertSends.userId, userIds));
  expect(sent).toHaveLength(SUBSCRIBERS * 2);
  expect(sent.every((s) => s.status === 'sent')).toBe(true);
});
