// Security round 2 (issue 15), accounts: the password policy (common passwords, the login itself, Chinese
// reasons), demo data off in production with a random demo password, and the admin bootstrap that says so
// when ADMIN_LOGIN belongs to somebody else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { boot } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { users } from '../src/db/schema';
import { commonPasswords, passwordMessages, passwordProblem } from '../src/domain/passwords';
import { signupSchema } from '../src/features/accounts/accounts.validation';
import { createLogger } from '../src/logger';
import { newDemoPassword } from '../src/seeders';
import { createTestApp, type TestApp } from './helpers/app';
import { requestCodeFor, signUpWithCode } from './helpers/codes';
import { makeUser } from './helpers/factories';
import { fieldError } from './helpers/html';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signupFields = (login: string) => ({ role: 'seeker', login, displayName: '小李', consent: 'yes' });
const signup = (login: string, password: string) => ({ ...signupFields(login), password, passwordConfirm: password });

describe('finding 6: passwords', () => {
  it('ships a list of at least 10,000 common passwords, the Chinese favourites among them', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
    for (const p of ['12345678', '123456789', 'qq123456', 'woaini1314', 'a123456789', '5201314520', 'password', 'iloveyou']) expect([p, list.has(p)]).toEqual([p, true]);
  });

  const refused: [label: string, password: string, login: string | undefined, reason: string][] = [
    ['12345678', '12345678', undefined, passwordMessages.common],
    ['123456789', '123456789', undefined, passwordMessages.common],
    ['qq123456', 'qq123456', undefined, passwordMessages.common],
    ['woaini1314', 'woaini1314', undefined, passwordMessages.common],
    ['a123456 (too short first)', 'a123456', undefined, passwordMessages.length],
    ['a12345678', 'a12345678', undefined, passwordMessages.common],
    ['upper case of a common one', 'PASSWORD1', undefined, passwordMessages.common],
    ['one character repeated', 'zzzzzzzzzz', undefined, passwordMessages.common],
    ['a birthday', '19900815', undefined, passwordMessages.common],
    ['the mobile login', '13812345678', '13812345678', passwordMessages.sameAsLogin],
    ['the mobile login with +86', '13812345678', '+86 138 1234 5678', passwordMessages.sameAsLogin],
    ['the e-mail login', 'Zhang.San@qq.com', 'zhang.san@qq.com', passwordMessages.sameAsLogin],
    ['the name part of the e-mail', 'zhangsan2020', 'zhangsan2020@163.com', passwordMessages.sameAsLogin],
  ];
  it.each(refused)('refuses %s with its Chinese reason', (_label, password, login, reason) => {
    expect(passwordProblem(password, login)).toBe(reason);
    expect(reason).toMatch(/[\u4e00-\u9fff]/);
  });

  it('accepts a password that is neither common nor the login', () => {
    for (const ok of ['harbor-lamp-27', '鹏城劳务2026派遣', 'Tq9#mule-river']) expect(passwordProblem(ok, '13812345678')).toBeNull();
  });

  it('the signup form refuses 12345678 and the login as password: 422, the reason beside the field, nobody created', async () => {
    for (const [login, password, reason] of [
      ['13712345001', '12345678', passwordMessages.common],
      ['13712345002', 'woaini1314', passwordMessages.common],
      ['13712345003', '13712345003', passwordMessages.sameAsLogin],
    ] as const) {
      const client = t.client();
      const code = await requestCodeFor(t, client, 'signup', signupFields(login));
      const res = await client.post('/signup', { ...signup(login, password), code });
      expect([password, res.status]).toEqual([password, 422]);
      expect(fieldError(res.text, 'password')).toBe(reason);
      expect(res.text).not.toContain(`value="${password}"`.replace(login, '')); // the password is never echoed
      expect(await t.ctx.db.$count(users, eq(users.login, login))).toBe(0);
    }
    expect((await signUpWithCode(t, t.client(), { login: '13712345004', password: 'harbor-lamp-27', displayName: '小李' })).status).toBe(303);
  });

  it('the shared zod rules give other flows the same policy', () => {
    const parsed = signupSchema.safeParse(signup('13712345005', 'qq123456'));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message)).toContain(passwordMessages.common);
  });

  it('ADMIN_PASSWORD must meet the policy too: a common one stops the start with one clear line', () => {
    expect(() => parseConfig({ ADMIN_LOGIN: 'boss@example.com', ADMIN_PASSWORD: 'admin123456' })).toThrow(/ADMIN_PASSWORD is refused: 这个密码太常见/);
    expect(() => parseConfig({ ADMIN_LOGIN: 'boss@example.com', ADMIN_PASSWORD: 'boss@example.com' })).toThrow(/ADMIN_PASSWORD is refused: 密码不能与/);
  });
});

describe('finding 2: demo data', () => {
  it('is off in production unless asked for, on in development and test', () => {
    expect(parseConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).seedDemo).toBe(false);
    expect(parseConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: 'development' }).seedDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: 'development', SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('demo accounts get a fresh random password at each seeding (no published one)', () => {
    const a = newDemoPassword();
    const b = newDemoPassword();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(16);
    expect(passwordProblem(a)).toBeNull();
  });
});

describe('admin bootstrap', () => {
  it('when ADMIN_LOGIN belongs to a seeker, the start says so in one clear line and changes nothing', async () => {
    const seeker = await makeUser(t.ctx, 'seeker', { login: 'taken-admin@example.com' });
    const lines: string[] = [];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-admin-'));
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'test-secret-test-secret', ADMIN_LOGIN: 'taken-admin@example.com', ADMIN_PASSWORD: 'harbor-lamp-27', SEED_DEMO: 'false' });
    await boot(config, createLogger('info', { write: (l: string) => void lines.push(l) }), { dbHandle: t.ctx.dbHandle, migrate: false, seed: false });
    const said = lines.filter((l) => l.includes('ADMIN_LOGIN'));
    expect(said).toHaveLength(1);
    expect(JSON.parse(said[0]!)).toMatchObject({ level: 40, msg: expect.stringContaining('already used by a seeker or employer account') });
    const [after] = await t.ctx.db.select().from(users).where(eq(users.id, seeker.id));
    expect(after).toMatchObject({ role: 'seeker', passwordHash: seeker.passwordHash });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
