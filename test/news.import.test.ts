// Bulk import from the admin page: RSS, Atom and JSON; duplicates skipped, bad items refused with reasons,
// malformed files refused whole, and 2,000 items in one go.
import { desc, eq, like } from 'drizzle-orm';
import { articles, auditLog } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { makeArticle, pageText, tinyPng } from './helpers/news';

let t: TestApp;
let admin: TestClient;
let adminId: number;
const now = new Date('2024-07-01T12:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp({ now: () => now });
  const a = await signedIn(t, 'admin', { displayName: '导入管理员' });
  admin = a.client;
  adminId = a.user.id;
  await admin.get('/admin/news/import');
});
afterAll(() => t.close());

function upload(content: string | Buffer, filename: string, fields: Record<string, string> = {}) {
  return admin.upload('/admin/news/import', { author: '人力资讯编辑部', ...fields }, { field: 'file', content: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), filename });
}

async function bySource(url: string) {
  const [row] = await t.ctx.db.select().from(articles).where(eq(articles.sourceUrl, url));
  return row;
}

/** The counts of the result page: added, skipped, refused. */
function counts(html: string) {
  const get = (cls: string) => Number(new RegExp(`<strong class="${cls}">(\\d+)</strong>`).exec(html)?.[1]);
  return { added: get('count-added'), skipped: get('count-skipped'), refused: get('count-refused') };
}

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>深圳特区报</title>
    <link>https://sz.example.com/</link>
    <description>新闻</description>
    <item>
      <title>深圳发布2024年最低工资标准 &amp; 社保缴费基数</title>
      <link>https://SZ.example.com/news/2024/0301.html#comments</link>
      <guid isPermaLink="false">abc-1</guid>
      <pubDate>Fri, 01 Mar 2024 09:30:00 +0800</pubDate>
      <dc:creator>记者 李四</dc:creator>
      <category>时政</category>
      <category>政策法规</category>
      <description>&lt;p&gt;最低工资标准&lt;b&gt;上调&lt;/b&gt;。&lt;/p&gt;</description>
      <content:encoded><![CDATA[<h2>标准</h2><p onclick="steal()">第一档 2520 元。<script>alert(1)</script></p><iframe src="https://evil.example/"></iframe>]]></content:encoded>
    </item>
    <item>
      <title>人社部:做好高校毕业生就业工作</title>
      <link>https://www.gov.example.cn/jy/1</link>
      <pubDate>Thu, 29 Feb 2024 08:00:00 GMT</pubDate>
      <source url="https://www.gov.example.cn/rss">人社部网站</source>
      <description>&lt;p&gt;只有描述的正文。&lt;/p&gt;</description>
    </item>
    <item>
      <title>没有链接的条目</title>
      <pubDate>Thu, 29 Feb 2024 08:00:00 GMT</pubDate>
      <description>正文</description>
    </item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>南方日报</title>
  <id>urn:uuid:1</id>
  <updated>2024-03-02T10:00:00Z</updated>
  <entry>
    <title type="html">广东&lt;em&gt;稳就业&lt;/em&gt;新政出台</title>
    <link rel="self" href="https://nf.example.com/api/1"/>
    <link rel="alternate" type="text/html" href="https://nf.example.com/a/1"/>
    <id>urn:1</id>
    <published>2024-03-02T08:00:00+08:00</published>
    <updated>2024-03-03T08:00:00+08:00</updated>
    <author><name>王五</name></author>
    <category term="industry"/>
    <summary type="text">稳就业 &lt;十条&gt; 措施</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>措施一:<strong>补贴</strong>。</p><p><a href="javascript:alert(1)">坏</a></p></div></content>
  </entry>
  <entry>
    <title>纯文本内容的条目</title>
    <link href="https://nf.example.com/a/2"/>
    <id>urn:2</id>
    <updated>2024-03-01T00:00:00Z</updated>
    <content type="text">第一行 &lt;不是标签&gt;
第二行</content>
  </entry>
</feed>`;

describe('importing each format', () => {
  it('imports RSS 2.0: link, date, source, author, mapped category, sanitised body and description summary', async () => {
    const res = await upload(RSS, 'feed.xml');
    expect(res.status).toBe(200);
    expect(counts(res.text)).toEqual({ added: 2, skipped: 0, refused: 1 });
    expect(pageText(res.text)).toContain('第 3 条《没有链接的条目》:缺少来源网址 (sourceUrl)');

    const first = await bySource('https://sz.example.com/news/2024/0301.html');
    expect(first).toMatchObject({
      title: '深圳发布2024年最低工资标准 & 社保缴费基数',
      status: 'published',
      author: '人力资讯编辑部',
      authorId: adminId,
      sourceName: '深圳特区报',
      originalAuthor: '记者 李四',
      originalDate: '2024-03-01',
      category: 'policy',
      summary: '最低工资标准上调。',
    });
    expect(first!.publishedAt!.toISOString()).toBe('2024-03-01T01:30:00.000Z');
    expect(first!.bodyHtml).toBe('<h2>标准</h2><p>第一档 2520 元。</p>');

    const second = await bySource('https://www.gov.example.cn/jy/1');
    expect(second).toMatchObject({ sourceName: '人社部网站', category: 'hr', bodyHtml: '<p>只有描述的正文。</p>', originalDate: '2024-02-29' });

    const page = await t.client().get(`/news/${first!.id}`);
    expect(pageText(page.text)).toContain('(来源: 深圳特区报 )');
    expect(page.text).toContain('<a href="https://sz.example.com/news/2024/0301.html" rel="nofollow noopener" target="_blank">深圳特区报</a>');
    expect(pageText(page.text)).toContain('本文章内容来源于网络公开内容,仅供参考!不对文章内容时效、真实性负责');
  });

  it('imports Atom: the alternate link, html titles as text, xhtml and text content, feed title as source', async () => {
    const res = await upload(ATOM, 'feed.atom');
    expect(res.status).toBe(200);
    expect(counts(res.text)).toEqual({ added: 2, skipped: 0, refused: 0 });
    const first = await bySource('https://nf.example.com/a/1');
    expect(first).toMatchObject({ title: '广东稳就业新政出台', sourceName: '南方日报', originalAuthor: '王五', category: 'industry', summary: '稳就业 <十条> 措施' });
    expect(first!.publishedAt!.toISOString()).toBe('2024-03-02T00:00:00.000Z');
    expect(first!.bodyHtml).toBe('<p>措施一:<strong>补贴</strong>。</p><p><a>坏</a></p>');
    const second = await bySource('https://nf.example.com/a/2');
    expect(second!.bodyHtml).toBe('<p>第一行 &lt;不是标签&gt;</p>\n<p>第二行</p>');
    expect(second!.publishedAt!.toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('imports JSON, and refuses items one by one with their reasons', async () => {
    const items = [
      { title: 'JSON 文章一', body: '<p>正文一</p>', sourceName: '羊城晚报', sourceUrl: 'https://ycwb.example.com/1', publishedAt: '2024-04-01 10:00', author: '赵六', category: '行业新闻' },
      { title: 'JSON 文章二', summary: '只有摘要', sourceName: '羊城晚报', sourceUrl: 'https://ycwb.example.com/2', publishedAt: '2024年4月2日', category: 'company' },
      { body: '<p>没有标题</p>', sourceName: '某报', sourceUrl: 'https://x.example.com/3', publishedAt: '2024-04-03' },
      { title: '坏网址', body: 'x', sourceName: '某报', sourceUrl: 'ftp://x.example.com/4', publishedAt: '2024-04-03' },
      { title: '坏日期', body: 'x', sourceName: '某报', sourceUrl: 'https://x.example.com/5', publishedAt: '2024-02-30' },
      { title: '未知分类', body: 'x', sourceName: '某报', sourceUrl: 'https://x.example.com/6', publishedAt: '2024-04-03', category: '娱乐' },
      { title: '没有来源名称', body: 'x', sourceUrl: 'https://x.example.com/7', publishedAt: '2024-04-03' },
      { title: '没有内容', sourceName: '某报', sourceUrl: 'https://x.example.com/8', publishedAt: '2024-04-03' },
      { title: '未来的日期', body: 'x', sourceName: '某报', sourceUrl: 'https://x.example.com/9', publishedAt: '2099-01-01' },
      '不是对象',
      { title: 12345, body: 'x', sourceName: '某报', sourceUrl: 'https://x.example.com/11', publishedAt: '2024-04-03' },
    ];
    const res = await upload(JSON.stringify(items), 'items.json');
    expect(res.status).toBe(200);
    expect(counts(res.text)).toEqual({ added: 2, skipped: 0, refused: 9 });
    const text = pageText(res.text);
    for (const line of [
      '第 3 条:缺少标题 (title)',
      '第 4 条《坏网址》:来源网址无效 (sourceUrl):“ftp://x.example.com/4”不是 http(s) 网址',
      '第 5 条《坏日期》:发布日期无效 (publishedAt):“2024-02-30”',
      '第 6 条《未知分类》:未知分类 (category):“娱乐”,可用:人力资讯、政策法规、行业新闻、公司动态',
      '第 7 条《没有来源名称》:缺少来源名称 (sourceName):转载文章必须注明来源',
      '第 8 条《没有内容》:缺少正文 (body) 和摘要 (summary)',
      '第 9 条《未来的日期》:发布日期晚于今天',
      '第 10 条:不是对象',
      '第 11 条:字段 title 必须是文字',
    ]) {
      expect(text).toContain(line);
    }
    expect(await bySource('https://ycwb.example.com/1')).toMatchObject({ category: 'industry', originalAuthor: '赵六', originalDate: '2024-04-01' });
    const second = await bySource('https://ycwb.example.com/2');
    expect(second).toMatchObject({ category: 'company', bodyHtml: '<p>只有摘要</p>', summary: '只有摘要' });
    expect(second!.publishedAt!.toISOString()).toBe('2024-04-01T16:00:00.000Z'); // 2024-04-02 00:00 in Shanghai
    expect(await t.ctx.db.$count(articles, like(articles.sourceUrl, 'https://x.example.com/%'))).toBe(0);
  });
});

describe('duplicates', () => {
  it('skips sources already in the database and sources repeated in the file', async () => {
    const existing = await makeArticle(t.ctx, { sourceName: '某报', sourceUrl: 'https://dup.example.com/1' });
    const items = [
      { title: '已存在的来源', body: 'x', sourceName: '某报', sourceUrl: 'https://DUP.example.com/1', publishedAt: '2024-05-01' },
      { title: '新的来源', body: 'x', sourceName: '某报', sourceUrl: 'https://dup.example.com/2', publishedAt: '2024-05-01' },
      { title: '文件里重复', body: 'x', sourceName: '某报', sourceUrl: 'https://dup.example.com/2#again', publishedAt: '2024-05-02' },
    ];
    const res = await upload(JSON.stringify(items), 'dup.json');
    expect(counts(res.text)).toEqual({ added: 1, skipped: 2, refused: 0 });
    const text = pageText(res.text);
    expect(text).toContain(`第 1 条《已存在的来源》:该来源已导入过(文章 #${existing.id})`);
    expect(text).toContain('第 3 条《文件里重复》:与文件中第 2 条的来源网址重复');
    expect(await t.ctx.db.$count(articles, like(articles.sourceUrl, 'https://dup.example.com/%'))).toBe(2);

    // The same file again: everything is skipped, nothing is added twice.
    const again = await upload(JSON.stringify(items), 'dup.json');
    expect(counts(again.text)).toEqual({ added: 0, skipped: 3, refused: 0 });
    expect(await t.ctx.db.$count(articles, like(articles.sourceUrl, 'https://dup.example.com/%'))).toBe(2);
  });

  it('writes nothing on a dry run, but reports what would happen', async () => {
    const items = [{ title: '试运行文章', body: 'x', sourceName: '某报', sourceUrl: 'https://dry.example.com/1', publishedAt: '2024-05-01' }];
    const audits = await t.ctx.db.$count(auditLog);
    const res = await upload(JSON.stringify(items), 'dry.json', { dryRun: '1' });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain('试运行结果(未导入)');
    expect(counts(res.text)).toEqual({ added: 1, skipped: 0, refused: 0 });
    expect(await bySource('https://dry.example.com/1')).toBeUndefined();
    expect(await t.ctx.db.$count(auditLog)).toBe(audits);
  });
});

describe('files that cannot be imported', () => {
  it.each([
    ['broken XML', '<rss version="2.0"><channel><item><title>未闭合</channel></rss>', 'a.xml', 'XML 格式错误'],
    ['an unknown XML root', '<html><body>not a feed</body></html>', 'a.xml', '不支持的 XML 根元素 <html>'],
    ['RSS without a channel', '<rss version="2.0"></rss>', 'a.xml', 'RSS 文件缺少 <channel> 元素'],
    ['broken JSON', '[{"title": "半截"', 'a.json', 'JSON 格式错误'],
    ['JSON that is not an array', '{"title": "一篇"}', 'a.json', 'JSON 文件必须是文章数组'],
  ])('refuses %s whole, with a clear message, importing nothing', async (_name, content, filename, message) => {
    const before = await t.ctx.db.$count(articles);
    const audits = await t.ctx.db.$count(auditLog);
    const res = await upload(content, filename);
    expect(res.status).toBe(422);
    const text = pageText(res.text);
    expect(text).toContain('文件格式有误,没有导入任何文章');
    expect(text).toContain(message);
    expect(await t.ctx.db.$count(articles)).toBe(before);
    expect(await t.ctx.db.$count(auditLog)).toBe(audits);
  });

  it('refuses a file that is not text by its content (415), and a missing file (422)', async () => {
    const png = await upload(tinyPng(), 'feed.xml');
    expect(png.status).toBe(415);
    expect(pageText(png.text)).toContain('导入文件仅支持 RSS/Atom (XML) 或 JSON 文本文件');
    const none = await admin.upload('/admin/news/import', { author: '编辑' });
    expect(none.status).toBe(422);
    expect(pageText(none.text)).toContain('请选择要导入的文件');
  });

  it('refuses a file over 20 MB with 413', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0x20);
    big.write('[', 0);
    const res = await upload(big, 'big.json');
    expect(res.status).toBe(413);
    expect(pageText(res.text)).toContain('导入文件不能超过 20MB');
  });
});

describe('a large import', () => {
  it('imports 2,000 items in one go, well within the time limit, and audits it once', async () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({
      title: `批量导入的资讯第${i + 1}篇:深圳各区用工需求`,
      body: `<h3>小标题${i}</h3><p>${'深圳劳务派遣市场稳步发展,'.repeat(20)}</p>`,
      sourceName: '批量来源',
      sourceUrl: `https://bulk.example.com/articles/${i + 1}`,
      publishedAt: new Date(Date.UTC(2023, 0, 1) + i * 3600_000).toISOString(),
      author: '记者',
      category: ['hr', 'policy', 'industry', 'company'][i % 4],
    }));
    const started = Date.now();
    const res = await upload(JSON.stringify(items), 'bulk.json');
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(counts(res.text)).toEqual({ added: 2000, skipped: 0, refused: 0 });
    expect(elapsed).toBeLessThan(20_000);
    expect(await t.ctx.db.$count(articles, like(articles.sourceUrl, 'https://bulk.example.com/%'))).toBe(2000);
    const [audit] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'news.import')).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ actorId: adminId, after: { file: 'bulk.json', format: 'json', total: 2000, added: 2000, skipped: 0, refused: 0 } });
    expect((audit!.after as { ids: number[] }).ids).toHaveLength(2000);
    expect(pageText(res.text)).toContain('另有 1800 篇未列出');
  }, 60_000);
});
