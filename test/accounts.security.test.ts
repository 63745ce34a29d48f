// /me/security for every role (password, phone, e-mail, sessions), and the session hardening: a 30-day absolute
// lifetime whatever the activity, and the __Host- cookie name over https.
import { eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { seekerProfiles, sessions, users } from '../src/db/schema';
import { findUserByLogin } from '../src/features/accounts/accounts.service';
import { describeDevice, maskIp } from '../src/features/accounts/device';
import { createTestApp, type TestApp } from './helpers/app';
import { follow } from './helpers/admin';
import { lastMessageTo, requestCodeFor } from './helpers/codes';
import { makeUser, signedIn, TEST_PASSWORD } from './helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const IPHONE_WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';

describe('the password', () => {
  it('changes with the old one: the other sessions end, this one stays, and the owner is told', async () => {
    const { client, user } = await signedIn(t, 'employer');
    const other = t.client();
    await other.login(user.login, TEST_PASSWORD);
    const wrong = await client.post('/me/security/password', { currentPassword: 'not-it-at-all', password: 'brand-new-2026', passwordConfirm: 'brand-new-2026' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('当前密码不正确');
    const res = await client.post('/me/security/password', { currentPassword: TEST_PASSWORD, password: 'brand-new-2026', passwordConfirm: 'brand-new-2026' });
    expect(res.status).toBe(303);
    expect((await follow(client, res)).text).toContain('密码已修改,其他设备上的登录已退出');
    expect((await other.get('/employer')).status).toBe(302);
    expect((await client.get('/employer')).status).toBe(200);
    expect((await t.client().post('/login', { login: user.login, password: 'brand-new-2026' })).status).toBe(303);
    expect((await lastMessageTo(t, user.login, 'security_notice'))!.body).toContain('密码已修改。如非本人操作请联系客服');
  });

  it('refuses a short new password or a confirmation that differs, beside the field', async () => {
    const { client } = await signedIn(t, 'seeker');
    const short = await client.post('/me/security/password', { currentPassword: TEST_PASSWORD, password: 'abc', passwordConfirm: 'abc' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('id="f-password-error"');
    const mismatch = await client.post('/me/security/password', { currentPassword: TEST_PASSWORD, password: 'brand-new-2026', passwordConfirm: 'brand-new-2027' });
    expect(mismatch.text).toContain('两次输入的密码不一致');
  });

  it('an account with no password (made by quick apply) sets one without an old one', async () => {
    const user = await makeUser(t.ctx, 'seeker', { password: null });
    const client = t.client();
    const code = await requestCodeFor(t, client, 'login', { login: user.login });
    await client.post('/login/code', { login: user.login, code });
    const page = await client.get('/me/security');
    expect(page.text).toContain('你的账号还没有密码');
    expect(page.text).not.toContain('name="currentPassword"');
    const res = await client.post('/me/security/password', { password: 'first-pass-2026', passwordConfirm: 'first-pass-2026' });
    expect((await follow(client, res)).text).toContain('密码已设置');
    expect((await t.client().post('/login', { login: user.login, password: 'first-pass-2026' })).status).toBe(303);
  });
});

describe('the phone', () => {
  it('changes with a code to the new number; the old number is told; the login and the seeker profile follow', async () => {
    const { client, user } = await signedIn(t, 'seeker', { login: '13255550001' });
    await t.ctx.db.insert(seekerProfiles).values({ userId: user.id, realName: '张三', phone: '13255550001' });
    const code = await requestCodeFor(t, client, 'change_phone', { phone: '132 5555 0002' });
    expect((await lastMessageTo(t, '13255550002', 'code'))!.body).toContain('用于绑定手机号');
    const res = await client.post('/me/security/phone', { phone: '13255550002', code });
    expect(res.headers.location).toBe('/me/security');
    expect((await follow(client, res)).text).toContain('手机号已更换');
    expect(await findUserByLogin(t.ctx.db, '13255550002')).toMatchObject({ id: user.id, login: '13255550002', phone: '13255550002', phoneVerifiedAt: expect.any(Date) });
    expect(await findUserByLogin(t.ctx.db, '13255550001')).toBeUndefined();
    expect((await t.client().post('/login', { login: '13255550002', password: TEST_PASSWORD })).status).toBe(303);
    expect((await t.client().post('/login', { login: '13255550001', password: TEST_PASSWORD })).status).toBe(401);
    const notice = await lastMessageTo(t, '13255550001', 'security_notice');
    expect(notice!.body).toBe('你在鹏城劳务派遣网的账号已换绑手机号 132****0002。如非本人操作请联系客服 0755-8882 8155。');
    const [profile] = await t.ctx.db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, user.id));
    expect(profile!.phone).toBe('13255550002');
  });

  it('refuses a number another account uses, once the code proved the new number', async () => {
    await makeUser(t.ctx, 'seeker', { login: '13255550003' });
    const { client, user } = await signedIn(t, 'seeker');
    const code = await requestCodeFor(t, client, 'change_phone', { phone: '13255550003' });
    const res = await client.post('/me/security/phone', { phone: '13255550003', code });
    expect(res.status).toBe(422);
    expect(res.text).toContain('该手机号已绑定其他账号');
    expect((await findUserByLogin(t.ctx.db, user.login))!.phone).toBe(user.login);
  });

  it('refuses a wrong code or another number than the code was sent to', async () => {
    const { client } = await signedIn(t, 'seeker');
    const code = await requestCodeFor(t, client, 'change_phone', { phone: '13255550004' });
    const otherNumber = await client.post('/me/security/phone', { phone: '13255550005', code });
    expect(otherNumber.status).toBe(422);
    expect(otherNumber.text).toContain('验证码错误或已失效');
    expect(otherNumber.text).toContain('value="13255550005"');
  });
});

describe('the e-mail', () => {
  it('an employer adds an e-mail with an e-mailed code, and can then sign in with it', async () => {
    const { client, user } = await signedIn(t, 'employer');
    const code = await requestCodeFor(t, client, 'change_email', { email: 'HR@Plant.example' });
    const res = await client.post('/me/security/email', { email: 'hr@plant.example', code });
    expect((await follow(client, res)).text).toContain('邮箱已验证');
    expect(await findUserByLogin(t.ctx.db, 'hr@plant.example')).toMatchObject({ id: user.id, login: user.login, emailVerifiedAt: expect.any(Date) });
    expect((await t.client().post('/login', { login: 'hr@plant.example', password: TEST_PASSWORD })).status).toBe(303);
  });
});

describe('sessions', () => {
  it('lists each device with its browser, a masked IP and when it was last active, and ends the others', async () => {
    const user = await makeUser(t.ctx, 'seeker');
    const phone = t.client();
    phone.agent.set('User-Agent', IPHONE_WECHAT);
    await phone.login(user.login, TEST_PASSWORD);
    const desktop = t.client();
    desktop.agent.set('User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36');
    await desktop.login(user.login, TEST_PASSWORD);
    const page = await desktop.get('/me/security');
    expect(page.text).toContain('Windows 电脑 · Chrome</strong> <span class="badge-verified">本机</span>');
    expect(page.text).toContain('iPhone · 微信');
    expect(page.text).toMatch(/IP 127\.0\.\*\.\*/);
    expect(page.text).not.toContain('127.0.0.1');
    const res = await desktop.post('/me/security/sessions');
    expect((await follow(desktop, res)).text).toContain('已退出其他 1 个设备上的登录');
    expect((await phone.get('/me')).status).toBe(302);
    expect((await desktop.get('/me')).status).toBe(200);
  });

  it('end 30 days after login whatever the activity, not sooner', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    await t.ctx.db.update(sessions).set({ createdAt: sql`now() - interval '29 days 23 hours'` }).where(eq(sessions.userId, user.id));
    expect((await client.get('/me')).status).toBe(200);
    await t.ctx.db.update(sessions).set({ createdAt: sql`now() - interval '30 days 1 minute'` }).where(eq(sessions.userId, user.id));
    // Active all along (expiry far off), still over.
    expect(await t.ctx.db.$count(sessions, sql`${sessions.userId} = ${user.id} and ${sessions.expiresAt} > now() + interval '13 days'`)).toBe(1);
    expect((await client.get('/me')).status).toBe(302);
  });

  it('names the device from common User-Agents, and masks IPs', () => {
    expect(describeDevice(IPHONE_WECHAT)).toBe('iPhone · 微信');
    expect(describeDevice('Mozilla/5.0 (Linux; Android 13; V2231A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0 Mobile Safari/537.36 VivoBrowser/17.8')).toBe('安卓手机 · Chrome');
    expect(describeDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15')).toBe('Mac 电脑 · Safari');
    expect(describeDevice('')).toBe('未知设备');
    expect(maskIp('183.14.25.7')).toBe('183.14.*.*');
    expect(maskIp('::ffff:10.1.2.3')).toBe('10.1.*.*');
    expect(maskIp('2408:8207:1851:a2b0::1')).toBe('2408:8207:*');
  });
});

describe('who uses it', () => {
  it.each(['seeker', 'employer', 'admin'] as const)('a %s has /me/security', async (role) => {
    const { client } = await signedIn(t, role);
    const page = await client.get('/me/security');
    expect(page.status).toBe(200);
    expect(page.text).toContain('修改密码');
    expect(page.text).toContain('登录设备');
  });

  it('an admin with no verified phone or e-mail is asked to add one, on the dashboard and on /me/security', async () => {
    const admin = await makeUser(t.ctx, 'admin', { login: 'night-shift@pengcheng.example', verified: false });
    await t.ctx.db.update(users).set({ phonePromptedAt: new Date() }).where(eq(users.id, admin.id));
    const client = t.client();
    await client.login(admin.login, TEST_PASSWORD);
    expect((await client.get('/admin')).text).toContain('你的管理员账号还没有验证过的手机号或邮箱');
    expect((await client.get('/me/security')).text).toContain('管理员账号请绑定并验证手机号或邮箱');
    const { client: verified } = await signedIn(t, 'admin');
    expect((await verified.get('/admin')).text).not.toContain('还没有验证过的手机号或邮箱');
  });

  it('anonymous visitors are sent to log in', async () => {
    const res = await t.client().get('/me/security');
    expect(res.headers.location).toBe('/login?next=%2Fme%2Fsecurity');
  });
});

describe('the session cookie', () => {
  it('is named __Host-pc.sid over https: Secure, Path=/, no Domain', async () => {
    const https = await createTestApp({ env: { PUBLIC_URL: 'https://www.pengcheng.example', TRUST_PROXY: 'true' } });
    try {
      const res = await request(https.app).get('/login').set('X-Forwarded-Proto', 'https');
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('__Host-pc.sid='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).not.toMatch(/Domain=/i);
    } finally {
      await https.close();
    }
  });

  it('keeps its plain name over http (a __Host- cookie needs https)', async () => {
    const res = await request(t.app).get('/login');
    expect((res.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('pc.sid='))).toBe(true);
  });
});
