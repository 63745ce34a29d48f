// The message channel: sending inside the caller's transaction, the queue (retries with backoff, failures, restarts,
// two workers), the worker woken by commits, and /admin/outbox (newest first, codes hidden with a real driver).
import { desc, eq, sql } from 'drizzle-orm';
import { messages } from '../src/db/schema';
import { DeliveryError, type Driver, type StoredMessage } from '../src/messaging/drivers/driver';
import { Messaging, type OutgoingMessage } from '../src/messaging/messaging';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { eventually } from './helpers/wait';

/** A driver whose answers the test decides: 'ok', 'later' (transient failure) or 'never' (permanent). */
function scriptedDriver(name = 'scripted') {
  const calls: StoredMessage[] = [];
  let next: 'ok' | 'later' | 'never' = 'ok';
  const driver: Driver = {
    name,
    storesOnly: false,
    async deliver(message) {
      calls.push(message);
      if (next === 'later') throw new DeliveryError('provider busy', false);
      if (next === 'never') throw new DeliveryError('number refused', true);
      return { providerId: `p-${message.id}` };
    },
  };
  return { driver, calls, answer: (a: typeof next) => (next = a) };
}

const sms = (to: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  channel: 'sms',
  to,
  kind: 'code',
  body: '验证码 246810,用于登录,5 分钟内有效。',
  params: { code: '246810' },
  secret: '246810',
  ...extra,
});

async function messageRow(t: TestApp, id: number) {
  const [row] = await t.ctx.db.select().from(messages).where(eq(messages.id, id));
  return row!;
}

describe('with the outbox driver (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('sends nothing when the transaction that queued the message rolls back', async () => {
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await t.ctx.messaging.send(tx, sms('13700000001'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.ctx.db.$count(messages, eq(messages.recipient, '13700000001'))).toBe(0);
    expect(await t.ctx.messaging.drain({ includeDelayed: true })).toBe(0);
  });

  it('stores the message for /admin/outbox, newest first, with its text, and says nothing left the site', async () => {
    const first = await t.ctx.messaging.send(t.ctx.db, sms('137 0000 0002', { body: '第一条 111111', secret: '111111' }));
    const second = await t.ctx.messaging.send(t.ctx.db, { channel: 'email', to: 'Zhang@Example.com', kind: 'security_notice', subject: '账号安全提醒', body: '第二条:密码已重置' });
    expect((await messageRow(t, first)).status).toBe('queued');
    expect(await t.ctx.messaging.drain()).toBe(2);
    expect(await messageRow(t, first)).toMatchObject({ status: 'stored', driver: 'outbox', attempts: 1, recipient: '13700000002', body: '第一条 111111' });
    expect(await messageRow(t, second)).toMatchObject({ status: 'stored', recipient: 'zhang@example.com' });
    const { client } = await signedIn(t, 'admin');
    const page = await client.get('/admin/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain('不会真正发给用户');
    // The outbox is the only copy of these: shown whole, code and all (this is how a demo reads its codes).
    expect(page.text).toContain('第一条 111111');
    expect(page.text.indexOf('第二条:密码已重置')).toBeLessThan(page.text.indexOf('第一条 111111'));
    expect(page.text).toContain('仅存入发件箱(未发出)');
    const filtered = await client.get('/admin/outbox?to=137-0000-0002');
    expect(filtered.text).toContain('第一条 111111');
    expect(filtered.text).not.toContain('第二条');
  });

  it('refuses a recipient that is not a mobile number or an e-mail address', async () => {
    await expect(t.ctx.messaging.send(t.ctx.db, sms('075588828155'))).rejects.toThrow('mainland mobile number');
    await expect(t.ctx.messaging.send(t.ctx.db, { channel: 'email', to: 'not-an-address', kind: 'x', body: 'x' })).rejects.toThrow('e-mail address');
  });

  it('is delivered after a restart: a message queued by one process is delivered by the next', async () => {
    const id = await t.ctx.messaging.send(t.ctx.db, sms('13700000003'));
    // A new process: another Messaging on the same database, as after a restart.
    const next = new Messaging({ db: t.ctx.db, dbHandle: t.ctx.dbHandle, config: t.ctx.config.messaging, logger: t.ctx.logger, now: t.ctx.now });
    await next.open();
    expect(await next.drain()).toBe(1);
    expect((await messageRow(t, id)).status).toBe('stored');
    await next.stop();
  });

  it('the worker delivers by itself, woken by the commit that queued the message', async () => {
    await t.ctx.messaging.start();
    try {
      const id = await t.ctx.db.transaction((tx) => t.ctx.messaging.send(tx, sms('13700000004')));
      await eventually(async () => expect((await messageRow(t, id)).status).toBe('stored'), 4000);
    } finally {
      await t.ctx.messaging.stop();
    }
  });
});

describe('with a real driver', () => {
  const scripted = scriptedDriver('aliyun');
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ messageDrivers: { sms: scripted.driver } });
  });
  afterAll(() => t.close());

  it('sends, records the provider id, wipes the code from the row, and never shows its digits', async () => {
    scripted.answer('ok');
    const id = await t.ctx.messaging.send(t.ctx.db, sms('13700000011'));
    const { client } = await signedIn(t, 'admin');
    // Before delivery the code is in the row (the worker needs it) but not on the page.
    let page = await client.get('/admin/outbox');
    expect(page.text).toContain('排队中');
    expect(page.text).not.toContain('246810');
    await t.ctx.messaging.drain();
    expect(await messageRow(t, id)).toMatchObject({ status: 'sent', driver: 'aliyun', providerId: `p-${id}`, secret: null, body: '验证码 ******,用于登录,5 分钟内有效。', params: { code: '******' } });
    expect(scripted.calls.at(-1)!.params).toEqual({ code: '246810' });
    page = await client.get('/admin/outbox');
    expect(page.text).toContain('已发出');
    expect(page.text).not.toContain('246810');
    expect(page.text).not.toContain('短信只保存在这里');
    expect(page.text).toContain('邮件只保存在这里'); // e-mail still goes to the outbox in this app
    // The recipient is masked too: it reached a real person.
    expect(page.text).toContain('137****0011');
  });

  it('retries a failure with backoff, shows it on the outbox page, and gives up after 5 tries', async () => {
    scripted.answer('later');
    const id = await t.ctx.messaging.send(t.ctx.db, sms('13700000012'));
    expect(await t.ctx.messaging.drain()).toBe(1);
    expect(await messageRow(t, id)).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'provider busy' });
    // Backing off: nothing is due now.
    expect(await t.ctx.messaging.drain()).toBe(0);
    const [job] = await t.ctx.db.execute<{ start_after: Date; state: string }>(sql`select start_after, state from pgboss.job where data->>'messageId' = ${String(id)}`).then((r) => (r as unknown as { rows: { start_after: Date; state: string }[] }).rows);
    expect(job!.state).toBe('retry');
    expect(new Date(job!.start_after).getTime()).toBeGreaterThan(Date.now() + 20_000);
    const { client } = await signedIn(t, 'admin');
    const page = await client.get('/admin/outbox?status=retrying');
    expect(page.text).toContain('发送失败,等待重试');
    expect(page.text).toContain('provider busy');
    // Four more tries (the waits skipped), then it has failed for good.
    for (let i = 0; i < 4; i++) expect(await t.ctx.messaging.drain({ includeDelayed: true })).toBe(1);
    expect(await messageRow(t, id)).toMatchObject({ status: 'failed', attempts: 5, secret: null });
    expect(await t.ctx.messaging.drain({ includeDelayed: true })).toBe(0);
    expect((await client.get('/admin/outbox?status=failed')).text).toContain('provider busy');
  });

  it('does not retry a permanent failure', async () => {
    scripted.answer('never');
    const id = await t.ctx.messaging.send(t.ctx.db, sms('13700000013'));
    await t.ctx.messaging.drain();
    expect(await messageRow(t, id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'number refused' });
    expect(await t.ctx.messaging.drain({ includeDelayed: true })).toBe(0);
  });

  it('does not send a code that expired while it waited', async () => {
    scripted.answer('ok');
    const before = scripted.calls.length;
    const id = await t.ctx.messaging.send(t.ctx.db, sms('13700000014', { validUntil: new Date(t.ctx.now().getTime() - 1000) }));
    await t.ctx.messaging.drain();
    expect(await messageRow(t, id)).toMatchObject({ status: 'failed', lastError: '已过期,未再发送' });
    expect(scripted.calls.length).toBe(before);
  });

  it('two workers draining at once deliver each message exactly once', async () => {
    scripted.answer('ok');
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await t.ctx.messaging.send(t.ctx.db, sms(`1370000010${String(i).padStart(2, '0').slice(-1)}`, { body: `第 ${i} 条`, secret: undefined })));
    const other = scriptedDriver('aliyun');
    const second = new Messaging({ db: t.ctx.db, dbHandle: t.ctx.dbHandle, config: t.ctx.config.messaging, logger: t.ctx.logger, now: t.ctx.now, drivers: { sms: other.driver } });
    await second.open();
    const before = scripted.calls.length;
    await Promise.all([t.ctx.messaging.drain(), second.drain()]);
    const delivered = [...scripted.calls.slice(before), ...other.calls].map((m) => m.id).sort((a, b) => a - b);
    expect(delivered).toEqual(ids);
    const rows = await t.ctx.db.select({ status: messages.status, attempts: messages.attempts }).from(messages).orderBy(desc(messages.id)).limit(12);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    await second.stop();
  });
});
