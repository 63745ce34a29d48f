// Daily digests of job alerts (issue 20): one message at the chosen hour with the new open jobs, none when none.
import { and, eq } from 'drizzle-orm';
import { jobAlerts, jobs, notifications } from '../src/db/schema';
import { sendDigests } from '../src/features/alerts/alerts.digest';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

let clock = new Date('2026-12-02T03:00:00Z'); // 11:00 Beijing
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
});
afterAll(async () => t.close());

test('a daily subscription gets one digest at its hour with the jobs still open, and nothing when there is nothing new', async () => {
  const { client, user } = await signedIn(t, 'seeker');
  expect((await client.post('/me/alerts', { q: '普工' })).status).toBe(303);
  const [alert] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.userId, user.id));
  expect((await client.post(`/me/alerts/${alert!.id}`, { name: '普工', frequency: 'daily', digestHour: '18', channel: 'inbox' })).status).toBe(303);

  const employer = await signedIn(t, 'employer');
  await makeProfile(t.ctx, employer.user.id);
  const admin = (await signedIn(t, 'admin')).client;
  const ids: number[] = [];
  for (const title of ['宝安普工A', '宝安普工B', '马上招满的普工']) {
    const id = await makeJob(t.ctx, employer.user.id, { title }, 'pending');
    expect((await admin.post(`/admin/jobs/${id}/approve`, {})).status).toBe(303);
    ids.push(id);
  }
  await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: clock }).where(eq(jobs.id, ids[2]!));
  const inbox = () => t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.kind, 'job.alert.digest')));
  // Daily: no instant alert, and nothing before 18:00.
  expect(await t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.kind, 'job.alert')))).toHaveLength(0);
  await sendDigests(t.ctx);
  expect(await inbox()).toHaveLength(0);

  clock = new Date('2026-12-02T10:05:00Z'); // 18:05
  expect(await sendDigests(t.ctx)).toBe(1);
  const [digest] = await inbox();
  expect(digest!.title).toContain('2 个新职位');
  expect(digest!.body).toContain('宝安普工A');
  expect(digest!.body).not.toContain('马上招满');
  // Run again (another process, or the next tick): nothing more.
  expect(await sendDigests(t.ctx)).toBe(0);
  clock = new Date('2026-12-03T10:05:00Z'); // the next day, no new job
  expect(await sendDigests(t.ctx)).toBe(0);
  expect(await inbox()).toHaveLength(1);
});
