// One-click unsubscribe (issue 20): the signed link of an alert's SMS or e-mail, without login.
import { and, eq } from 'drizzle-orm';
import { jobAlerts, messages } from '../src/db/schema';
import { unsubscribeToken } from '../src/features/alerts/alerts.service';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-12-02T03:00:00Z') });
});
afterAll(async () => t.close());

test('the link in the alert SMS unsubscribes without login, twice harmlessly; a tampered token is refused', async () => {
  const { client, user } = await signedIn(t, 'seeker');
  expect((await client.post('/me/alerts', { q: '普工' })).status).toBe(303);
  const [alert] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.userId, user.id));
  expect((await client.post(`/me/alerts/${alert!.id}`, { name: '普工', frequency: 'instant', digestHour: '8', channel: 'sms' })).status).toBe(303);
  const employer = await signedIn(t, 'employer');
  await makeProfile(t.ctx, employer.user.id);
  const jobId = await makeJob(t.ctx, employer.user.id, {}, 'pending');
  const admin = (await signedIn(t, 'admin')).client;
  expect((await admin.post(`/admin/jobs/${jobId}/approve`, {})).status).toBe(303);
  const [sms] = await t.ctx.db.select().from(messages).where(and(eq(messages.userId, user.id), eq(messages.kind, 'job_alert')));
  const link = /\/alerts\/unsubscribe\?token=([\w.-]+)/.exec(sms!.body);
  expect(link).not.toBeNull();
  const token = link![1]!;

  const visitor = t.client();
  // Tampered: another subscription's id with this signature, or a changed signature.
  const [id, sig] = token.split('.');
  for (const bad of [`${Number(id) + 1}.${sig}`, `${id}.${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`, 'nonsense', '']) {
    const res = await visitor.get(`/alerts/unsubscribe?token=${encodeURIComponent(bad)}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('退订链接无效');
  }
  expect(await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert!.id))).toHaveLength(1);

  const first = await visitor.get(`/alerts/unsubscribe?token=${token}`);
  expect(first.status).toBe(200);
  expect(first.text).toContain('已退订「普工」');
  expect(await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert!.id))).toHaveLength(0);
  const again = await visitor.get(`/alerts/unsubscribe?token=${token}`);
  expect(again.status).toBe(200);
  expect(again.text).toContain('已经退订');
});

test('a token signed with another secret is refused', async () => {
  const res = await t.client().get(`/alerts/unsubscribe?token=${unsubscribeToken('another-secret', 1)}`);
  expect(res.status).toBe(400);
});
