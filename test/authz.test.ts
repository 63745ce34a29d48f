// Walks the authorization matrix: each route, as anonymous, seeker, employer and admin.
import type { Response } from 'supertest';
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
  const employer = await signedIn(t, 'employer');
  const seeker = await signedIn(t, 'seeker');
  const admin = await signedIn(t, 'admin');
  clients.seeker = seeker.client;
  clients.employer = employer.client;
  clients.admin = admin.client;
  logins.seeker = seeker.user.login;
  logins.employer = employer.user.login;
  logins.admin = admin.user.login;
  fixtures = await createAuthzFixtures(t, employer.user.id);
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
  it.each(['anon', 'seeker', 'employer', 'admin'] as Visitor[])('as %s', async (visitor) => {
    const client = clients[visitor];
    const path = fill(row.path);
    const res = row.method === 'GET' ? await client.get(path) : await client.post(path, {});
    if (!check(res, row.expect[visitor])) {
      throw new Error(`${row.method} ${path} as ${visitor}: expected ${row.expect[visitor]}, got ${res.status} ${res.headers.location ?? ''}`);
    }
    // After /logout each visitor starts again in a new browser: the same user logged in again (the fixtures
    // belong to them), and the anonymous visitor with a fresh session (logout destroyed the old one and its token).
    if (row.path === '/logout') {
      clients[visitor] = t.client();
      if (visitor !== 'anon') await clients[visitor].login(logins[visitor], TEST_PASSWORD);
    }
  });
});

it('lists every route of the route table', () => {
  expect(MATRIX.length).toBeGreaterThanOrEqual(50);
});
