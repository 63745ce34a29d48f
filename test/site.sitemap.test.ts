// What the site tells crawlers and people about itself: /sitemap.xml (only what the public may see, each URL
// with its lastmod), the sitemap index past the protocol's limit, /robots.txt, and the human 网站地图.
import express from 'express';
import request from 'supertest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { eq } from 'drizzle-orm';
import { jobs, users } from '../src/db/schema';
import { addDays, chinaDate } from '../src/domain/dates';
import { CATEGORIES, DISTRICTS } from '../src/domain/vocabulary';
import { createSitemapRouter } from '../src/features/site/sitemap.routes';
import { planParts, urlsetXml } from '../src/features/site/sitemap';
import { createTestApp, type TestApp } from './helpers/app';
import { makeJob, signedInEmployer } from './helpers/jobs';
import { mainOf, makeArticle } from './helpers/news';

const PUBLIC_URL = 'http://www.pengcheng.example';
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let t: TestApp;
const ids = {} as Record<'listed' | 'closed' | 'pastValidity' | 'expired' | 'draft' | 'pending' | 'rejected' | 'disabledEmployer' | 'article' | 'draftArticle', number>;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL } });
  const { id: employer } = await signedInEmployer(t, '站点地图测试企业');
  ids.listed = await makeJob(t.ctx, employer, { title: '地图里的职位' });
  ids.closed = await makeJob(t.ctx, employer, { title: '已结束的职位' }, 'closed');
  ids.pastValidity = await makeJob(t.ctx, employer, { title: '有效期已过的职位' });
  // Past its validity date, but the expiry task has not run yet: still `published` in the table.
  await t.ctx.db.update(jobs).set({ validUntil: addDays(chinaDate(t.ctx.now()), -1) }).where(eq(jobs.id, ids.pastValidity));
  ids.expired = await makeJob(t.ctx, employer, { title: '已过期的职位' }, 'expired');
  ids.draft = await makeJob(t.ctx, employer, { title: '草稿职位' }, 'draft');
  ids.pending = await makeJob(t.ctx, employer, { title: '待审核职位' }, 'pending');
  ids.rejected = await makeJob(t.ctx, employer, { title: '未通过职位' }, 'rejected');
  const { id: disabled } = await signedInEmployer(t, '已停用企业');
  ids.disabledEmployer = await makeJob(t.ctx, disabled, { title: '停用企业的职位' });
  await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, disabled));
  ids.article = (await makeArticle(t.ctx, { title: '地图里的文章 & <特别>' })).id;
  ids.draftArticle = (await makeArticle(t.ctx, { title: '草稿文章', status: 'draft', publishedAt: null })).id;
});
afterAll(() => t.close());

type UrlEntry = { loc: string; lastmod: string };

function parseSitemap(xml: string): { urls: UrlEntry[]; index: UrlEntry[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' }).parse(xml) as {
    urlset?: { url?: UrlEntry[] };
    sitemapindex?: { sitemap?: UrlEntry[] };
  };
  return { urls: doc.urlset?.url ?? [], index: doc.sitemapindex?.sitemap ?? [] };
}

describe('/sitemap.xml', () => {
  it('is XML with absolute URLs of the listed jobs, published articles, the site pages and the keyword pages, each with a lastmod', async () => {
    const res = await t.client().get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.text).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const { urls } = parseSitemap(res.text);
    const locs = urls.map((u) => u.loc);
    for (const u of urls) {
      expect(u.loc.startsWith(`${PUBLIC_URL}/`)).toBe(true);
      expect(u.lastmod).toMatch(W3C);
    }
    expect(new Set(locs).size).toBe(locs.length);
    for (const path of ['/', '/jobs', '/linshigong', '/jianzhi', '/paiqian', '/news', '/news/top', '/about', '/join', '/sitemap', '/privacy', '/terms']) {
      expect(locs).toContain(PUBLIC_URL + path);
    }
    for (const k of (await t.ctx.settings.get()).keywordPages) expect(locs).toContain(`${PUBLIC_URL}/k/${k.slug}`);
    expect(locs).toContain(`${PUBLIC_URL}/jobs/${ids.listed}`);
    expect(locs).toContain(`${PUBLIC_URL}/news/${ids.article}`);
  });

  it('leaves out closed, expired, past-validity, draft, pending and rejected jobs, jobs of disabled employers, and draft articles', async () => {
    const locs = parseSitemap((await t.client().get('/sitemap.xml')).text).urls.map((u) => u.loc);
    for (const key of ['closed', 'pastValidity', 'expired', 'draft', 'pending', 'rejected', 'disabledEmployer'] as const) {
      expect(locs).not.toContain(`${PUBLIC_URL}/jobs/${ids[key]}`);
    }
    expect(locs).not.toContain(`${PUBLIC_URL}/news/${ids.draftArticle}`);
    expect(locs.filter((l) => l.includes('/jobs/'))).toEqual([`${PUBLIC_URL}/jobs/${ids.listed}`]);
    expect(locs.some((l) => /\/(admin|me|employer|files|login)\b/.test(l))).toBe(false);
  });

  it("dates a job by its last change and the job lists by their newest job", async () => {
    const edited = new Date('2026-05-04T03:02:01Z');
    await t.ctx.db.update(jobs).set({ updatedAt: edited, publishedAt: new Date('2026-05-01T00:00:00Z') }).where(eq(jobs.id, ids.listed));
    const urls = parseSitemap((await t.client().get('/sitemap.xml')).text).urls;
    const lastmod = (path: string) => urls.find((u) => u.loc === PUBLIC_URL + path)?.lastmod;
    expect(lastmod(`/jobs/${ids.listed}`)).toBe('2026-05-04T03:02:01Z');
    expect(lastmod('/linshigong')).toBe('2026-05-04T03:02:01Z');
  });

  it('escapes what XML needs escaped', () => {
    const xml = urlsetXml([{ loc: 'http://x.example/a?b=1&c=<2>', lastmod: new Date('2026-01-02T03:04:05.678Z') }]);
    expect(xml).toContain('<loc>http://x.example/a?b=1&amp;c=&lt;2&gt;</loc><lastmod>2026-01-02T03:04:05Z</lastmod>');
    expect(parseSitemap(xml).urls[0]!.loc).toBe('http://x.example/a?b=1&c=<2>');
  });

  it('past the limit of URLs in one file, it is an index of parts, each within the limit', async () => {
    const { id: employer } = await signedInEmployer(t, '分片测试企业');
    for (let i = 0; i < 6; i++) await makeJob(t.ctx, employer, { title: `分片职位${i}` });
    // The real router, with a limit of 5 URLs a file instead of 50,000.
    const app = express();
    app.use((_req, res, next) => {
      res.locals.site = t.ctx.settings.peek();
      next();
    });
    app.use(createSitemapRouter(t.ctx, { maxUrls: 5 }));
    const index = await request(app).get('/sitemap.xml');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const parts = parseSitemap(index.text).index;
    // 7 listed jobs → 2 parts; 1 article → 1 part; the pages.
    expect(parts.map((p) => p.loc)).toEqual([`${PUBLIC_URL}/sitemaps/pages.xml`, `${PUBLIC_URL}/sitemaps/jobs-1.xml`, `${PUBLIC_URL}/sitemaps/jobs-2.xml`, `${PUBLIC_URL}/sitemaps/news-1.xml`]);
    for (const p of parts) expect(p.lastmod).toMatch(W3C);

    const jobLocs: string[] = [];
    for (const part of ['jobs-1', 'jobs-2']) {
      const res = await request(app).get(`/sitemaps/${part}.xml`);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      const urls = parseSitemap(res.text).urls;
      expect(urls.length).toBeLessThanOrEqual(5);
      jobLocs.push(...urls.map((u) => u.loc));
    }
    expect(jobLocs).toHaveLength(7);
    expect(jobLocs).toContain(`${PUBLIC_URL}/jobs/${ids.listed}`);
    expect(jobLocs).not.toContain(`${PUBLIC_URL}/jobs/${ids.closed}`);
    const news = parseSitemap((await request(app).get('/sitemaps/news-1.xml')).text).urls;
    expect(news.map((u) => u.loc)).toEqual([`${PUBLIC_URL}/news/${ids.article}`]);
    // A part that does not exist, or a name that is not a part, is 404.
    expect((await request(app).get('/sitemaps/jobs-3.xml')).status).toBe(404);
    expect((await request(app).get('/sitemaps/jobs-0.xml')).status).toBe(404);
    expect((await request(app).get('/sitemaps/secret.txt')).status).toBe(404);
  });

  it('plans as many parts as needed at 50,000 URLs each', () => {
    expect(planParts({ jobs: 0, articles: 0 })).toEqual([{ kind: 'pages' }]);
    expect(planParts({ jobs: 50_000, articles: 50_001 })).toEqual([{ kind: 'pages' }, { kind: 'jobs', chunk: 1 }, { kind: 'news', chunk: 1 }, { kind: 'news', chunk: 2 }]);
  });
});

describe('/robots.txt', () => {
  it('points to the sitemap and keeps crawlers out of the private areas', async () => {
    const res = await t.client().get('/robots.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = res.text.split('\n');
    expect(lines[0]).toBe('User-agent: *');
    for (const path of ['/admin', '/me', '/employer', '/files', '/login']) expect(lines).toContain(`Disallow: ${path}`);
    expect(lines).not.toContain('Disallow: /');
    expect(lines).toContain(`Sitemap: ${PUBLIC_URL}/sitemap.xml`);
  });
});

describe('网站地图 (/sitemap)', () => {
  it('lists the sections, job categories, districts, keyword pages, the newest jobs and articles', async () => {
    const res = await t.client().get('/sitemap');
    expect(res.status).toBe(200);
    const main = mainOf(res.text);
    for (const [href, label] of [['/', '首页'], ['/linshigong', '临时工招聘信息'], ['/news/top', '人力资讯TOP500'], ['/privacy', '隐私政策'], ['/about', '关于我们']]) {
      expect(main).toContain(`<a href="${href}">${label}</a>`);
    }
    for (const c of CATEGORIES) expect(main).toContain(`<a href="/jobs?q=${encodeURIComponent(c)}">${c}</a>`);
    for (const d of DISTRICTS) expect(main).toContain(`<a href="/jobs?district=${encodeURIComponent(d)}">${d}</a>`);
    for (const k of (await t.ctx.settings.get()).keywordPages) expect(main).toContain(`<a href="/k/${k.slug}">${k.label}</a>`);
    expect(main).toContain(`<a href="/jobs/${ids.listed}">地图里的职位</a>`);
    expect(main).not.toContain(`/jobs/${ids.closed}"`);
    expect(main).toContain(`<a href="/news/${ids.article}">地图里的文章 &amp; &lt;特别&gt;</a>`);
    expect(main).not.toContain(`/news/${ids.draftArticle}"`);
  });
});
