// Job alerts (issue 20) through HTTP: subscribe from /jobs, settings, and instant alerts when an admin publishes.
import { and, count, eq, inArray } from 'drizzle-orm';
import { jobAlertSends, jobAlerts, jobs, messages, notifications, users } from '../src/db/schema';
import { dispatchDueAlerts, MAX_ALERTS_PER_ACCOUNT } from '../src/features/alerts/alerts.service';
import { recompileStaleAlerts } from '../src/features/alerts/alerts.matching';
import { ensureDictionary } from '../src/search/dictionary';
import { reindexIdle } from '../src/search/search.reindex';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

/** 11:00 Beijing time, a working hour. */
const NOON = new Date('2026-12-02T03:00:00Z');
let clock = NOON;
let t: TestApp;
let admin: TestClient;
let employerId: number;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = (await signedIn(t, 'admin')).client;
  const e = await signedIn(t, 'employer');
  employerId = e.user.id;
  await makeProfile(t.ctx, employerId);
});
afterAll(async () => t.close());
beforeEach(() => {
  clock = NOON;
});

async function subscribe(client: TestClient, search: Record<string, string | string[]>) {
  const res = await client.post('/me/alerts', search);
  expect(res.status).toBe(303);
  const [row] = await t.ctx.db.select().from(jobAlerts).orderBy(jobAlerts.id).limit(1).offset((await countAlerts()) - 1);
  return row!;
}
const countAlerts = async (userId?: number) =>
  (await t.ctx.db.select({ n: count() }).from(jobAlerts).where(userId ? eq(jobAlerts.userId, userId) : undefined))[0]!.n;

const alertsOf = (userId: number) =>
  t.ctx.db.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, 'job.alert')));

const smsOf = (userId: number) => t.ctx.db.select().from(messages).where(and(eq(messages.userId, userId), eq(messages.kind, 'job_alert')));

async function approve(jobId: number) {
  const res = await admin.post(`/admin/jobs/${jobId}/approve`, {});
  expect(res.status).toBe(303);
}

/** A job submitted for review (pending), matching 普工 in 宝安区 unless overridden. */
const submitJob = (overrides: Parameters<typeof makeJob>[2] = {}) => makeJob(t.ctx, employerId, overrides, 'pending');

describe('subscribing', () => {
  test('a seeker sees 订阅这个搜索 on /jobs and saves the search with its filters', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const page = await client.get('/jobs?q=%E6%99%AE%E5%B7%A5&district=%E5%AE%9D%E5%AE%89%E5%8C%BA');
    expect(page.text).toContain('订阅这个搜索');
    expect(page.text).toContain('action="/me/alerts"');
    const alert = await subscribe(client, { q: '普工', district: '宝安区' });
    expect(alert.userId).toBe(user.id);
    expect(alert.district).toBe('宝安区');
    expect(alert.name).toBe('普工 · 宝安区');
    const list = await client.get('/me/alerts');
    expect(list.status).toBe(200);
    expect(list.text).toContain('普工 · 宝安区');
  });

  test('the same search subscribed twice stays one subscription (a job is not sent twice), and the seeker is told', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工', district: '宝安区', benefits: ['包吃', '包住'] });
    // Tapped again, with the benefits in the other order: the same search.
    const again = await client.post('/me/alerts', { q: '普工', district: '宝安区', benefits: ['包住', '包吃'] });
    expect(again.status).toBe(303);
    expect(await countAlerts(user.id)).toBe(1);
    expect((await client.get('/me/alerts')).text).toContain('你已经订阅过「普工 · 宝安区 · 包吃 · 包住」');
    // The search page says so instead of offering the button again; another search still offers it.
    const subscribed = await client.get(`/jobs?q=${encodeURIComponent('普工')}&district=${encodeURIComponent('宝安区')}&benefits=${encodeURIComponent('包住')}&benefits=${encodeURIComponent('包吃')}`);
    expect(subscribed.text).toContain('已订阅 · 管理订阅');
    expect(subscribed.text).not.toContain('订阅这个搜索</button>');
    const other = await client.get(`/jobs?q=${encodeURIComponent('普工')}`);
    expect(other.text).toContain('订阅这个搜索</button>');
    expect(other.text).not.toContain('已订阅 · 管理订阅');
    // Another filter is another search.
    await subscribe(client, { q: '普工', district: '龙华区' });
    expect(await countAlerts(user.id)).toBe(2);
    await approve(await submitJob({ title: '宝安普工包吃住', benefits: ['包吃', '包住'] }));
    expect(await alertsOf(user.id)).toHaveLength(1);
  });

  test('a visitor is sent to login with a next back to the same search, marked to subscribe (alerts.visitor.test.ts)', async () => {
    const page = await t.client().get('/jobs?q=%E4%BF%9D%E5%AE%89');
    // The link carries the page's own search (its query already encoded) and the subscribe marker.
    expect(page.text).toContain(`/login?next=${encodeURIComponent(`/jobs?q=${encodeURIComponent('保安')}&subscribe=1`)}`);
  });

  test('a signed-in seeker finds 职位订阅 in the header menu and on /me; an employer does not', async () => {
    const { client } = await signedIn(t, 'seeker');
    const header = (html: string) => /<header class="site-header">[\s\S]*?<\/header>/.exec(html)![0];
    expect(header((await client.get('/jobs')).text)).toContain('<a class="alerts-link" href="/me/alerts">职位订阅</a>');
    expect(header((await client.get('/me/alerts')).text)).toContain('href="/me/alerts" aria-current="page">职位订阅');
    expect((await client.get('/me')).text).toContain('<a href="/me/alerts">职位订阅</a>');
    const employer = (await signedIn(t, 'employer')).client;
    expect(header((await employer.get('/jobs')).text)).not.toContain('/me/alerts');
    expect(header((await t.client().get('/jobs')).text)).not.toContain('/me/alerts');
  });

  test('an employer may not subscribe', async () => {
    const { client } = await signedIn(t, 'employer');
    const res = await client.post('/me/alerts', { q: '普工' });
    expect(res.status).toBe(403);
  });

  test(`the ${MAX_ALERTS_PER_ACCOUNT + 1}th subscription is refused in Chinese and nothing is added`, async () => {
    const { client, user } = await signedIn(t, 'seeker');
    for (let i = 0; i < MAX_ALERTS_PER_ACCOUNT; i++) await subscribe(client, { q: `保安${i}` });
    const res = await client.post('/me/alerts', { q: '保洁' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`最多只能订阅 ${MAX_ALERTS_PER_ACCOUNT} 个搜索`);
    expect(await countAlerts(user.id)).toBe(MAX_ALERTS_PER_ACCOUNT);
  });

  test('rename, daily digest and pause are saved; bad input is refused in Chinese and changes nothing', async () => {
    const { client } = await signedIn(t, 'seeker');
    const alert = await subscribe(client, { q: '分拣' });
    const bad = await client.post(`/me/alerts/${alert.id}`, { name: '', frequency: 'hourly', digestHour: '25', channel: 'fax' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('请输入订阅名称');
    expect(bad.text).toContain('请选择即时提醒或每日汇总');
    expect(bad.text).toContain('请选择 7–21 点之间的整点');
    expect(bad.text).toContain('请选择站内信、短信或电子邮件');
    const [unchanged] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert.id));
    expect(unchanged).toEqual(alert);
    const ok = await client.post(`/me/alerts/${alert.id}`, { name: '夜班分拣', frequency: 'daily', digestHour: '18', channel: 'inbox', paused: '1' });
    expect(ok.status).toBe(303);
    const [saved] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert.id));
    expect(saved).toMatchObject({ name: '夜班分拣', frequency: 'daily', digestHour: 18, channel: 'inbox', paused: true });
  });

  test('SMS needs a verified phone, and e-mail a bound address', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const alert = await subscribe(client, { q: '普工' });
    await t.ctx.db.update(users).set({ phoneVerifiedAt: null }).where(eq(users.id, user.id));
    const sms = await client.post(`/me/alerts/${alert.id}`, { name: 'x', frequency: 'instant', digestHour: '8', channel: 'sms' });
    expect(sms.status).toBe(422);
    expect(sms.text).toContain('短信提醒需要先验证手机号');
    const email = await client.post(`/me/alerts/${alert.id}`, { name: 'x', frequency: 'instant', digestHour: '8', channel: 'email' });
    expect(email.status).toBe(422);
    expect(email.text).toContain('邮件提醒需要先绑定邮箱');
    const [unchanged] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert.id));
    expect(unchanged).toEqual(alert);
  });

  test("another seeker's subscription is a 404", async () => {
    const a = await signedIn(t, 'seeker');
    const b = await signedIn(t, 'seeker');
    const alert = await subscribe(a.client, { q: '普工' });
    expect((await b.client.post(`/me/alerts/${alert.id}/delete`, {})).status).toBe(404);
    expect((await b.client.post(`/me/alerts/${alert.id}`, { name: 'x', frequency: 'instant', digestHour: '8', channel: 'inbox' })).status).toBe(404);
    expect(await countAlerts(a.user.id)).toBe(1);
    expect((await a.client.post(`/me/alerts/${alert.id}/delete`, {})).status).toBe(303);
    expect(await countAlerts(a.user.id)).toBe(0);
  });
});

describe('instant alerts', () => {
  test('fire when the admin publishes a matching job, not on submission, and never twice', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工', district: '宝安区' });
    const jobId = await submitJob({ title: '沙井普工急招' });
    await dispatchDueAlerts(t.ctx);
    expect(await alertsOf(user.id)).toHaveLength(0);
    await approve(jobId);
    const got = await alertsOf(user.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.title).toContain('沙井普工急招');
    expect(got[0]!.link).toBe(`/jobs/${jobId}`);
    // The inbox page shows it.
    expect((await client.get('/me/notifications')).text).toContain('沙井普工急招');
    await dispatchDueAlerts(t.ctx);
    expect(await alertsOf(user.id)).toHaveLength(1);
  });

  test('a job the search would not show (other district, other words) alerts nobody', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工', district: '宝安区' });
    await approve(await submitJob({ district: '南山区' }));
    await approve(await submitJob({ title: '商场保安', category: '保安', description: '商场巡逻', requirements: '退伍军人优先' }));
    expect(await alertsOf(user.id)).toHaveLength(0);
  });

  test('synonyms match as on /jobs: a subscription to 捡货 gets a 分拣员 job', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '捡货' });
    await approve(await submitJob({ title: '快递分拣员', category: '仓储分拣', description: '夜班分拣包裹', benefits: [] }));
    expect(await alertsOf(user.id)).toHaveLength(1);
  });

  test('when an admin adds a synonym, saved searches match as /jobs does now (搬砖 = 装柜)', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const alert = await subscribe(client, { q: '搬砖' });
    const job = { title: '码头装柜工', category: '仓储分拣', description: '集装箱装柜,按柜计件。', requirements: '能吃苦', benefits: [] };
    // Before the synonym: neither /jobs nor the subscription knows 搬砖 means 装柜.
    const before = await submitJob(job);
    await approve(before);
    expect(await alertsOf(user.id)).toHaveLength(0);

    expect((await admin.post('/admin/search/terms', { word: '搬砖', synonyms: '装柜' })).status).toBe(303);
    await reindexIdle();
    const after = await submitJob({ ...job, title: '港区装柜工' });
    await approve(after);
    const got = await alertsOf(user.id);
    expect(got.map((n) => n.link)).toEqual([`/jobs/${after}`]);
    // The same job is what /jobs shows for 搬砖 now (the earlier one too, re-indexed, but it was published before).
    const page = await client.get(`/jobs?q=${encodeURIComponent('搬砖')}`);
    expect(page.text).toContain('港区装柜工');
    const [row] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert.id));
    expect(row!.words[0]!.tsquery).toContain('装柜');
  });

  test('the maintenance task compiles saved searches again after a dictionary change, before any job is published', async () => {
    const { client } = await signedIn(t, 'seeker');
    const alert = await subscribe(client, { q: '扛水泥' });
    expect((await admin.post('/admin/search/terms', { word: '扛水泥', synonyms: '搬运' })).status).toBe(303);
    const dictionary = await ensureDictionary(t.ctx.db);
    expect(await recompileStaleAlerts(t.ctx.db, dictionary)).toBeGreaterThanOrEqual(1);
    const [row] = await t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert.id));
    expect(row!.wordsVersion).toBe(dictionary.version);
    expect(row!.words[0]!.tsquery).toContain('搬运');
    // Nothing more to do until the dictionary changes again.
    expect(await recompileStaleAlerts(t.ctx.db, dictionary)).toBe(0);
  });

  test('an approved edit of a published job alerts nobody, not even a newer subscription', async () => {
    const jobId = await submitJob({ title: '观澜电子厂普工' });
    await approve(jobId);
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工' });
    // The employer's edit sends the published job back to review; the admin approves it again.
    await t.ctx.db.update(jobs).set({ status: 'pending' }).where(eq(jobs.id, jobId));
    await approve(jobId);
    expect(await alertsOf(user.id)).toHaveLength(0);
  });

  test('quiet hours: a job published at 23:00 Beijing time waits until 07:00', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工' });
    clock = new Date('2026-12-02T15:00:00Z'); // 23:00 Beijing
    await approve(await submitJob({ title: '夜里发布的普工' }));
    expect(await alertsOf(user.id)).toHaveLength(0);
    clock = new Date('2026-12-02T22:59:00Z'); // 06:59
    await dispatchDueAlerts(t.ctx);
    expect(await alertsOf(user.id)).toHaveLength(0);
    clock = new Date('2026-12-02T23:00:00Z'); // 07:00
    await dispatchDueAlerts(t.ctx);
    expect(await alertsOf(user.id)).toHaveLength(1);
  });

  test('two dispatchers running at once (two processes) send each held alert once', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工' });
    clock = new Date('2026-12-02T16:00:00Z'); // 00:00 Beijing: held
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await submitJob({ title: `半夜普工${i}` }));
    for (const id of ids) await approve(id);
    clock = new Date('2026-12-02T23:10:00Z'); // 07:10
    const sent = await Promise.all([dispatchDueAlerts(t.ctx), dispatchDueAlerts(t.ctx)]);
    expect(await alertsOf(user.id)).toHaveLength(3);
    // Every subscription matching these jobs (earlier tests' too) got each job once: as many inbox alerts as records.
    const records = await t.ctx.db.select().from(jobAlertSends).where(and(inArray(jobAlertSends.jobId, ids), eq(jobAlertSends.status, 'sent')));
    expect(sent[0] + sent[1]).toBe(records.length);
    const inbox = await t.ctx.db.select().from(notifications).where(and(eq(notifications.kind, 'job.alert'), inArray(notifications.link, ids.map((id) => `/jobs/${id}`))));
    expect(inbox).toHaveLength(records.length);
  });

  test('a job closed before the alert went out is never sent', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await subscribe(client, { q: '普工' });
    clock = new Date('2026-12-02T15:30:00Z'); // 23:30 Beijing: held
    const jobId = await submitJob({ title: '很快招满的普工' });
    await approve(jobId);
    await t.ctx.db.update(jobs).set({ status: 'closed', closedAt: clock }).where(eq(jobs.id, jobId));
    clock = new Date('2026-12-03T00:00:00Z'); // 08:00
    await dispatchDueAlerts(t.ctx);
    expect(await alertsOf(user.id)).toHaveLength(0);
    const [record] = await t.ctx.db.select().from(jobAlertSends).where(eq(jobAlertSends.jobId, jobId));
    expect(record!.status).toBe('dropped');
  });

  test('SMS: at most 3 a day per account, the rest wait for the digest; the next day SMS flow again', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const alert = await subscribe(client, { q: '普工' });
    expect((await client.post(`/me/alerts/${alert.id}`, { name: '普工', frequency: 'instant', digestHour: '8', channel: 'sms' })).status).toBe(303);
    for (let i = 0; i < 5; i++) await approve(await submitJob({ title: `普工${i}号` }));
    const sms = await smsOf(user.id);
    expect(sms).toHaveLength(3);
    expect(sms[0]!.channel).toBe('sms');
    expect(sms[0]!.body).toMatch(/\/u\/\d+\.[\w-]{10}(\s|$)/);
    expect(await alertsOf(user.id)).toHaveLength(3);
    const waiting = await t.ctx.db.select().from(jobAlertSends).where(and(eq(jobAlertSends.alertId, alert.id), eq(jobAlertSends.status, 'digest')));
    expect(waiting).toHaveLength(2);
    clock = new Date(NOON.getTime() + 24 * 3600_000);
    await approve(await submitJob({ title: '第二天的普工' }));
    expect(await smsOf(user.id)).toHaveLength(4);
  });
});
