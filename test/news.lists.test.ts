// The news lists: /news by page and category, 人力资讯TOP500, and the RSS feed.
import fs from 'node:fs';
import path from 'node:path';
import { desc, eq, inArray } from 'drizzle-orm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { articles } from '../src/db/schema';
import { SEED_DATA_DIR } from '../src/paths';
import { createTestApp, type TestApp } from './helpers/app';
import { mainOf, makeArticle, pageText } from './helpers/news';

const headlines = JSON.parse(fs.readFileSync(path.join(SEED_DATA_DIR, 'headlines.json'), 'utf8')) as string[];
const SAMPLE_TITLE = '彰显主城区责任担当香洲区节前实施首批民生微实事项目';
const PUBLIC_URL = 'https://www.example.cn';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true, env: { PUBLIC_URL } });
});
afterAll(() => t.close());

/** Titles of the article links inside one list element of a page. */
function listTitles(html: string, open: string): string[] {
  const start = html.indexOf(open);
  expect(start).toBeGreaterThanOrEqual(0);
  const list = html.slice(start, html.indexOf(`</${open.slice(1, 3)}>`, start));
  return [...list.matchAll(/<a href="\/news\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
}

describe('/news', () => {
  it('shows 20 published articles a page, newest first, with pages to the end and a 404 past it', async () => {
    const first = await t.client().get('/news');
    expect(first.status).toBe(200);
    const titles = listTitles(first.text, '<ul class="article-list">');
    expect(titles).toEqual([SAMPLE_TITLE, ...headlines.slice(0, 19)]);
    expect(pageText(first.text)).toContain('第 1 / 6 页');
    expect(first.text).toContain('<a rel="next" href="/news?page=2">下一页</a>');

    const last = await t.client().get('/news?page=6');
    expect(last.status).toBe(200);
    expect(listTitles(last.text, '<ul class="article-list">')).toEqual([headlines[99]]);
    expect(last.text).toContain(`<link rel="canonical" href="${PUBLIC_URL}/news?page=6">`);

    expect((await t.client().get('/news?page=7')).status).toBe(404);
    expect((await t.client().get('/news?page=999999')).status).toBe(404);
  });

  it('ignores a page or category of the wrong type instead of failing', async () => {
    for (const q of ['page=abc', 'page=-3', 'page=0', 'category=bogus', 'category[]=hr', 'page=1e3']) {
      const res = await t.client().get(`/news?${q}`);
      expect(res.status).toBe(200);
      expect(listTitles(res.text, '<ul class="article-list">')[0]).toBe(SAMPLE_TITLE);
    }
  });

  it('filters by category tab and leaves drafts out', async () => {
    const policy = await makeArticle(t.ctx, { title: '深圳调整最低工资标准', category: 'policy', publishedAt: new Date('2020-01-01T00:00:00Z') });
    await makeArticle(t.ctx, { title: '政策草稿不应出现', category: 'policy', status: 'draft', publishedAt: null });
    const res = await t.client().get('/news?category=policy');
    expect(res.status).toBe(200);
    expect(listTitles(res.text, '<ul class="article-list">')).toEqual([policy.title]);
    expect(res.text).toContain('<a href="/news?category=policy" aria-current="page">政策法规</a>');
    expect(res.text).toContain('<title>政策法规 - 人力资讯');
    const empty = await t.client().get('/news?category=company');
    expect(empty.status).toBe(200);
    expect(pageText(mainOf(empty.text))).toContain('这个分类暂时还没有资讯');
    expect((await t.client().get('/news?category=company&page=2')).status).toBe(404);
    await t.ctx.db.delete(articles).where(eq(articles.category, 'policy'));
  });
});

describe('/news/top 人力资讯TOP500', () => {
  it('lists the demo headlines in the seed order while nobody has read anything', async () => {
    const res = await t.client().get('/news/top');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1 id="top-title">人力资讯TOP500</h1>');
    expect(listTitles(res.text, '<ol class="top-list">')).toEqual([SAMPLE_TITLE, ...headlines]);
  });

  it('orders by views, ties newest first, numbered from 1', async () => {
    const set = (title: string, n: number) => t.ctx.db.update(articles).set({ viewCount: n }).where(eq(articles.title, title));
    await set(headlines[50]!, 9);
    await set(headlines[10]!, 5);
    await set(headlines[90]!, 5); // same count as [10], older: after it
    await set(SAMPLE_TITLE, 1);
    const res = await t.client().get('/news/top');
    const titles = listTitles(res.text, '<ol class="top-list">');
    expect(titles.slice(0, 4)).toEqual([headlines[50], headlines[10], headlines[90], SAMPLE_TITLE]);
    const rest = headlines.filter((_, i) => i !== 50 && i !== 10 && i !== 90);
    expect(titles.slice(4)).toEqual(rest);
    // The numbering is the <ol>'s own: one <li> per rank, in order, with its count.
    const items = [...res.text.matchAll(/<li><a href="\/news\/\d+">([^<]*)<\/a> <span class="top-views">阅读 (\d+)<\/span><\/li>/g)];
    expect(items[0]![1]).toBe(headlines[50]);
    expect(items[0]![2]).toBe('9');
    expect(items).toHaveLength(101);
    await t.ctx.db.update(articles).set({ viewCount: 0 });
  });

  it('shows at most 500', async () => {
    const many = Array.from({ length: 420 }, (_, i) => ({
      title: `批量资讯${i}`,
      author: 'admin',
      status: 'published' as const,
      publishedAt: new Date(Date.UTC(2019, 0, 1) + i * 1000),
      viewCount: i % 7,
    }));
    const inserted = await t.ctx.db.insert(articles).values(many).returning({ id: articles.id });
    const res = await t.client().get('/news/top');
    const titles = listTitles(res.text, '<ol class="top-list">');
    expect(titles).toHaveLength(500);
    expect(titles[0]).toBe('批量资讯419'); // 419 % 7 = 6 views, the newest of those with 6
    await t.ctx.db.delete(articles).where(inArray(articles.id, inserted.map((r) => r.id)));
  });
});

describe('/feed.xml', () => {
  it('is RSS 2.0 of the latest 50 published articles, escaped, with absolute links and RFC 822 dates', async () => {
    const tricky = await makeArticle(t.ctx, {
      title: '工资 <加班费> & “补贴” \'说明\' \u0001',
      summary: '摘要 <b>不是标签</b> & 符号',
      publishedAt: new Date('2030-01-02T03:04:05Z'),
    });
    await makeArticle(t.ctx, { title: '草稿不进订阅', status: 'draft', publishedAt: new Date('2031-01-01T00:00:00Z') });

    const res = await t.client().get('/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(res.text)).toBe(true);
    expect(res.text).not.toContain('\u0001');
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'item' }).parse(res.text);
    expect(doc.rss['@_version']).toBe('2.0');
    const items = doc.rss.channel.item as Record<string, unknown>[];
    expect(items).toHaveLength(50);

    const expected = await t.ctx.db
      .select({ id: articles.id, title: articles.title, summary: articles.summary, publishedAt: articles.publishedAt })
      .from(articles)
      .where(eq(articles.status, 'published'))
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(50);
    expect(expected[0]!.id).toBe(tricky.id);
    expect(items.map((i) => i.link)).toEqual(expected.map((e) => `${PUBLIC_URL}/news/${e.id}`));
    expect(items[0]!.title).toBe('工资 <加班费> & “补贴” \'说明\''); // the control character is dropped
    expect(items[0]!.description).toBe('摘要 <b>不是标签</b> & 符号');
    expect(items[0]!.pubDate).toBe('Wed, 02 Jan 2030 03:04:05 GMT');
    expect(items[0]!.guid).toEqual({ '#text': `${PUBLIC_URL}/news/${tricky.id}`, '@_isPermaLink': 'true' });
    for (const [i, item] of items.entries()) {
      expect(new Date(String(item.pubDate)).getTime()).toBe(expected[i]!.publishedAt!.getTime());
      expect(item.description).toBe(expected[i]!.summary);
    }
    expect(res.text).not.toContain('草稿不进订阅');
  });

  it('is linked from the news pages', async () => {
    for (const page of ['/news', '/news/top']) {
      const res = await t.client().get(page);
      expect(res.text).toMatch(/<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="\/feed\.xml">/);
    }
  });
});
