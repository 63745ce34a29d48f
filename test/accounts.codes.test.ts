// The flows built on codes, through HTTP: signup by phone and by e-mail (no JavaScript needed), login with a code,
// password recovery (/forgot, /forgot/reset), and the one-time phone check of accounts from before phone checks.
import { and, eq } from 'drizzle-orm';
import { notifications, rateLimits, sessions, users } from '../src/db/schema';
import { findUserByLogin, setUserStatus } from '../src/features/accounts/accounts.service';
import { createTestApp, type TestApp } from './helpers/app';
import { follow } from './helpers/admin';
import { lastCodeTo, lastMessageTo, requestCodeFor, signUpWithCode } from './helpers/codes';
import { makeUser, signedIn, TEST_PASSWORD } from './helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ limits: { loginPerAccount: 5 } });
});
afterAll(() => t.close());

describe('signup with a code', () => {
  it('works without JavaScript: 获取验证码 posts the form, which comes back with what was typed and where the code went', async () => {
    const client = t.client();
    const form = await client.get('/signup');
    expect(form.text).toMatch(/<button type="submit" class="btn code-button" formaction="\/auth\/code" formnovalidate name="purpose" value="signup">获取验证码<\/button>/);
    const res = await client.post('/auth/code', { purpose: 'signup', role: 'employer', login: '137 1111 2222', displayName: '李经理', password: 'typed-password', consent: 'yes' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('验证码已发送至 <strong>137****2222</strong>');
    expect(res.text).toContain('value="13711112222"');
    expect(res.text).toContain('value="李经理"');
    expect(res.text).toMatch(/value="employer" checked/);
    expect(res.text).not.toContain('typed-password'); // passwords are never echoed
    expect(res.text).toContain('重新获取');
  });

  it('a seeker signed up by phone has a verified phone, and the profile does not ask for one', async () => {
    const client = t.client();
    expect((await signUpWithCode(t, client, { login: '13711112223' })).status).toBe(303);
    expect(await findUserByLogin(t.ctx.db, '13711112223')).toMatchObject({ phone: '13711112223', phoneVerifiedAt: expect.any(Date) });
    const me = await client.get('/me');
    expect(me.text).not.toMatch(/还差[^<]*手机号/);
    const profile = await client.get('/me/profile');
    expect(profile.text).toContain('13711112223</strong>');
    expect(profile.text).toContain('已验证');
  });

  it('signs up by e-mail with an e-mailed code', async () => {
    const client = t.client();
    const res = await signUpWithCode(t, client, { role: 'employer', login: 'HR@Factory.example' });
    expect(res.status).toBe(303);
    expect(await lastMessageTo(t, 'hr@factory.example', 'code')).toMatchObject({ channel: 'email', subject: '鹏城劳务派遣网验证码' });
    expect(await findUserByLogin(t.ctx.db, 'hr@factory.example')).toMatchObject({ email: 'hr@factory.example', emailVerifiedAt: expect.any(Date), phone: null });
  });

  it('refuses a wrong code and creates nobody', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', { role: 'seeker', login: '13711112224', displayName: '张三', consent: 'yes' });
    const before = await t.ctx.db.$count(users);
    const res = await client.post('/signup', { role: 'seeker', login: '13711112224', displayName: '张三', consent: 'yes', code: code === '999999' ? '888888' : '999999', password: 'kite-river-48', passwordConfirm: 'kite-river-48' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('验证码错误');
    expect(await t.ctx.db.$count(users)).toBe(before);
  });

  it('refuses a bad phone at 获取验证码, beside the field, and sends nothing', async () => {
    const res = await t.client().post('/auth/code', { purpose: 'signup', login: '1381234' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="f-login-error"');
    expect(res.text).toContain('请输入正确的手机号');
  });

  it('refuses an unknown purpose', async () => {
    expect((await t.client().post('/auth/code', { purpose: 'admin', login: '13711112225' })).status).toBe(422);
  });
});

describe('login with a code', () => {
  it('logs in with phone and code, no password, and lands home', async () => {
    const user = await makeUser(t.ctx, 'employer', { login: '13722220001' });
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: '137 2222 0001' });
    const res = await client.post('/login/code', { login: '13722220001', code });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/employer');
    expect((await client.get('/employer')).text).toContain(user.displayName);
  });

  it('logs in an account made without a password (quick apply)', async () => {
    await makeUser(t.ctx, 'seeker', { login: '13722220002', password: null });
    // No password: the password form never lets it in.
    expect((await t.client().post('/login', { login: '13722220002', password: 'anything-at-all' })).status).toBe(401);
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: '13722220002' });
    expect((await client.post('/login/code', { login: '13722220002', code })).headers.location).toBe('/me');
  });

  it('says a number has no account only after its code proved it is the requester\'s', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: '13722220003' });
    const res = await client.post('/login/code', { login: '13722220003', code });
    expect(res.status).toBe(422);
    expect(res.text).toContain('该手机号或邮箱还没有注册账号,请先注册');
  });

  it('refuses a disabled account', async () => {
    const user = await makeUser(t.ctx, 'seeker', { login: '13722220004' });
    const admin = await makeUser(t.ctx, 'admin');
    await setUserStatus(t.ctx.db, { id: admin.id, login: admin.login }, user.id, 'disabled');
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: '13722220004' });
    const res = await client.post('/login/code', { login: '13722220004', code });
    expect(res.status).toBe(422);
    expect(res.text).toContain('该账号已被停用');
  });

  it('the login page links to code login and to password recovery', async () => {
    const page = await t.client().get('/login');
    expect(page.text).toContain('href="/login/code"');
    expect(page.text).toContain('href="/forgot"');
  });
});

describe('password recovery', () => {
  it('resets with a code: other sessions end, the lockout lifts, and a notice with the hotline goes out', async () => {
    const user = await makeUser(t.ctx, 'seeker', { login: '13733330001' });
    const elsewhere = t.client();
    await elsewhere.login('13733330001', TEST_PASSWORD);
    expect((await elsewhere.get('/me')).status).toBe(200);
    // Locked out by 5 wrong passwords.
    for (let i = 0; i < 5; i++) await t.client().post('/login', { login: '13733330001', password: `wrong-${i}-pass` });
    expect((await t.client().post('/login', { login: '13733330001', password: TEST_PASSWORD })).status).toBe(429);

    const client = t.client();
    const sent = await client.post('/forgot', { login: '137-3333-0001' });
    expect(sent.headers.location).toBe('/forgot/reset');
    const form = await client.get('/forgot/reset');
    expect(form.text).toContain('验证码已发送至 <strong>137****0001</strong>');
    expect(form.text).toContain('value="13733330001"');
    const code = await lastCodeTo(t, '13733330001');
    expect((await lastMessageTo(t, '13733330001', 'code'))!.body).toContain('用于重置密码');
    const res = await client.post('/forgot/reset', { login: '13733330001', code, password: 'new-secret-2026', passwordConfirm: 'new-secret-2026' });
    expect(res.status).toBe(303);
    const home = await follow(client, res);
    expect(home.text).toContain('密码已重置,已为你登录');

    // The other session ended; only the new one is left.
    expect((await elsewhere.get('/me')).status).toBe(302);
    expect(await t.ctx.db.$count(sessions, eq(sessions.userId, user.id))).toBe(1);
    // The lockout is lifted, and the new password works where the old one does not.
    expect(await t.ctx.db.$count(rateLimits, eq(rateLimits.key, 'login-account:13733330001'))).toBe(0);
    expect((await t.client().post('/login', { login: '13733330001', password: 'new-secret-2026' })).status).toBe(303);
    expect((await t.client().post('/login', { login: '13733330001', password: TEST_PASSWORD })).status).toBe(401);
    // The notice: by SMS and in the site inbox, with the hotline.
    const notice = await lastMessageTo(t, '13733330001', 'security_notice');
    expect(notice!.body).toBe('你在鹏城劳务派遣网的账号密码已重置。如非本人操作请联系客服 0755-8882 8155。');
    expect(notice!.params).toEqual({ action: '密码已重置', hotline: '0755-8882 8155' });
    expect(await t.ctx.db.$count(notifications, and(eq(notifications.userId, user.id), eq(notifications.kind, 'security')))).toBe(1);
  });

  it('an employer resets by e-mail, and the notice goes to the phone as well when the account has one', async () => {
    const user = await makeUser(t.ctx, 'employer', { login: 'boss@shop.example' });
    await t.ctx.db.update(users).set({ phone: '13733330002', phoneVerifiedAt: new Date() }).where(eq(users.id, user.id));
    const client = t.client();
    await client.post('/forgot', { login: 'Boss@Shop.example' });
    const code = await lastCodeTo(t, 'boss@shop.example');
    const res = await client.post('/forgot/reset', { login: 'boss@shop.example', code, password: 'new-secret-2026', passwordConfirm: 'new-secret-2026' });
    expect(res.headers.location).toBe('/employer');
    expect(await lastMessageTo(t, '13733330002', 'security_notice')).toBeDefined();
    expect(await lastMessageTo(t, 'boss@shop.example', 'security_notice')).toMatchObject({ channel: 'email', subject: '鹏城劳务派遣网账号安全提醒' });
  });

  it('refuses a wrong code, a code for another purpose, and passwords that do not match, changing nothing', async () => {
    const user = await makeUser(t.ctx, 'seeker', { login: '13733330003' });
    const client = t.client();
    const loginCode = await requestCodeFor(t, client, 'login', { login: '13733330003' });
    const other = await client.post('/forgot/reset', { login: '13733330003', code: loginCode, password: 'new-secret-2026', passwordConfirm: 'new-secret-2026' });
    expect(other.status).toBe(422);
    expect(other.text).toContain('验证码错误或已失效');
    const mismatch = await client.post('/forgot/reset', { login: '13733330003', code: loginCode, password: 'new-secret-2026', passwordConfirm: 'new-secret-2027' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('两次输入的密码不一致');
    const [row] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(row!.hash).toBe(user.passwordHash);
  });

  it('says a number has no account only after its code came back', async () => {
    const client = t.client();
    await client.post('/forgot', { login: '13733330009' });
    const code = await lastCodeTo(t, '13733330009');
    const res = await client.post('/forgot/reset', { login: '13733330009', code, password: 'new-secret-2026', passwordConfirm: 'new-secret-2026' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('还没有注册账号');
  });

  it('a signed-in user who opens /forgot is sent to /me/security', async () => {
    const { client } = await signedIn(t, 'seeker');
    const res = await client.get('/forgot');
    expect(res.headers.location).toBe('/me/security');
  });
});

describe('accounts from before phone checks', () => {
  it('are asked once, at login, to verify their phone, and can do it with a code', async () => {
    const user = await makeUser(t.ctx, 'seeker', { login: '13744440001', verified: false });
    expect(user).toMatchObject({ phone: '13744440001', phoneVerifiedAt: null });
    const client = t.client();
    const res = await client.login('13744440001', TEST_PASSWORD);
    expect(res.headers.location).toBe('/me/security/phone?prompt=1&next=%2Fme');
    const page = await client.get(res.headers.location!);
    expect(page.text).toContain('为了账号安全,请验证你的手机号');
    expect(page.text).toContain('value="13744440001"'); // the number is filled in: one tap on 获取验证码
    expect(page.text).toContain('>以后再说</a>');
    const code = await requestCodeFor(t, client, 'change_phone', { phone: '13744440001', next: '/me', prompt: '1' });
    const done = await client.post('/me/security/phone', { phone: '13744440001', code, next: '/me', prompt: '1' });
    expect(done.headers.location).toBe('/me');
    expect((await follow(client, done)).text).toContain('手机号已验证');
    expect(await findUserByLogin(t.ctx.db, '13744440001')).toMatchObject({ phoneVerifiedAt: expect.any(Date) });
    // Nothing about a changed number was sent: it is the same number.
    expect(await lastMessageTo(t, '13744440001', 'security_notice')).toBeUndefined();
  });

  it('are asked only once: skipping it leaves them alone at the next login', async () => {
    await makeUser(t.ctx, 'employer', { login: '13744440002', verified: false });
    expect((await t.client().login('13744440002', TEST_PASSWORD)).headers.location).toMatch(/^\/me\/security\/phone\?prompt=1/);
    expect((await t.client().login('13744440002', TEST_PASSWORD)).headers.location).toBe('/employer');
  });

  it('a code login proves the phone, so it is not asked', async () => {
    await makeUser(t.ctx, 'seeker', { login: '13744440003', verified: false });
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: '13744440003' });
    expect((await client.post('/login/code', { login: '13744440003', code })).headers.location).toBe('/me');
    expect(await findUserByLogin(t.ctx.db, '13744440003')).toMatchObject({ phoneVerifiedAt: expect.any(Date) });
  });
});
