// Honest view counts: once per visitor per article per Shanghai day, bots and previews not counted.
import { eq } from 'drizzle-orm';
import { articles, articleViews } from '../src/db/schema';
import { purgeOldArticleViews } from '../src/features/news/news.service';
import { viewRecorderOf } from '../src/features/news/news.viewCount';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { makeArticle } from './helpers/news';

const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile Safari/604.1';
const OTHER_BROWSER = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36';

let t: TestApp;
let now = new Date('2024-05-01T10:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp({ now: () => now });
});
afterAll(() => t.close());

async function read(client: TestClient, id: number, userAgent: string | null = BROWSER, headers: Record<string, string> = {}) {
  let req = client.agent.get(`/news/${id}`);
  if (userAgent !== null) req = req.set('User-Agent', userAgent);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  const res = await req;
  await viewRecorderOf(t.ctx).idle();
  return res;
}

async function countOf(id: number): Promise<number> {
  const [row] = await t.ctx.db.select({ n: articles.viewCount }).from(articles).where(eq(articles.id, id));
  return row!.n;
}

describe('counting views', () => {
  it('counts the same visitor once a day however often the page loads, and another visitor again', async () => {
    const a = await makeArticle(t.ctx);
    now = new Date('2024-05-01T10:00:00+08:00');
    const reader = t.client();
    for (let i = 0; i < 3; i++) expect((await read(reader, a.id)).status).toBe(200);
    expect(await countOf(a.id)).toBe(1);
    await read(t.client(), a.id, OTHER_BROWSER);
    expect(await countOf(a.id)).toBe(2);
  });

  it('counts again on the next Shanghai day, and uses the Shanghai day, not the UTC one', async () => {
    const a = await makeArticle(t.ctx);
    const reader = t.client();
    now = new Date('2024-05-01T00:05:00+08:00'); // 2024-04-30 in UTC
    await read(reader, a.id);
    now = new Date('2024-05-01T23:55:00+08:00'); // 2024-05-01 in UTC: still the same day in Shanghai
    await read(reader, a.id);
    expect(await countOf(a.id)).toBe(1);
    now = new Date('2024-05-02T00:05:00+08:00'); // still 2024-05-01 in UTC, but a new day in Shanghai
    await read(reader, a.id);
    expect(await countOf(a.id)).toBe(2);
  });

  it('counts a revisit answered from the browser cache (304) on another day', async () => {
    const a = await makeArticle(t.ctx);
    const reader = t.client();
    now = new Date('2024-05-10T10:00:00+08:00');
    const first = await read(reader, a.id);
    expect(first.headers.etag).toBeDefined();
    now = new Date('2024-05-11T10:00:00+08:00');
    // The count shown changed since, so the page changed: send the ETag of a fresh copy instead.
    const fresh = await t.client().agent.get(`/news/${a.id}`).set('User-Agent', 'Googlebot');
    const cached = await read(reader, a.id, BROWSER, { 'If-None-Match': fresh.headers.etag! });
    expect(cached.status).toBe(304);
    expect(await countOf(a.id)).toBe(2);
  });

  it('counts a signed-in reader once whatever browser they use', async () => {
    const a = await makeArticle(t.ctx);
    now = new Date('2024-05-03T12:00:00+08:00');
    const { client, user } = await signedIn(t, 'seeker');
    await read(client, a.id, BROWSER);
    await read(client, a.id, OTHER_BROWSER);
    expect(await countOf(a.id)).toBe(1);
    const rows = await t.ctx.db.select().from(articleViews).where(eq(articleViews.articleId, a.id));
    expect(rows.map((r) => r.visitor)).toEqual([`u:${user.id}`]);
  });

  it('counts one view when the same visitor opens the page many times at once', async () => {
    const a = await makeArticle(t.ctx);
    now = new Date('2024-05-04T12:00:00+08:00');
    await Promise.all(Array.from({ length: 8 }, () => t.client().agent.get(`/news/${a.id}`).set('User-Agent', BROWSER)));
    await viewRecorderOf(t.ctx).idle();
    expect(await countOf(a.id)).toBe(1);
  });

  it('does not count bots, requests without a user agent, prefetches or HEAD requests', async () => {
    const a = await makeArticle(t.ctx);
    now = new Date('2024-05-05T12:00:00+08:00');
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
      'Sogou web spider/4.0',
      'SomeCrawler/1.0',
    ]) {
      expect((await read(t.client(), a.id, ua)).status).toBe(200);
    }
    await read(t.client(), a.id, null);
    await read(t.client(), a.id, BROWSER, { 'Sec-Purpose': 'prefetch' });
    await t.client().agent.head(`/news/${a.id}`).set('User-Agent', BROWSER);
    await viewRecorderOf(t.ctx).idle();
    expect(await countOf(a.id)).toBe(0);
    expect(await t.ctx.db.$count(articleViews, eq(articleViews.articleId, a.id))).toBe(0);
  });

  it('does not count an admin previewing a draft', async () => {
    const draft = await makeArticle(t.ctx, { status: 'draft', publishedAt: null });
    const { client } = await signedIn(t, 'admin');
    expect((await read(client, draft.id)).status).toBe(200);
    expect(await countOf(draft.id)).toBe(0);
  });

  it('stores no raw IP address: an anonymous visitor is a keyed hash', async () => {
    const a = await makeArticle(t.ctx);
    await read(t.client(), a.id, BROWSER, { 'X-Forwarded-For': '203.0.113.7' });
    const rows = await t.ctx.db.select().from(articleViews).where(eq(articleViews.articleId, a.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.visitor).toMatch(/^a:[A-Za-z0-9_-]{32}$/);
    expect(rows[0]!.visitor).not.toMatch(/127\.0\.0\.1|203\.0\.113\.7|::1/);
  });

  it('shows the count on the page and keeps counting after old view records are purged', async () => {
    const a = await makeArticle(t.ctx);
    const reader = t.client();
    now = new Date('2024-06-01T09:00:00+08:00');
    await read(reader, a.id);
    now = new Date('2024-06-03T09:00:00+08:00');
    await read(reader, a.id);
    const removed = await purgeOldArticleViews(t.ctx.db, now);
    expect(removed).toBeGreaterThanOrEqual(1);
    const left = await t.ctx.db.select().from(articleViews).where(eq(articleViews.articleId, a.id));
    expect(left.map((r) => r.day)).toEqual(['2024-06-03']);
    await read(reader, a.id); // the same day: still recorded, still once
    expect(await countOf(a.id)).toBe(2);
    const page = await t.client().agent.get(`/news/${a.id}`).set('User-Agent', 'Googlebot');
    expect(page.text).toContain('阅读 2');
  });
});
