// Property-based fuzzing of every query parameter (and some unknown ones) of the public pages, the private lists and
// the admin filters: a parameter of the wrong type or out of range is ignored or clamped, never a 5xx.
import fc from 'fast-check';
import type { Role } from '../src/features/accounts/accounts.service';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { expectSafeAnswer, FUZZ_RUNS, hostileString } from './helpers/fuzz';
import { makeJob, makeProfile } from './helpers/jobs';
import { makeArticle } from './helpers/news';

jest.setTimeout(300_000);

type QueryRoute = { role: Role | 'anon'; path: string; params: string[] };

const JOB_LIST_PARAMS = ['q', 'type', 'district', 'settlement', 'category', 'payMin', 'benefits', 'sort', 'page'];

let t: TestApp;
const clients = {} as Record<Role | 'anon', TestClient>;
let routes: QueryRoute[] = [];

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const employer = await signedIn(t, 'employer');
  clients.seeker = (await signedIn(t, 'seeker')).client;
  clients.employer = employer.client;
  clients.admin = (await signedIn(t, 'admin')).client;
  clients.anon = t.client();
  await makeProfile(t.ctx, employer.user.id);
  const other = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, other.id);
  const job = await makeJob(t.ctx, other.id, { title: '查询模糊测试职位' });
  const ownJob = await makeJob(t.ctx, employer.user.id, { title: '自己的查询模糊测试职位' });
  const article = await makeArticle(t.ctx, { title: '查询模糊测试文章' });
  const slug = (await t.ctx.settings.get()).keywordPages[0]!.slug;

  routes = [
    { role: 'anon', path: '/', params: ['q', 'page'] },
    ...['/jobs', '/linshigong', '/jianzhi', '/paiqian'].map((path) => ({ role: 'anon' as const, path, params: JOB_LIST_PARAMS })),
    { role: 'anon', path: `/jobs/${job}`, params: ['ref', 'page'] },
    { role: 'anon', path: '/news', params: ['category', 'page'] },
    { role: 'anon', path: '/news/top', params: ['page', 'limit'] },
    { role: 'anon', path: `/news/${article.id}`, params: ['page'] },
    { role: 'anon', path: `/k/${slug}`, params: ['page', 'q'] },
    { role: 'anon', path: '/sitemap', params: ['page'] },
    { role: 'anon', path: '/sitemap.xml', params: ['page'] },
    { role: 'anon', path: '/sitemaps/pages.xml', params: ['page'] },
    { role: 'anon', path: '/feed.xml', params: ['category', 'page'] },
    { role: 'anon', path: '/robots.txt', params: ['x'] },
    { role: 'anon', path: '/about', params: ['x'] },
    { role: 'anon', path: '/join', params: ['x'] },
    { role: 'anon', path: '/privacy', params: ['x'] },
    { role: 'anon', path: '/terms', params: ['x'] },
    { role: 'anon', path: '/healthz', params: ['x'] },
    { role: 'anon', path: '/login', params: ['next'] },
    { role: 'anon', path: '/signup', params: ['role', 'next'] },
    { role: 'seeker', path: '/me/applications', params: ['page'] },
    { role: 'seeker', path: '/me/saved', params: ['page'] },
    { role: 'seeker', path: '/me/resume-views', params: ['page'] },
    { role: 'seeker', path: '/me/notifications', params: ['page'] },
    { role: 'seeker', path: `/jobs/${job}/apply`, params: ['resumeId'] },
    { role: 'employer', path: '/employer/jobs', params: ['status', 'page'] },
    { role: 'employer', path: `/employer/jobs/${ownJob}/applications`, params: ['status', 'page'] },
    { role: 'employer', path: '/employer/notifications', params: ['page'] },
    { role: 'admin', path: '/admin/users', params: ['q', 'role', 'status', 'page'] },
    { role: 'admin', path: '/admin/employers', params: ['q', 'filter', 'page'] },
    { role: 'admin', path: '/admin/jobs', params: ['status', 'flagged', 'page'] },
    { role: 'admin', path: '/admin/reports', params: ['status', 'page'] },
    { role: 'admin', path: '/admin/news', params: ['status', 'q', 'page'] },
    { role: 'admin', path: '/admin/audit', params: ['action', 'actor', 'targetType', 'targetId', 'from', 'to', 'page'] },
    { role: 'admin', path: '/admin/settings', params: ['section'] },
  ];
});

afterAll(() => t.close());

/** Raw query-string pieces a browser would never send: broken percent escapes, bare keys, brackets. */
const rawPiece = fc.constantFrom('%', '%%', '%E0%A4%A', '%FF%FE', '%00', 'a[b]=1', 'a[]=1&a[]=2', '&&&', '=', '==x', '+', '%2B%20', ';', '#frag', '__proto__[x]=1', 'constructor=1');

function queryOf(params: string[]): fc.Arbitrary<string> {
  const value = fc.oneof(hostileString, fc.constantFrom('1', '2', '9999', '0', '-1', '1.5', '01', 'temp', 'daily', 'pay', 'latest', '宝安区', '普工', 'published', 'draft', 'pending'));
  const pair = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...params) }, { weight: 1, arbitrary: hostileString }), value);
  return fc
    .tuple(fc.array(pair, { maxLength: 6 }), fc.array(rawPiece, { maxLength: 2 }))
    .map(([pairs, raw]) => [...pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), ...raw].join('&'));
}

describe('every query parameter, fuzzed', () => {
  it('the routes answer 200 without a query (the table is right)', async () => {
    for (const route of routes) {
      const res = await clients[route.role].agent.get(route.path);
      expect([route.path, res.status]).toEqual([route.path, 200]);
    }
  });

  it('never answers 5xx: wrong types and ranges are ignored or clamped, a refusal is a Chinese 4xx', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(queryOf(route.params), async (query) => {
          const res = await clients[route.role].agent.get(`${route.path}?${query}`);
          expectSafeAnswer(res, `GET ${route.path}?${query.slice(0, 300)}`);
        }),
        // Reads cost more than the forms' refusals (search, lists): two thirds of the runs per route.
        { numRuns: Math.ceil((FUZZ_RUNS * 2) / 3) },
      );
    }
  });

  it('a wrong filter value is ignored: the list still answers 200', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...JOB_LIST_PARAMS.filter((p) => p !== 'page')), hostileString, async (param, value) => {
        const res = await clients.anon.agent.get(`/jobs?${param}=${encodeURIComponent(value)}`);
        // A value too long for a URL is refused by Node itself (431) before the app sees it.
        expect(res.status === 200 || (res.status === 431 && value.length > 2000)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('a page past the end or out of range is a 404 page, never an error', async () => {
    for (const page of ['2', '999999', '5001', '99999999999999999999']) {
      const res = await clients.anon.agent.get(`/jobs?page=${page}`);
      expect([page, res.status === 404 || res.status === 200]).toEqual([page, true]);
      expectSafeAnswer(res, `page ${page}`);
    }
  });
});
