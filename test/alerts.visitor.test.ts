// Issue 20: a visitor taps 订阅这个搜索 on /jobs, signs up with an SMS code (or logs in with a code or a password),
// and comes back to the same search with the subscription made. Codes are read from the outbox.
import { eq } from 'drizzle-orm';
import { jobAlerts, users } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { requestCodeFor, signUpWithCode } from './helpers/codes';
import { makeUser, TEST_PASSWORD, uniquePhone } from './helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'");
const SEARCH = `/jobs?q=${encodeURIComponent('普工')}&district=${encodeURIComponent('宝安区')}&benefits=${encodeURIComponent('包吃')}&benefits=${encodeURIComponent('包住')}`;

/** The visitor's 订阅这个搜索 link on a page, and the `next` it carries. */
async function subscribeLink(client: TestClient, page: string) {
  const res = await client.get(page);
  expect(res.status).toBe(200);
  const m = /<a class="btn btn-small" href="([^"]+)" rel="nofollow">订阅这个搜索<\/a>/.exec(res.text);
  expect(m).not.toBeNull();
  const href = unescape(m![1]!);
  return { href, next: new URL(href, 'http://x').searchParams.get('next')! };
}

const alertsOf = (userId: number) => t.ctx.db.select().from(jobAlerts).where(eq(jobAlerts.userId, userId));

test('the link leads to login with a next back to the same /jobs search, marked subscribe=1', async () => {
  const { href, next } = await subscribeLink(t.client(), SEARCH);
  expect(href.startsWith('/login?next=')).toBe(true);
  const back = new URL(next, 'http://x');
  expect(back.pathname).toBe('/jobs');
  expect(back.searchParams.get('q')).toBe('普工');
  expect(back.searchParams.getAll('benefits')).toEqual(['包吃', '包住']);
  expect(back.searchParams.get('subscribe')).toBe('1');
  // The login page offers signup and login with a code, both keeping the same next.
  const login = await t.client().get(href);
  expect(unescape(login.text)).toContain(`/signup?next=${encodeURIComponent(next)}`);
  expect(unescape(login.text)).toContain(`/login/code?next=${encodeURIComponent(next)}`);
});

test('login, signup and code login say the search will be subscribed; a plain login says nothing of it', async () => {
  const { next } = await subscribeLink(t.client(), SEARCH);
  for (const page of ['/login', '/signup', '/login/code']) {
    const res = await t.client().get(`${page}?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('自动为你订阅这个搜索');
  }
  for (const other of ['/login', `/login?next=${encodeURIComponent('/me/applications')}`, `/signup?next=${encodeURIComponent('/jobs?q=x')}`]) {
    expect((await t.client().get(other)).text).not.toContain('自动为你订阅这个搜索');
  }
});

test('a preset list (/linshigong) subscribes to the same search with its type', async () => {
  const { next } = await subscribeLink(t.client(), `/linshigong?q=${encodeURIComponent('保安')}`);
  const back = new URL(next, 'http://x');
  expect(back.pathname).toBe('/jobs');
  expect(back.searchParams.get('type')).toBe('temp');
  expect(back.searchParams.get('q')).toBe('保安');
});

test('a visitor signs up with an SMS code and lands back on the search, subscribed', async () => {
  const client = t.client();
  const { next } = await subscribeLink(client, SEARCH);
  const phone = uniquePhone();
  const res = await signUpWithCode(t, client, { login: phone, displayName: '刘师傅', next });
  expect(res.status).toBe(303);
  const landing = res.headers.location!;
  expect(landing.startsWith('/jobs?')).toBe(true);
  expect(landing).not.toContain('subscribe=');
  expect(new URL(landing, 'http://x').searchParams.get('district')).toBe('宝安区');

  const [user] = await t.ctx.db.select().from(users).where(eq(users.phone, phone));
  const [alert, ...more] = await alertsOf(user!.id);
  expect(more).toHaveLength(0);
  expect(alert!.name).toBe('普工 · 宝安区 · 包吃 · 包住');
  expect(alert!.benefits).toEqual(['包吃', '包住']);

  const page = await client.get(landing);
  expect(page.status).toBe(200);
  expect(page.text).toContain('已订阅「普工 · 宝安区 · 包吃 · 包住」');
});

test('a seeker with an account logs in with a code and is subscribed; a password login too', async () => {
  const phone = uniquePhone();
  const user = await makeUser(t.ctx, 'seeker', { login: phone });
  const byCode = t.client();
  const { next } = await subscribeLink(byCode, SEARCH);
  await byCode.get(`/login/code?next=${encodeURIComponent(next)}`);
  const code = await requestCodeFor(t, byCode, 'login', { login: phone, next });
  const res = await byCode.post('/login/code', { login: phone, code, next });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(next.replace('&subscribe=1', ''));
  expect(await alertsOf(user.id)).toHaveLength(1);

  const byPassword = t.client();
  await byPassword.refreshCsrf();
  const again = await byPassword.post('/login', { login: phone, password: TEST_PASSWORD, next: `/jobs?q=${encodeURIComponent('保安')}&subscribe=1` });
  expect(again.status).toBe(303);
  expect(again.headers.location).toBe(`/jobs?q=${encodeURIComponent('保安')}`);
  expect((await alertsOf(user.id)).map((a) => a.name)).toEqual(['普工 · 宝安区 · 包吃 · 包住', '保安']);
});

test('an employer who logs in from the link is not subscribed and is told why', async () => {
  const employer = await makeUser(t.ctx, 'employer');
  const client = t.client();
  await client.refreshCsrf();
  const res = await client.post('/login', { login: employer.login, password: TEST_PASSWORD, next: `/jobs?q=${encodeURIComponent('保安')}&subscribe=1` });
  expect(res.headers.location).toBe(`/jobs?q=${encodeURIComponent('保安')}`);
  expect(await alertsOf(employer.id)).toHaveLength(0);
  expect((await client.get(res.headers.location!)).text).toContain('只有求职者账号可以订阅职位搜索');
});

test('a next that is not a local /jobs search subscribes nobody and never leaves the site', async () => {
  const user = await makeUser(t.ctx, 'seeker');
  for (const next of ['https://evil.example/jobs?subscribe=1', '//evil.example/jobs?subscribe=1', '/\\evil.example/jobs?subscribe=1', '/jobs/../admin?subscribe=1', '/jobsx?subscribe=1', '/me/alerts?subscribe=1']) {
    const client = t.client();
    await client.refreshCsrf();
    const res = await client.post('/login', { login: user.login, password: TEST_PASSWORD, next });
    expect(res.status).toBe(303);
    expect(res.headers.location!.startsWith('/')).toBe(true);
    expect(res.headers.location!.startsWith('//')).toBe(false);
  }
  expect(await alertsOf(user.id)).toHaveLength(0);
});

test('the 11th subscription made on return is refused with the reason, and the search still shows', async () => {
  const user = await makeUser(t.ctx, 'seeker');
  for (let i = 0; i < 10; i++) {
    const client = t.client();
    await client.refreshCsrf();
    await client.post('/login', { login: user.login, password: TEST_PASSWORD, next: `/jobs?q=${encodeURIComponent(`保安${i}`)}&subscribe=1` });
  }
  expect(await alertsOf(user.id)).toHaveLength(10);
  const client = t.client();
  await client.refreshCsrf();
  const res = await client.post('/login', { login: user.login, password: TEST_PASSWORD, next: `/jobs?q=${encodeURIComponent('厨师')}&subscribe=1` });
  expect(res.headers.location).toBe(`/jobs?q=${encodeURIComponent('厨师')}`);
  expect(await alertsOf(user.id)).toHaveLength(10);
  expect((await client.get(res.headers.location!)).text).toContain('最多只能订阅 10 个搜索');
});
