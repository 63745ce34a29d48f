// Security round 2 (issue 15), hostile input at the edges: control characters in any form or query, database errors
// classified by SQLSTATE and class (never by message), ids through one bounded parser, secrets and query
// parameters kept out of the logs, the per-render CSRF mask (BREACH) and the security headers.
import { sql, DrizzleQueryError } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../src/db/client';
import { applications, users } from '../src/db/schema';
import { redactUrl } from '../src/logger';
import { maskToken, unmaskToken } from '../src/web/csrf';
import { parseId } from '../src/web/forms';
import { createTestApp, type TestApp } from './helpers/app';
import { signUpWithCode } from './helpers/codes';
import { signedIn } from './helpers/factories';
import { dataFingerprint, changedTables } from './helpers/fuzz';
import { fieldError } from './helpers/html';
import { makeJob, signedInEmployer } from './helpers/jobs';
import { insertResume } from './helpers/resumeFixtures';

jest.setTimeout(120_000);

const logLines: string[] = [];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ logStream: { write: (line: string) => void logLines.push(line) } });
});
afterAll(() => t.close());

const CJK = /[\u4e00-\u9fff]/;

describe('finding 1: control characters never reach the database, and its errors are classified by code', () => {
  it('a NUL in the login of POST /login is a Chinese 4xx, not a 503 for the whole site (nor a 500), and nothing is written', async () => {
    const before = await dataFingerprint(t.ctx);
    for (const login of ['connection terminated\u0000@x.com', 'a\u0000@x.com', 'Connection terminated unexpectedly\u0000', '1381234\u00005678']) {
      const res = await t.client().post('/login', { login, password: 'whatever-1' });
      expect([login, res.status]).toEqual([login, expect.any(Number)]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).toMatch(CJK);
      // Everyone else is still served.
      expect((await t.client().get('/jobs')).status).toBe(200);
    }
    expect(t.ctx.dbGate.isDown).toBe(false);
    expect(changedTables(before, await dataFingerprint(t.ctx)).filter((name) => name !== 'rate_limits')).toEqual([]);
  });

  it('a NUL in a query string is removed before any route reads it (admin news search, job search)', async () => {
    const admin = (await signedIn(t, 'admin')).client;
    for (const path of ['/admin/news?q=%00', '/admin/news?q=a%00b', '/jobs?q=%00%E6%99%AE%E5%B7%A5', '/admin/users?q=%00', '/admin/audit?actor=%00']) {
      const res = await admin.get(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
  });

  it('a NUL in a form field is removed from what is saved (signup display name)', async () => {
    const client = t.client();
    const res = await signUpWithCode(t, client, { login: '13712340001', password: 'Zq8-harbour-lamp', displayName: '小\u0000王\u001b' });
    expect(res.status).toBe(303);
    const [user] = await t.ctx.db.select().from(users).where(eq(users.login, '13712340001'));
    expect(user!.displayName).toBe('小王');
  });

  it('isDatabaseUnavailable reads classes and SQLSTATEs, never the words of a message', () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    // Drizzle's message quotes the parameters: an attacker can make it say anything.
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1 where login = $1', ['Connection terminated\u0000@x.com'], refused))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly; database did not answer'))).toBe(false);
    expect(isDatabaseUnavailable(new DrizzleQueryError('select $1::int', [1], new TypeError('circular')))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
    // Real unavailability, by class or code.
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError('database closed'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' }))).toBe(true);
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], Object.assign(new Error('terminating'), { code: '57P01' })))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
  });
});

describe('finding 5: every id goes through one bounded parser', () => {
  it('parseId takes only positive integers that fit an integer column', () => {
    expect(parseId('2147483647')).toBe(2147483647);
    for (const bad of ['2147483648', '9999999999', '0', '-1', '1e3', '01', ' 1', '1.0', '', 2147483648, 1.5]) expect(parseId(bad)).toBeNull();
  });

  it('apply with resumeId=9999999999 is a 422 with the resume message, not a 500, and nothing is written', async () => {
    const employer = await signedInEmployer(t);
    const jobId = await makeJob(t.ctx, employer.id);
    const seeker = await signedIn(t, 'seeker');
    await insertResume(t.ctx, seeker.user.id);
    for (const resumeId of ['9999999999', '2147483648', '99999999999999999999']) {
      const res = await seeker.client.upload(`/jobs/${jobId}/apply`, { resumeId, message: '', shareConsent: 'yes' });
      expect([resumeId, res.status]).toEqual([resumeId, 422]);
      expect(fieldError(res.text, 'resumeId')).toBe('请选择一份简历');
    }
    expect(await t.ctx.db.select().from(applications).where(eq(applications.jobId, jobId))).toHaveLength(0);
  });

  it('ids in admin forms and queries out of range are ignored, not a 500', async () => {
    const admin = (await signedIn(t, 'admin')).client;
    expect((await admin.get('/admin/audit?targetType=user&targetId=99999999999')).status).toBe(200);
    const bulk = await admin.post('/admin/jobs/bulk-approve', { ids: ['9999999999', '2147483648'] });
    expect(bulk.status).toBeLessThan(500);
    for (const path of ['/jobs/9999999999', '/admin/users/9999999999', '/files/resumes/9999999999']) {
      expect((await admin.get(path)).status).toBe(404);
    }
  });
});

describe('finding 3 and logs: the CSRF token and user-supplied parameters never reach a log line', () => {
  it('redactUrl hides secret parameters, however their names are spelled', () => {
    expect(redactUrl('/me/resumes?_csrf=abc&x=1')).toBe('/me/resumes?_csrf=[redacted]&x=1');
    expect(redactUrl('/a?x=1&%5Fcsrf=abc#top')).toBe('/a?x=1&%5Fcsrf=[redacted]#top');
    expect(redactUrl('/reset?token=s3cret')).toBe('/reset?token=[redacted]');
    expect(redactUrl('/jobs?q=普工')).toBe('/jobs?q=普工');
  });

  it('a refused upload URL carrying the token is logged with the token redacted, by the request line and the error handler', async () => {
    const seeker = await signedIn(t, 'seeker');
    await seeker.client.refreshCsrf();
    const token = seeker.client.csrf!;
    logLines.length = 0;
    // 404: the error handler logs the refused URL; pino-http logs the request line.
    const res = await seeker.client.upload('/jobs/2147483000/apply', { message: '' });
    expect(res.status).toBe(404);
    const logged = logLines.join('');
    expect(logged).toContain('request refused');
    expect(logged).toContain('_csrf=[redacted]');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(encodeURIComponent(token));
  });

  it('a failed query is logged by its SQL and SQLSTATE, without its parameters or the server message quoting them', async () => {
    const secret = 'secret-search-word-张三';
    const err = await t.ctx.db.execute(sql`select ${secret}::int`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    logLines.length = 0;
    t.ctx.logger.error({ err }, 'request failed');
    const line = logLines.join('');
    expect(line).toContain('22P02');
    expect(line).toContain('select $1::int');
    expect(line).not.toContain('secret-search-word');
    expect(line).not.toContain('张三');
  });
});

describe('BREACH: the CSRF token on a page is masked afresh on every render', () => {
  it('mask and unmask round-trip, and a masked token never repeats', () => {
    const token = 'f'.repeat(64);
    const a = maskToken(token);
    const b = maskToken(token);
    expect(a).not.toBe(b);
    expect(a).not.toContain(token);
    expect(unmaskToken(a, 64)).toBe(token);
    expect(unmaskToken(b, 64)).toBe(token);
  });

  it('two renders of the same form carry different tokens; both are accepted, a tampered one is refused (403)', async () => {
    const client = t.client();
    const first = /name="_csrf" value="([^"]+)"/.exec((await client.get('/signup')).text)![1]!;
    const second = /name="_csrf" value="([^"]+)"/.exec((await client.get('/signup')).text)![1]!;
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      const res = await client.agent.post('/signup').type('form').send({ _csrf: token, role: 'seeker' });
      expect(res.status).toBe(422);
    }
    const tampered = `${first.slice(0, -2)}${first.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused = await client.agent.post('/signup').type('form').send({ _csrf: tampered, role: 'seeker' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('页面已过期');
  });

  it('/jobs?q= reflecting a search and compressed never carries the same token twice', async () => {
    const seeker = await signedIn(t, 'seeker');
    const tokens = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await seeker.client.agent.get('/jobs?q=_csrf').set('Accept-Encoding', 'gzip');
      for (const m of res.text.matchAll(/name="_csrf" value="([^"]+)"/g)) tokens.add(m[1]!);
    }
    expect(tokens.size).toBeGreaterThanOrEqual(3);
  });
});

describe('headers', () => {
  it('Permissions-Policy turns off what the site never uses; X-Frame-Options agrees with frame-ancestors', async () => {
    const res = await t.client().get('/');
    const policy = res.headers['permissions-policy'];
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()']) expect(policy).toContain(feature);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});
