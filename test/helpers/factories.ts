// Makes users (and signs them in) for tests, through the same service the signup form uses.
import type { AppContext } from '../../src/context';
import { createUser, type Role, type UserRow } from '../../src/features/accounts/accounts.service';
import type { TestApp } from './app';
import type { TestClient } from './client';

let counter = 0;

export const TEST_PASSWORD = 'correct-horse-9';

/** A unique mobile number per call: 139 + 8 digits. */
export function uniquePhone(): string {
  counter += 1;
  return `139${String((process.pid * 1000 + counter) % 100_000_000).padStart(8, '0')}`;
}

/**
 * A user as signup makes one: its phone or e-mail verified by a code. `verified: false` makes an account from
 * before phone checks (asked once, at login, to verify its phone).
 */
export async function makeUser(
  ctx: AppContext,
  role: Role,
  overrides: Partial<{ login: string; displayName: string; password: string | null; verified: boolean }> = {},
): Promise<UserRow> {
  return createUser(ctx.db, {
    login: overrides.login ?? uniquePhone(),
    password: overrides.password === undefined ? TEST_PASSWORD : overrides.password,
    role,
    displayName: overrides.displayName ?? `测试${role === 'seeker' ? '求职者' : role === 'employer' ? '企业' : '管理员'}${counter}`,
    consented: role !== 'admin',
    loginVerified: overrides.verified ?? true,
  });
}

/** A new client signed in as a new user of the role. */
export async function signedIn(t: TestApp, role: Role, overrides: Parameters<typeof makeUser>[2] = {}): Promise<{ client: TestClient; user: UserRow }> {
  const user = await makeUser(t.ctx, role, overrides);
  const client = t.client();
  const res = await client.login(user.login, overrides.password ?? TEST_PASSWORD);
  if (res.status !== 303) throw new Error(`login failed for ${role}: ${res.status}`);
  return { client, user };
}
