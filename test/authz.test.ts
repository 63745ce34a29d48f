// Walks the authorization matrix: each route, as anonymous, seeker, employer, admin and consultant.
import { eq } from 'drizzle-orm';
import type { Response } from 'supertest';
import { users } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn, TEST_PASSWORD } from './helpers/factories';
import { MATRIX, type Expectation, type Visitor } from './authz.matrix';
import { createAuthzFixtures, type AuthzFixtures } from './helpers/authzFixtures';

let t: TestApp;
const clients = {} as Record<Visitor, TestClient>;
const logins = {} as Record<Exclude<Visitor, 'anon'>, string>;
let fixtures: AuthzFixtures;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  clients.anon = t.client();
  for (const role of ['seeker', 'employer', 'admin', 'consultant'] as const) {
    const { client, user } = await signedIn(t, role);
    clients[role] = client;
    logins[role] = user.login;
  }
  const [employer] = await t.ctx.db.select().from(users).where(eq(users.login, logins.employer));
  fixtures = await createAuthzFixtures(t, employer!.id);
});
afterAll(() => t.close());

function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = (fixtures as Record<string, string | number | undefined>)[key];
    if (value === undefined) throw new Error(`no fixture for {${key}}`);
    return String(value);
  });
}

function check(res: Response, expected: Expectation): boolean {
  const loginRedirect = (res.status === 302 || res.status === 303) && String(res.headers.location).startsWith('/login');
  if (expected === 'login') return loginRedirect;
  if (expected === 'allowed') return !loginRedirect && res.status !== 403 && res.status !== 401;
  return res.status === expected;
}

const active = MATRIX.filter((row) => !row.pending);

describe.each(active)('$method $path', (row) => {
  it.each(['anon', 'seeker', 'employer', 'admin', 'consultant'] as Visitor[])('as %s', async (visitor) => {
    const client = clients[visitor];
    const path = fill(row.path);
    const res = row.method === 'GET' ? await client.get(path) : await client.post(path, {});
    if (!check(res, row.expect[visitor])) {
      throw new Error(`${row.method} ${path} as ${visitor}: expected ${row.expect[visitor]}, got ${res.status} ${res.headers.location ?? ''}`);
    }
    // Logging out ends the session and its CSRF token: the anonymous visitor starts a new one, the others log in
    // again (as the same user: fixtures such as {ownJob} are theirs).
    if (row.path === '/logout') {
      const again = t.client();
      if (visitor !== 'anon') await again.login(logins[visitor], TEST_PASSWORD);
      clients[visitor] = again;
    }
  });
});

it('lists every route of the route table', () => {
  expect(MATRIX.length).toBeGreaterThanOrEqual(50);
});
