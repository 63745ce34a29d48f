// E-mail through the smtp driver (nodemailer), received by a real SMTP server (smtp-server, which nodemailer's own
// tests use) started here on a free port: headers, the Chinese subject and the body as they arrive.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import { messages } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';

type Received = { envelopeFrom: string; envelopeTo: string[]; raw: string; mail: ParsedMail };

let server: SMTPServer;
let port: number;
const received: Received[] = [];
let t: TestApp;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      // A mailbox that does not exist: a permanent refusal (550), as a real server answers.
      if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then((mail) => {
          received.push({ envelopeFrom: String(session.envelope.mailFrom && session.envelope.mailFrom.address), envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, mail });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
  t = await createTestApp({
    env: { EMAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: '鹏城劳务派遣网 <noreply@pengcheng.example>' },
  });
});

afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('delivers a signup code by e-mail: envelope, From, To, the Chinese subject and the body arrive intact', async () => {
  const client = t.client();
  const res = await client.post('/auth/code', { purpose: 'signup', role: 'seeker', login: 'Wang.Li@Example.com', displayName: '王丽' });
  expect(res.status).toBe(200);
  expect(res.text).toContain('验证码已发送至');
  expect(await t.ctx.messaging.drain()).toBe(1);
  expect(received).toHaveLength(1);
  const { mail, raw, envelopeFrom, envelopeTo } = received[0]!;
  expect(envelopeFrom).toBe('noreply@pengcheng.example');
  expect(envelopeTo).toEqual(['wang.li@example.com']);
  expect(mail.from?.value[0]).toMatchObject({ address: 'noreply@pengcheng.example', name: '鹏城劳务派遣网' });
  expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : '').toBe('wang.li@example.com');
  expect(mail.subject).toBe('鹏城劳务派遣网验证码');
  // The subject travels as an RFC 2047 encoded word, the body as UTF-8.
  expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
  expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/im);
  expect(mail.messageId).toMatch(/@pengcheng\.example>$/);
  const code = /验证码是 (\d{6}),用于注册,5 分钟内有效/.exec(mail.text ?? '')?.[1];
  expect(code).toMatch(/^\d{6}$/);
  // Sent for real: the row no longer holds the code, and the outbox page never showed it.
  const [row] = await t.ctx.db.select().from(messages).where(eq(messages.recipient, 'wang.li@example.com'));
  expect(row).toMatchObject({ status: 'sent', driver: 'smtp', secret: null, providerId: mail.messageId });
  expect(row!.body).not.toContain(code);
  const { client: admin } = await signedIn(t, 'admin');
  const page = await admin.get('/admin/outbox');
  expect(page.text).toContain('已发出');
  expect(page.text).not.toContain(code!);
  // The code works: the signup form accepts it.
  const signup = await client.post('/signup', { role: 'seeker', login: 'wang.li@example.com', displayName: '王丽', code: code!, password: 'kite-river-48', passwordConfirm: 'kite-river-48', consent: 'yes' });
  expect(signup.status).toBe(303);
});

it('fails for good when the server refuses the mailbox (550), and says why on the outbox page', async () => {
  const id = await t.ctx.messaging.send(t.ctx.db, { channel: 'email', to: 'nobody@example.com', kind: 'security_notice', subject: '账号安全提醒', body: '测试' });
  await t.ctx.messaging.drain();
  const [row] = await t.ctx.db.select().from(messages).where(eq(messages.id, id));
  expect(row).toMatchObject({ status: 'failed', attempts: 1 });
  expect(row!.lastError).toContain('Mailbox does not exist');
});

it('retries later when the server cannot be reached', async () => {
  const down = await createTestApp({ env: { EMAIL_DRIVER: 'smtp', SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'noreply@pengcheng.example' } });
  try {
    const id = await down.ctx.messaging.send(down.ctx.db, { channel: 'email', to: 'a@example.com', kind: 'security_notice', subject: '提醒', body: '测试' });
    await down.ctx.messaging.drain();
    const [row] = await down.ctx.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(row!.lastError).toMatch(/ECONNREFUSED/);
  } finally {
    await down.close();
  }
});
