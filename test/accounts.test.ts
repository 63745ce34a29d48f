// Accounts: signup of each role (with a code to the phone or e-mail), validation, login/logout, lockout, admins,
// disabled accounts, safe redirects. The code flows themselves: accounts.codes.test.ts.
import { eq, sql } from 'drizzle-orm';
import { consents, rateLimits, sessions, users } from '../src/db/schema';
import { PRIVACY_POLICY_VERSION } from '../src/domain/policy';
import { ensureAdmin, findUserByLogin, setUserStatus } from '../src/features/accounts/accounts.service';
import { safeNextPath } from '../src/web/guards';
import { createTestApp, type TestApp } from './helpers/app';
import { lastCodeTo, requestCodeFor, signUpWithCode } from './helpers/codes';
import { makeUser, signedIn, TEST_PASSWORD } from './helpers/factories';

const valid = {
  role: 'seeker',
  login: '13812345678',
  displayName: '张三',
  // Not a common password: the policy (src/domain/passwords.ts) refuses abcd1234 and the like.
  password: 'harbor-lamp-27',
  passwordConfirm: 'harbor-lamp-27',
  consent: 'yes',
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function cookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const set = res.headers['set-cookie'] as string[] | undefined;
  return set?.find((c) => c.startsWith('pc.sid='))?.split(';')[0];
}

describe('signup', () => {
  it.each(['seeker', 'employer'])('creates a %s, records consent, logs them in and shows their name', async (role) => {
    const client = t.client();
    const login = role === 'seeker' ? '13811112222' : 'HR@Example.COM';
    const res = await signUpWithCode(t, client, { role, login, displayName: `王${role}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(role === 'seeker' ? '/me' : '/employer/profile');
    const user = await findUserByLogin(t.ctx.db, login);
    expect(user).toMatchObject({ role, displayName: `王${role}`, policyVersion: PRIVACY_POLICY_VERSION });
    expect(user!.login).toBe(role === 'seeker' ? '13811112222' : 'hr@example.com');
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    // The code proved the phone or e-mail is theirs.
    if (role === 'seeker') expect(user).toMatchObject({ phone: '13811112222', email: null, phoneVerifiedAt: expect.any(Date) });
    else expect(user).toMatchObject({ phone: null, email: 'hr@example.com', emailVerifiedAt: expect.any(Date) });
    const [consent] = await t.ctx.db.select().from(consents).where(eq(consents.userId, user!.id));
    expect(consent).toMatchObject({ kind: 'privacy_policy', policyVersion: PRIVACY_POLICY_VERSION });
    const home = await client.get('/');
    expect(home.text).toContain(`<span class="user-name">王${role}</span>`);
  });

  it('accepts a phone typed with spaces, dashes, +86 or full-width digits', async () => {
    const res = await signUpWithCode(t, t.client(), { login: '+86 １３９-0000-1111' });
    expect(res.status).toBe(303);
    expect(await findUserByLogin(t.ctx.db, '13900001111')).toBeDefined();
  });

  const invalid: [string, Record<string, string>, string, string][] = [
    ['an empty login', { login: '' }, 'login', '请输入手机号或邮箱'],
    ['a short phone', { login: '1381234567' }, 'login', '请输入正确的手机号'],
    ['a landline as login', { login: '075588828155' }, 'login', '请输入正确的手机号'],
    ['a broken email', { login: 'a@b' }, 'login', '请输入正确的手机号'],
    ['a short password', { password: 'abc', passwordConfirm: 'abc' }, 'password', '密码长度为 8 到 64 个字符'],
    ['a 65-character password', { password: 'a'.repeat(65), passwordConfirm: 'a'.repeat(65) }, 'password', '密码长度为 8 到 64 个字符'],
    ['different passwords', { passwordConfirm: 'harbor-lamp-28' }, 'passwordConfirm', '两次输入的密码不一致'],
    ['an empty name', { displayName: '   ' }, 'displayName', '请输入姓名或昵称'],
    ['a 31-character name', { displayName: '张'.repeat(31) }, 'displayName', '不能超过 30 个字'],
    ['no consent', { consent: '' }, 'consent', '请阅读并同意'],
    ['no role', { role: '' }, 'role', '请选择注册身份'],
  ];

  it.each(invalid)('refuses %s with 422, the error beside the field, and the typed values kept', async (_name, change, field, message) => {
    const before = await t.ctx.db.$count(users);
    const res = await t.client().post('/signup', { ...valid, code: '123456', login: '13877776666', ...change });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="f-${field}-error"`);
    expect(res.text).toContain(message);
    expect(res.text).toMatch(new RegExp(`aria-describedby="[^"]*f-${field}-error`));
    if (field !== 'login') expect(res.text).toContain('value="13877776666"');
    expect(res.text).not.toContain('harbor-lamp-2'); // passwords are never echoed
    expect(await t.ctx.db.$count(users)).toBe(before);
  });

  it('says a login is taken only once a code proved the number is the requester\'s', async () => {
    await makeUser(t.ctx, 'seeker', { login: '13855554444' });
    const client = t.client();
    // The code request answers the same as for a new number: it does not tell that the number has an account.
    const sent = await client.post('/auth/code', { ...valid, login: '138 5555 4444', purpose: 'signup' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('验证码已发送至');
    const res = await client.post('/signup', { ...valid, login: '138 5555 4444', code: await lastCodeTo(t, '13855554444') });
    expect(res.status).toBe(422);
    expect(res.text).toContain('该手机号或邮箱已注册');
  });

  it('refuses a role forged to admin, and creates nobody', async () => {
    const client = t.client();
    const code = await requestCodeFor(t, client, 'signup', { ...valid, login: '13866665555' });
    const res = await client.post('/signup', { ...valid, login: '13866665555', code, role: 'admin' });
    expect(res.status).toBe(422);
    expect(await findUserByLogin(t.ctx.db, '13866665555')).toBeUndefined();
  });

  it('shows HTML typed in the name as text', async () => {
    const client = t.client();
    await signUpWithCode(t, client, { login: '13833332222', displayName: '<img src=x onerror=alert(1)>' });
    const home = await client.get('/');
    expect(home.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(home.text).not.toContain('<img src=x');
  });
});

describe('login and logout', () => {
  it('logs in with the right password, changes the session id, and logs out for good', async () => {
    const user = await makeUser(t.ctx, 'seeker');
    const client = t.client();
    const form = await client.get('/login');
    const before = cookieOf(form);
    expect(before).toBeDefined(); // the login form's CSRF token needs a session
    const res = await client.post('/login', { login: user.login, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me');
    const after = cookieOf(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    client.csrf = undefined;
    const home = await client.get('/');
    expect(home.text).toContain(user.displayName);
    const sid = decodeURIComponent(after!.split('=')[1]!).slice(2).split('.')[0]!;
    expect(await t.ctx.db.$count(sessions, eq(sessions.sid, sid))).toBe(1);
    const out = await client.post('/logout');
    expect(out.status).toBe(303);
    expect(await t.ctx.db.$count(sessions, eq(sessions.sid, sid))).toBe(0);
    client.csrf = undefined;
    const again = await client.get('/');
    expect(again.text).not.toContain(user.displayName);
  });

  it('refuses a wrong password with one message that does not say which part was wrong', async () => {
    const user = await makeUser(t.ctx, 'seeker');
    const wrong = await t.client().post('/login', { login: user.login, password: 'not-the-password' });
    const unknown = await t.client().post('/login', { login: '13000000000', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('手机号/邮箱或密码错误');
    expect(unknown.text).toContain('手机号/邮箱或密码错误');
    expect(wrong.text).toContain(`value="${user.login}"`);
  });

  it('returns to the page the user came from', async () => {
    const user = await makeUser(t.ctx, 'seeker');
    const client = t.client();
    await client.get('/login?next=%2Fjobs%3Fq%3D%E6%99%AE%E5%B7%A5');
    const res = await client.post('/login', { login: user.login, password: TEST_PASSWORD, next: '/jobs?q=普工' });
    expect(decodeURI(res.headers.location)).toBe('/jobs?q=普工');
  });

  it.each(['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '//evil.example/%2e%2e', ' /x'])(
    'ignores the open-redirect attempt next=%s',
    async (next) => {
      const user = await makeUser(t.ctx, 'seeker');
      const client = t.client();
      const page = await client.get(`/login?next=${encodeURIComponent(next)}`);
      expect(page.text).not.toContain('evil.example');
      const res = await client.post('/login', { login: user.login, password: TEST_PASSWORD, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/me');
    },
  );

  it('safeNextPath keeps only same-site paths', () => {
    expect(safeNextPath('/me/applications')).toBe('/me/applications');
    expect(safeNextPath('//evil.example')).toBeUndefined();
    expect(safeNextPath('/\\evil')).toBeUndefined();
    expect(safeNextPath('http://x')).toBeUndefined();
    expect(safeNextPath('/ok\r\nSet-Cookie: x')).toBeUndefined();
    expect(safeNextPath(['/a'])).toBeUndefined();
  });
});

describe('brute force', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ limits: { loginPerAccount: 5, loginPerIp: 20, signupPerIp: 3 } });
  });
  afterAll(() => strict.close());

  it('locks an account after 5 failures in 15 minutes, even with the right password, until the window passes', async () => {
    const user = await makeUser(strict.ctx, 'seeker');
    const client = strict.client();
    for (let i = 0; i < 5; i++) {
      expect((await client.post('/login', { login: user.login, password: `wrong-${i}-pass` })).status).toBe(401);
    }
    const locked = await client.post('/login', { login: user.login, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('登录失败次数过多,请 15 分钟后再试');
    // Another client (another browser) is locked out of this account too: the counter is per account, in the database.
    expect((await strict.client().post('/login', { login: user.login, password: TEST_PASSWORD })).status).toBe(429);
    // The window passes.
    await strict.ctx.db.update(rateLimits).set({ resetAt: sql`now() - interval '1 second'` });
    const unlocked = await client.post('/login', { login: user.login, password: TEST_PASSWORD });
    expect(unlocked.status).toBe(303);
  });

  it('does not count successful logins', async () => {
    const user = await makeUser(strict.ctx, 'seeker');
    for (let i = 0; i < 7; i++) {
      const res = await strict.client().login(user.login, TEST_PASSWORD);
      expect(res.status).toBe(303);
    }
  });

  it('limits failed logins from one IP across accounts to 20', async () => {
    await strict.ctx.db.delete(rateLimits);
    const client = strict.client();
    for (let i = 0; i < 20; i++) {
      expect((await client.post('/login', { login: `1370000${String(i).padStart(4, '0')}`, password: 'wrong-password' })).status).toBe(401);
    }
    expect((await client.post('/login', { login: '13799999999', password: 'wrong-password' })).status).toBe(429);
  });

  it('limits signups per IP', async () => {
    await strict.ctx.db.delete(rateLimits);
    const client = strict.client();
    for (let i = 0; i < 3; i++) {
      expect((await signUpWithCode(strict, client, { login: `1360000000${i}` })).status).toBe(303);
      await client.logout();
    }
    const res = await signUpWithCode(strict, client, { login: '13600000009' });
    expect(res.status).toBe(429);
    expect(res.text).toContain('注册过于频繁');
  });
});

describe('admins', () => {
  it('bootstraps the first admin from ADMIN_LOGIN/ADMIN_PASSWORD once', async () => {
    const app = await createTestApp({ env: { ADMIN_LOGIN: 'boss@example.com', ADMIN_PASSWORD: 'boss-password-1' } });
    try {
      const admin = await findUserByLogin(app.ctx.db, 'boss@example.com');
      expect(admin).toMatchObject({ role: 'admin' });
      expect(await ensureAdmin(app.ctx.db, 'boss@example.com', 'another-password')).toBe('exists');
      expect(await app.ctx.db.$count(users, eq(users.role, 'admin'))).toBe(1);
      const client = app.client();
      const res = await client.login('boss@example.com', 'boss-password-1');
      // Straight to the back office, not to the phone check: with the outbox driver its code could only be read
      // on /admin/outbox, behind this very login.
      expect(res.headers.location).toBe('/admin');
    } finally {
      await app.close();
    }
  });

  it('refuses to disable yourself or the last admin', async () => {
    const admin = await makeUser(t.ctx, 'admin');
    const actor = { id: admin.id, login: admin.login };
    await expect(setUserStatus(t.ctx.db, actor, admin.id, 'disabled')).rejects.toThrow('不能停用自己的账号');
  });
});

describe('a disabled account', () => {
  it('cannot log in, and its open sessions stop working at once', async () => {
    const admin = await makeUser(t.ctx, 'admin');
    const { client, user } = await signedIn(t, 'seeker');
    expect((await client.get('/')).text).toContain(user.displayName);
    await setUserStatus(t.ctx.db, { id: admin.id, login: admin.login }, user.id, 'disabled');
    const after = await client.get('/');
    expect(after.text).not.toContain(user.displayName);
    const res = await t.client().post('/login', { login: user.login, password: TEST_PASSWORD });
    expect(res.status).toBe(401);
    expect(res.text).toContain('该账号已被停用');
  });
});
