// One-time codes through HTTP: wrong, expired, reused and other-purpose codes; 5 tries; every sending limit (60 s per
// number, 10 a day per number, 20 a day per IP, the site-wide daily budget) with a moved clock; nothing reveals
// whether a number has an account.
import { eq } from 'drizzle-orm';
import { messages, verificationCodes } from '../src/db/schema';
import { DEFAULT_LIMITS } from '../src/context';
import { createTestApp, type TestApp } from './helpers/app';
import { lastCodeTo, lastMessageTo, requestCodeFor } from './helpers/codes';
import { makeUser, signedIn } from './helpers/factories';

/** 10:00 in Beijing on a fixed day; tests move it. */
const START = new Date('2026-03-10T02:00:00Z');
let clock = START;
const at = (ms: number) => (clock = new Date(clock.getTime() + ms));

const signupForm = (login: string) => ({ role: 'seeker', login, displayName: '张三', consent: 'yes' });
const signup = (login: string, code: string) => ({ ...signupForm(login), code, password: 'kite-river-48', passwordConfirm: 'kite-river-48' });

describe('a code', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: () => clock });
  });
  afterAll(() => t.close());
  beforeEach(() => at(61_000)); // each test starts past the 60 s wait of the last

  it('is 6 digits, stored only as a keyed hash, and sent by SMS with what it is for', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', signupForm('13600000001'));
    expect(code).toMatch(/^\d{6}$/);
    const [row] = await t.ctx.db.select().from(verificationCodes).where(eq(verificationCodes.recipient, '13600000001'));
    expect(row).toMatchObject({ purpose: 'signup', channel: 'sms', attempts: 0, usedAt: null });
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(5 * 60_000);
    expect((await lastMessageTo(t, '13600000001'))!.body).toBe(`验证码 ${code},用于注册,5 分钟内有效。请勿告诉他人。`);
  });

  it('refuses a wrong code, says how many tries are left, and counts them even though the form fails', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', signupForm('13600000002'));
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await client.post('/signup', signup('13600000002', wrong));
    expect(res.status).toBe(422);
    expect(res.text).toContain('验证码错误,还可再试 4 次');
    expect(res.text).toContain('value="13600000002"'); // what was typed is kept
    const [row] = await t.ctx.db.select().from(verificationCodes).where(eq(verificationCodes.recipient, '13600000002'));
    expect(row!.attempts).toBe(1);
    expect(await t.ctx.db.$count(messages, eq(messages.recipient, '13600000002'))).toBe(1);
  });

  it('stops working after 5 wrong tries, even for the right code', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', signupForm('13600000003'));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) expect((await client.post('/signup', signup('13600000003', wrong))).text).toContain(`还可再试 ${left} 次`);
    expect((await client.post('/signup', signup('13600000003', wrong))).text).toContain('验证码错误次数过多,请重新获取');
    const right = await client.post('/signup', signup('13600000003', code));
    expect(right.status).toBe(422);
    expect(right.text).toContain('验证码错误次数过多,请重新获取');
  });

  it('expires after 5 minutes', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', signupForm('13600000004'));
    at(5 * 60_000);
    const res = await client.post('/signup', signup('13600000004', code));
    expect(res.status).toBe(422);
    expect(res.text).toContain('验证码已过期,请重新获取');
  });

  it('works a moment before it expires', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', signupForm('13600000005'));
    at(5 * 60_000 - 1000);
    expect((await client.post('/signup', signup('13600000005', code))).status).toBe(303);
  });

  it('is used once', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: '13600000005' });
    expect((await client.post('/login/code', { login: '13600000005', code })).status).toBe(303);
    const again = await t.client().post('/login/code', { login: '13600000005', code });
    expect(again.status).toBe(422);
    expect(again.text).toContain('验证码错误或已失效,请重新获取');
  });

  it('only works for the purpose it was sent for', async () => {
    const client = t.client();
    const loginCode = await requestCodeFor(t, client, 'login', { login: '13600000006' });
    const res = await client.post('/signup', signup('13600000006', loginCode));
    expect(res.status).toBe(422);
    expect(res.text).toContain('验证码错误或已失效');
    // ... nor for another number.
    await makeUser(t.ctx, 'seeker', { login: '13600000007' });
    expect((await t.client().post('/login/code', { login: '13600000007', code: loginCode })).status).toBe(422);
  });

  it('is replaced by the next one sent to the same number for the same purpose', async () => {
    const client = t.client();
    const first = await requestCodeFor(t, client, 'signup', signupForm('13600000008'));
    at(61_000);
    const second = await requestCodeFor(t, client, 'signup', signupForm('13600000008'));
    if (first !== second) expect((await client.post('/signup', signup('13600000008', first))).status).toBe(422);
    expect((await client.post('/signup', signup('13600000008', second))).status).toBe(303);
  });

  it('is refused when malformed, beside the code field', async () => {
    const res = await t.client().post('/signup', signup('13600000009', '12 34'));
    expect(res.status).toBe(422);
    expect(res.text).toContain('请输入 6 位数字验证码');
    expect(res.text).toContain('id="f-code-error"');
  });
});

describe('sending limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    clock = START;
    t = await createTestApp({ now: () => clock, limits: { codePerRecipient: DEFAULT_LIMITS.codePerRecipient, codePerIp: DEFAULT_LIMITS.codePerIp }, env: { CODE_DAILY_BUDGET: '25' } });
  });
  afterAll(() => t.close());
  let day = 0;
  beforeEach(() => {
    // Each test on a day of its own (10:00 in Beijing): the daily counters start at zero.
    day += 3;
    clock = new Date(Date.UTC(2026, 3, day, 2));
  });

  // Every request here comes from one IP (127.0.0.1), as from one phone.
  const ask = (login: string) => t.client().post('/auth/code', { purpose: 'login', login });

  it('waits 60 seconds between two codes to one number, and says how long is left', async () => {
    expect((await ask('13500000001')).status).toBe(200);
    at(45_000);
    const early = await ask('13500000001');
    expect(early.status).toBe(429);
    expect(early.text).toContain('验证码已发送,请 15 秒后再重新获取');
    expect(early.text).toContain('value="13500000001"');
    at(15_000);
    expect((await ask('13500000001')).status).toBe(200);
    expect(await t.ctx.db.$count(messages, eq(messages.recipient, '13500000001'))).toBe(2);
  });

  it('sends at most 10 codes a day to one number, and more the next day', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await ask('13500000002')).status).toBe(200);
      at(61_000);
    }
    const refused = await ask('13500000002');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('该号码今天获取验证码的次数已达上限,请明天再试');
    expect(await t.ctx.db.$count(messages, eq(messages.recipient, '13500000002'))).toBe(10);
    clock = new Date(`${new Date(clock.getTime() + 86_400_000).toISOString().slice(0, 10)}T00:00:00+08:00`); // midnight in Beijing
    expect((await ask('13500000002')).status).toBe(200);
  });

  it('sends at most 20 codes a day to one IP, whatever the numbers', async () => {
    for (let i = 0; i < 20; i++) expect((await ask(`135000011${String(i).padStart(2, '0')}`)).status).toBe(200);
    const refused = await ask('13500001199');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('今天获取验证码的次数过多,请明天再试');
    expect(await t.ctx.db.$count(messages, eq(messages.recipient, '13500001199'))).toBe(0);
  });
});

describe('the site-wide daily budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    clock = START;
    t = await createTestApp({ now: () => clock, env: { CODE_DAILY_BUDGET: '3' } });
  });
  afterAll(() => t.close());

  it('stops codes when it is reached, tells the admins once, and shows it on the dashboard', async () => {
    const admin = await makeUser(t.ctx, 'admin', { login: 'ops@pengcheng.example' });
    for (let i = 0; i < 3; i++) expect((await t.client().post('/auth/code', { purpose: 'login', login: `1340000000${i}` })).status).toBe(200);
    const refused = await t.client().post('/auth/code', { purpose: 'login', login: '13400000009' });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('验证码发送量已达今日上限,请稍后再试或联系客服 0755-8882 8155');
    expect(await t.ctx.db.$count(messages, eq(messages.recipient, '13400000009'))).toBe(0);
    await t.client().post('/auth/code', { purpose: 'login', login: '13400000008' });
    const alerts = await t.ctx.db.select().from(messages).where(eq(messages.kind, 'budget_alert'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ channel: 'email', recipient: admin.login, userId: admin.id });
    expect(alerts[0]!.body).toContain('新的验证码已暂停发送');
    const { client } = await signedIn(t, 'admin');
    const dashboard = await client.get('/admin');
    expect(dashboard.text).toContain('今日验证码已达上限');
    expect(dashboard.text).toContain('3 / 3');
  });
});

describe('the answer never tells whether a number has an account', () => {
  let t: TestApp;
  beforeAll(async () => {
    clock = START;
    t = await createTestApp({ now: () => clock });
    await makeUser(t.ctx, 'seeker', { login: '13300000001' });
  });
  afterAll(() => t.close());

  const normalise = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/13[0-9*]{9}/g, 'N');

  it.each(['signup', 'login', 'reset'])('for a %s code', async (purpose) => {
    at(61_000);
    const known = await t.client().post('/auth/code', { purpose, role: 'seeker', login: '13300000001' });
    const unknown = await t.client().post('/auth/code', { purpose, role: 'seeker', login: '13300000002' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(normalise(known.text)).toBe(normalise(unknown.text));
    expect(await lastCodeTo(t, '13300000002')).toMatch(/^\d{6}$/);
  });

  it('for /forgot', async () => {
    at(61_000);
    const known = await t.client().post('/forgot', { login: '13300000001' });
    const unknown = await t.client().post('/forgot', { login: '13300000003' });
    expect([known.status, known.headers.location]).toEqual([303, '/forgot/reset']);
    expect([unknown.status, unknown.headers.location]).toEqual([303, '/forgot/reset']);
  });
});

describe('in production with the outbox driver', () => {
  it('the admin dashboard warns that no SMS or e-mail really leaves the site', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const { client } = await signedIn(prod, 'admin');
      const dashboard = await client.get('/admin');
      expect(dashboard.text).toContain('短信和邮件未真正发出');
      expect(dashboard.text).toContain('短信和邮件只存入');
    } finally {
      await prod.close();
    }
  });

  it('not in development, where the outbox is the normal way', async () => {
    const dev = await createTestApp();
    try {
      const { client } = await signedIn(dev, 'admin');
      expect((await client.get('/admin')).text).not.toContain('短信和邮件未真正发出');
    } finally {
      await dev.close();
    }
  });
});
