// One-click unsubscribe (issue 20): the signed link of an alert's e-mail, and the short one of its SMS, without login.
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

/** Subscribes a new seeker to 普工 on `channel`, approves a matching job, and returns the alert's id and its message. */
async function alertMessage(channel: 'sms' | 'inbox') {
  const { client, user } = await signedIn(t, 'seeker');
  expect((await client.post('/me/alerts', { q: '普工' })).status).toBe(303);
  const [alert] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.userId, user.id));
  expect((await client.post(`/me/alerts/${alert!.id}`, { name: '普工', frequency: 'instant', digestHour: '8', channel })).status).toBe(303);
  const employer = await signedIn(t, 'employer');
  await makeProfile(t.ctx, employer.user.id);
  const jobId = await makeJob(t.ctx, employer.user.id, {}, 'pending');
  const admin = (await signedIn(t, 'admin')).client;
  expect((await admin.post(`/admin/jobs/${jobId}/approve`, {})).status).toBe(303);
  const [message] = await t.ctx.db.select().from(messages).where(and(eq(messages.userId, user.id), eq(messages.kind, 'job_alert')));
  return { alertId: alert!.id, body: message?.body ?? '' };
}

const alertExists = async (id: number) => (await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, id))).length === 1;

/** Tampered forms of `id.sig`: another subscription's id with this signature, a changed or shortened signature. */
function tampered(token: string): string[] {
  const [id, sig] = token.split('.') as [string, string];
  return [`${Number(id) + 1}.${sig}`, `${id}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, `${id}.${sig.slice(0, -1)}`, 'nonsense'];
}

test('the short link in the alert SMS unsubscribes without login, twice harmlessly; a tampered token is refused', async () => {
  const { alertId, body } = await alertMessage('sms');
  // Short, as an SMS is paid per 70 characters: /u/<id>.<10 characters>, not the e-mail's long link.
  const link = /\/u\/(\d+\.[\w-]+)/.exec(body);
  expect(link).not.toBeNull();
  expect(body).not.toContain('/alerts/unsubscribe');
  const token = link![1]!;
  expect(token.split('.')[1]).toHaveLength(10);

  const visitor = t.client();
  for (const bad of tampered(token)) {
    const res = await visitor.get(`/u/${encodeURIComponent(bad)}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('退订链接无效');
  }
  // The short form is not accepted where the long one is expected, nor the other way round.
  expect((await visitor.get(`/alerts/unsubscribe?token=${token}`)).status).toBe(400);
  expect((await visitor.get(`/u/${unsubscribeToken(t.ctx.config.sessionSecret, alertId)}`)).status).toBe(400);
  expect(await alertExists(alertId)).toBe(true);

  const first = await visitor.get(`/u/${token}`);
  expect(first.status).toBe(200);
  expect(first.text).toContain('已退订「普工」');
  expect(await alertExists(alertId)).toBe(false);
  const again = await visitor.get(`/u/${token}`);
  expect(again.status).toBe(200);
  expect(again.text).toContain('已经退订');
});

test('the long link (e-mail) unsubscribes without login, twice harmlessly; a tampered token is refused', async () => {
  // The e-mail and the site inbox carry the same long link; the inbox's alert is the one a test account receives.
  const { alertId } = await alertMessage('inbox');
  const token = unsubscribeToken(t.ctx.config.sessionSecret, alertId);
  const visitor = t.client();
  for (const bad of [...tampered(token), '']) {
    const res = await visitor.get(`/alerts/unsubscribe?token=${encodeURIComponent(bad)}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('退订链接无效');
  }
  expect(await alertExists(alertId)).toBe(true);
  const first = await visitor.get(`/alerts/unsubscribe?token=${token}`);
  expect(first.status).toBe(200);
  expect(first.text).toContain('已退订「普工」');
  expect(await alertExists(alertId)).toBe(false);
  expect((await visitor.get(`/alerts/unsubscribe?token=${token}`)).text).toContain('已经退订');
});

test('a token signed with another secret is refused, in both forms', async () => {
  expect((await t.client().get(`/alerts/unsubscribe?token=${unsubscribeToken('another-secret', 1)}`)).status).toBe(400);
  expect((await t.client().get(`/u/${unsubscribeToken('another-secret', 1, 'sms')}`)).status).toBe(400);
});
