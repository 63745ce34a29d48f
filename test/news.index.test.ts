// An article's neighbours (上一篇/下一篇) and related articles come from an in-memory list per 'news' generation
// (issue 21): the same answers the queries it replaced gave, and never older than a change committed before the
// request, in this process and in a second one.
import { eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows, type Db } from '../src/db/client';
import { articles } from '../src/db/schema';
import { articleIndexOf } from '../src/features/news/news.index';
import { RELATED_POOL } from '../src/features/news/news.queries';
import { titleWords } from '../src/features/news/news.words';
import { createTestApp, type TestApp } from './helpers/app';
import { makeArticle } from './helpers/news';
import { useSecondProcess } from './helpers/secondProcess';

jest.setTimeout(120_000);

type Ref = { id: number; title: string };

/** The queries the index replaced, kept here as the reference of what a page must show. */
async function adjacentBySql(db: Db, a: { id: number; publishedAt: Date }): Promise<{ prev?: number; next?: number }> {
  const [prev] = await queryRows<Ref>(db, sql`select id, title from articles where status = 'published' and (published_at, id) < (${a.publishedAt}, ${a.id}) order by published_at desc, id desc limit 1`);
  const [next] = await queryRows<Ref>(db, sql`select id, title from articles where status = 'published' and (published_at, id) > (${a.publishedAt}, ${a.id}) order by published_at asc, id asc limit 1`);
  return { prev: prev?.id, next: next?.id };
}

async function relatedBySql(db: Db, a: { id: number; title: string; category: string }, limit: number): Promise<number[]> {
  const hits = titleWords(a.title).map((w) => sql`(case when pool.title like ${`%${w.replace(/[\\%_]/g, '\\$&')}%`} then 2 else 0 end)`);
  const score = sql.join([...hits, sql`(case when pool.category = ${a.category} then 1 else 0 end)`], sql` + `);
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select id from (select id, title, category, published_at from articles where status = 'published' and id <> ${a.id}
          order by published_at desc, id desc limit ${RELATED_POOL}) pool
        where (${score}) > 0 order by (${score}) desc, published_at desc, id desc limit ${limit}`,
  );
  return rows.map((r) => r.id);
}

describe('the article index, in one process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    // Same-moment publications and a second category, so ties and the category score are exercised.
    const at = new Date('2024-03-01T02:00:00Z');
    await makeArticle(t.ctx, { title: '深圳劳务派遣用工新规发布', category: 'policy', publishedAt: at });
    await makeArticle(t.ctx, { title: '劳务派遣企业年检通知', category: 'policy', publishedAt: at });
    await makeArticle(t.ctx, { title: '临时工工资支付指引', category: 'industry', publishedAt: at });
  });
  afterAll(() => t.close());

  it('gives every published article the neighbours and related articles the queries gave', async () => {
    const rows = await t.ctx.db.select().from(articles).where(eq(articles.status, 'published'));
    expect(rows.length).toBeGreaterThan(20);
    const index = await articleIndexOf(t.ctx.db);
    for (const a of rows) {
      const adjacent = index.adjacent(a.id);
      expect({ id: a.id, prev: adjacent.prev?.id, next: adjacent.next?.id }).toEqual({ id: a.id, ...(await adjacentBySql(t.ctx.db, { id: a.id, publishedAt: a.publishedAt! })) });
      expect({ id: a.id, related: index.related(a, 6).map((r) => r.id) }).toEqual({ id: a.id, related: await relatedBySql(t.ctx.db, a, 6) });
    }
  });

  it('shows a new article, an edit and a withdrawal on the next page view', async () => {
    const [newest] = await t.ctx.db.select().from(articles).where(eq(articles.status, 'published')).orderBy(sql`published_at desc, id desc`).limit(1);
    const word = titleWords(newest!.title)[0]!;
    const page = async () => (await request(t.app).get(`/news/${newest!.id}`)).text;
    expect(await page()).not.toContain('新发布的相关资讯');

    const added = await makeArticle(t.ctx, { title: `${word}新发布的相关资讯`, category: newest!.category, publishedAt: new Date() });
    let html = await page();
    expect(html).toContain(`<a href="/news/${added.id}" rel="next">${word}新发布的相关资讯</a>`);
    expect(/<section class="section related-news"[\s\S]*?<\/section>/.exec(html)![0]).toContain(`href="/news/${added.id}"`);

    await t.ctx.db.update(articles).set({ title: `${word}改过标题的资讯` }).where(eq(articles.id, added.id));
    html = await page();
    expect(html).toContain(`rel="next">${word}改过标题的资讯</a>`);

    await t.ctx.db.update(articles).set({ status: 'draft' }).where(eq(articles.id, added.id));
    html = await page();
    expect(html).not.toContain(`href="/news/${added.id}"`);
  });
});

describe('the article index, read from a second process on the same PostgreSQL', () => {
  const other = useSecondProcess('news');

  it('shows an article published elsewhere as the next one and among the related at once', async () => {
    const [newest] = await other.db.select().from(articles).where(eq(articles.status, 'published')).orderBy(sql`published_at desc, id desc`).limit(1);
    const word = titleWords(newest!.title)[0]!;
    const read = () => other.read(`/news/${newest!.id}`);
    expect(await read()).toContain('下一篇');

    const [added] = await other.db
      .insert(articles)
      .values({ title: `${word}另一进程发布的资讯`, summary: '摘要', bodyHtml: '<p>正文</p>', author: '编辑', category: newest!.category, status: 'published', publishedAt: new Date() })
      .returning();
    const html = await read();
    expect(html).toContain(`<a href="/news/${added!.id}" rel="next">${word}另一进程发布的资讯</a>`);
    expect(/<section class="section related-news"[\s\S]*?<\/section>/.exec(html)![0]).toContain(`href="/news/${added!.id}"`);
  });
});
