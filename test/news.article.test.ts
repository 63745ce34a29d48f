// The article page: laid out like the original site's, drafts hidden, and article HTML that cannot run script.
import { eq } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { articles } from '../src/db/schema';
import { SEED_DATA_DIR } from '../src/paths';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { mainOf, makeArticle, pageText } from './helpers/news';

const seed = JSON.parse(fs.readFileSync(path.join(SEED_DATA_DIR, 'article.json'), 'utf8')) as {
  title: string;
  imageCaption: string;
  disclaimer: string;
  blocks: { type: string; text: string }[];
};
const headlines = JSON.parse(fs.readFileSync(path.join(SEED_DATA_DIR, 'headlines.json'), 'utf8')) as string[];

let t: TestApp;
let sampleId: number;
const TAKEDOWN = '如有侵权请致电 0755-1234 5678 联系删除(测试)';

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const [sample] = await t.ctx.db.select({ id: articles.id }).from(articles).where(eq(articles.sourceName, '珠海特区报'));
  sampleId = sample!.id;
  const admin = await makeUser(t.ctx, 'admin');
  await t.ctx.settings.update({ takedownContact: TAKEDOWN }, { id: admin.id, login: admin.login });
});
afterAll(() => t.close());

describe('the sample article page', () => {
  it('shows title, byline, caption, body with sub-headings, source, disclaimer and takedown contact, in the original order', async () => {
    const res = await t.client().get(`/news/${sampleId}`);
    expect(res.status).toBe(200);
    const html = mainOf(res.text);
    expect(html).toContain(`<h1 id="article-title">${seed.title}</h1>`);
    // The byline keeps the original's no-break space between "Admin" and "-".
    expect(html).toContain('<p class="article-byline">Admin\u00a0- admin 于2022年04月17日发表</p>');
    // No image in the seed: the caption is shown on its own, as on the original page.
    expect(html).toContain(`<p class="article-caption">${seed.imageCaption}</p>`);
    const headings = seed.blocks.slice(1).filter((b) => b.type === 'heading');
    expect(headings).toHaveLength(3);
    for (const h of headings) expect(html).toContain(`<h3>${h.text}</h3>`);
    const text = pageText(html);
    expect(text).toContain('(来源:珠海特区报)');
    expect(text).toContain('本文章内容来源于网络公开内容,仅供参考!不对文章内容时效、真实性负责');
    expect(seed.disclaimer).toBe('本文章内容来源于网络公开内容,仅供参考!不对文章内容时效、真实性负责');
    expect(text).toContain(TAKEDOWN);

    const order = [
      seed.title,
      'Admin\u00a0- admin 于2022年04月17日发表',
      seed.imageCaption,
      seed.blocks[1]!.text,
      headings[2]!.text,
      '(来源:珠海特区报)',
      seed.disclaimer,
      TAKEDOWN,
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('is an Open Graph article with breadcrumbs, a feed link and NewsArticle data', async () => {
    const res = await t.client().get(`/news/${sampleId}`);
    expect(res.text).toContain('<meta property="og:type" content="article">');
    expect(res.text).toContain('<link rel="alternate" type="application/rss+xml"');
    const crumbs = /<nav class="breadcrumbs"[\s\S]*?<\/nav>/.exec(res.text)![0];
    expect(pageText(crumbs).trim()).toBe(`首页 人力资讯 ${seed.title}`);
    expect(crumbs).toContain('<a href="/news">人力资讯</a>');
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.text)![1]!;
    expect(JSON.parse(ld)).toMatchObject({ '@type': 'NewsArticle', headline: seed.title, datePublished: '2022-04-17T01:00:00.000Z' });
  });

  it('links the previous (older) article and says there is no next one for the newest', async () => {
    const res = await t.client().get(`/news/${sampleId}`);
    const pager = /<nav class="article-pager"[\s\S]*?<\/nav>/.exec(res.text)![0];
    const [first] = await t.ctx.db.select({ id: articles.id }).from(articles).where(eq(articles.title, headlines[0]!));
    expect(pager).toContain(`<a href="/news/${first!.id}" rel="prev">${headlines[0]}</a>`);
    expect(pageText(pager)).toContain('下一篇: 没有了');

    const older = await t.client().get(`/news/${first!.id}`);
    const olderPager = /<nav class="article-pager"[\s\S]*?<\/nav>/.exec(older.text)![0];
    expect(olderPager).toContain(`<a href="/news/${sampleId}" rel="next">${seed.title}</a>`);
  });

  it('lists related articles by the title words they share, then by category', async () => {
    // Shares 香洲区, 民生 and 首批 with the sample; the seed headline below shares 责任 and 节前.
    const near = await makeArticle(t.ctx, { title: '香洲区民生微实事首批项目启动', category: 'industry' });
    const twoWords = '新郑市召开落实全面从严治党主体责任述责述廉暨节前廉政谈话会';
    const [second] = await t.ctx.db.select({ id: articles.id }).from(articles).where(eq(articles.title, twoWords));
    const res = await t.client().get(`/news/${sampleId}`);
    const related = /<section class="section related-news"[\s\S]*?<\/section>/.exec(res.text)![0];
    const links = [...related.matchAll(/href="\/news\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(links.slice(0, 2)).toEqual([near.id, second!.id]);
    expect(links).not.toContain(sampleId);
    expect(links.length).toBeLessThanOrEqual(6);
  });
});

describe('who may read what', () => {
  it('answers 404 to the public for a draft, and lets an admin preview it, marked and not indexed', async () => {
    const draft = await makeArticle(t.ctx, { title: '尚未发布的草稿', status: 'draft', publishedAt: null });
    expect((await t.client().get(`/news/${draft.id}`)).status).toBe(404);
    const seeker = await signedIn(t, 'seeker');
    expect((await seeker.client.get(`/news/${draft.id}`)).status).toBe(404);
    const admin = await signedIn(t, 'admin');
    const preview = await admin.client.get(`/news/${draft.id}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('草稿预览');
    expect(preview.text).toContain('<meta name="robots" content="noindex">');
    const list = await t.client().get('/news');
    expect(list.text).not.toContain('尚未发布的草稿');
  });

  it.each(['999999', 'abc', '1.5', '01', '-1', '99999999999'])('answers the site 404 page for /news/%s', async (id) => {
    const res = await t.client().get(`/news/${id}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('页面不存在');
  });
});

describe('HTML and script in articles', () => {
  it('keeps a title as text and strips script, handlers, javascript: links and iframes from the body, on save', async () => {
    const { client } = await signedIn(t, 'admin');
    await client.get('/admin/news/new');
    const res = await client.upload('/admin/news', {
      title: '<script>alert("title")</script>标题测试',
      summary: '',
      body: [
        '<h2 onmouseover="steal()">小标题</h2>',
        '<p onclick="x()">段落<script>alert(1)</script></p>',
        '<img src=x onerror="alert(2)">',
        '<img src="https://img.example.com/a.png" alt="图" onerror="alert(5)">',
        '<a href="javascript:alert(3)">坏链接</a>',
        '<a href="JaVaScRiPt:alert(4)">坏链接2</a>',
        '<iframe src="https://evil.example/"></iframe>',
        '<style>body{display:none}</style>',
        '<a href="https://ok.example/a" target="_blank">好链接</a>',
      ].join(''),
      category: 'hr',
      status: 'published',
      author: '编辑',
    });
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/news\/(\d+)\/edit/.exec(res.headers.location!)![1]);
    const [stored] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    expect(stored!.title).toBe('<script>alert("title")</script>标题测试');
    for (const bad of ['<script', 'alert(1)', 'onerror', 'onclick', 'onmouseover', 'javascript:', '<iframe', '<style', 'display:none']) {
      expect(stored!.bodyHtml.toLowerCase()).not.toContain(bad.toLowerCase());
    }
    expect(stored!.bodyHtml).toContain('<h2>小标题</h2>');
    expect(stored!.bodyHtml).toContain('<p>段落</p>');
    expect(stored!.bodyHtml).toContain('<a href="https://ok.example/a" rel="nofollow noopener" target="_blank">好链接</a>');
    expect(stored!.bodyHtml).toContain('<img src="https://img.example.com/a.png" alt="图"');
    expect(stored!.bodyHtml).toContain('<a>坏链接</a>');

    const page = await t.client().get(`/news/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;标题测试');
    expect(page.text).not.toContain('<script>alert');
    const main = mainOf(page.text);
    for (const bad of ['onerror', 'onclick', 'javascript:', '<iframe']) expect(main.toLowerCase()).not.toContain(bad);
  });
});
