// The admin's news: write, edit, publish, unpublish, delete, cover images; each action audited; nobody else may.
import fs from 'node:fs';
import path from 'node:path';
import { desc, eq, isNotNull } from 'drizzle-orm';
import { articles, auditLog, files } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { articleForm, makeArticle, pageText, tinyJpeg, tinyPng } from './helpers/news';

let t: TestApp;
let admin: { client: TestClient; user: { id: number; login: string; displayName: string } };
const now = new Date('2024-07-01T08:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp({ now: () => now });
  admin = await signedIn(t, 'admin', { displayName: '资讯编辑小王' });
  await admin.client.get('/admin/news/new');
});
afterAll(() => t.close());

const form = articleForm;

/** Every file under the upload root (temp dir included), relative. */
function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(t.ctx.storage.root, full));
    }
  };
  walk(t.ctx.storage.root);
  return out.sort();
}

async function lastAudit(action: string) {
  const [row] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1);
  return row;
}

const idFrom = (location: string | undefined) => Number(/\/admin\/news\/(\d+)\/edit/.exec(location ?? '')![1]);

describe('only admins', () => {
  it('refuses every admin news route to seekers and employers (403) and sends visitors to login, changing nothing', async () => {
    const a = await makeArticle(t.ctx, { status: 'draft', publishedAt: null });
    const before = { articles: await t.ctx.db.$count(articles), files: filesOnDisk() };
    const anon = t.client();
    for (const role of ['seeker', 'employer'] as const) {
      const { client } = await signedIn(t, role);
      for (const p of ['/admin/news', '/admin/news/new', '/admin/news/import', `/admin/news/${a.id}/edit`, `/admin/news/${a.id}/delete`]) {
        expect((await client.get(p)).status).toBe(403);
      }
      for (const p of [`/admin/news/${a.id}/publish`, `/admin/news/${a.id}/unpublish`, `/admin/news/${a.id}/delete`]) {
        expect((await client.post(p)).status).toBe(403);
      }
      const create = await client.upload('/admin/news', form(), { field: 'cover', content: tinyPng(), filename: 'a.png', contentType: 'image/png' });
      expect(create.status).toBe(403);
      const imp = await client.upload('/admin/news/import', { author: 'x' }, { field: 'file', content: Buffer.from('[]'), filename: 'a.json' });
      expect(imp.status).toBe(403);
    }
    const res = await anon.get('/admin/news');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fnews');
    expect(await t.ctx.db.$count(articles)).toBe(before.articles);
    expect(filesOnDisk()).toEqual(before.files);
    const [still] = await t.ctx.db.select().from(articles).where(eq(articles.id, a.id));
    expect(still!.status).toBe('draft');
  });
});

describe('writing an article', () => {
  it('offers the admin display name as the author and lists the allowed tags', async () => {
    const res = await admin.client.get('/admin/news/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="资讯编辑小王"');
    expect(res.text).toContain('&lt;blockquote&gt;');
    expect(res.text).toMatch(/action="\/admin\/news\?_csrf=[^"]+" enctype="multipart\/form-data"/);
  });

  it('saves a draft, derives the summary, and records news.create with the article', async () => {
    const res = await admin.client.upload('/admin/news', form({ body: '<p>深圳市人力资源和社会保障局发布通知,自7月1日起调整最低工资标准。</p>' }));
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    expect(row).toMatchObject({ status: 'draft', publishedAt: null, category: 'policy', author: '资讯编辑小王', authorId: admin.user.id });
    expect(row!.summary).toBe('深圳市人力资源和社会保障局发布通知,自7月1日起调整最低工资标准。');
    const audit = await lastAudit('news.create');
    expect(audit).toMatchObject({ actorId: admin.user.id, targetType: 'article', targetId: String(id) });
    expect(audit!.after).toMatchObject({ title: '深圳市2024年最低工资标准公布', status: 'draft' });
    const edit = await admin.client.get(`/admin/news/${id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('文章已保存');
    expect(edit.text).toContain('value="深圳市2024年最低工资标准公布"');
  });

  it('re-renders the form with Chinese errors beside the fields, keeping what was typed', async () => {
    const res = await admin.client.upload('/admin/news', form({ title: '', sourceUrl: 'https://ok.example/a', originalDate: '2024-02-30', publishedAt: '明天', summary: '保留我' }));
    expect(res.status).toBe(422);
    const text = pageText(res.text);
    expect(text).toContain('请填写标题');
    expect(text).toContain('原文日期格式不正确');
    expect(text).toContain('发布时间格式不正确');
    expect(text).toContain('填写了来源网址时,请同时填写来源名称');
    expect(res.text).toContain('保留我');
    expect(res.text).toContain('value="https://ok.example/a"');
    const badUrl = await admin.client.upload('/admin/news', form({ sourceName: '某报', sourceUrl: 'javascript:alert(1)' }));
    expect(badUrl.status).toBe(422);
    expect(pageText(badUrl.text)).toContain('来源网址必须是以 http:// 或 https:// 开头的完整网址');
    const published = await admin.client.upload('/admin/news', form({ status: 'published', body: '<script>x</script>' }));
    expect(published.status).toBe(422);
    expect(pageText(published.text)).toContain('发布前请填写正文');
  });

  it('refuses a source URL that another article has, as a field error, however the URL is written', async () => {
    const first = await admin.client.upload('/admin/news', form({ sourceName: '深圳特区报', sourceUrl: 'https://SZ.example.com/news/1' }));
    expect(first.status).toBe(303);
    const id = idFrom(first.headers.location);
    const dup = await admin.client.upload('/admin/news', form({ title: '另一篇', sourceName: '深圳特区报', sourceUrl: 'https://sz.example.com/news/1#top' }));
    expect(dup.status).toBe(422);
    expect(pageText(dup.text)).toContain(`该来源网址已被文章 #${id} 使用`);
    expect(dup.text).toContain('value="另一篇"');
    expect(await t.ctx.db.$count(articles, eq(articles.title, '另一篇'))).toBe(0);
    // The article itself keeps its own source when edited.
    const again = await admin.client.upload(`/admin/news/${id}/edit`, form({ title: '改了标题', sourceName: '深圳特区报', sourceUrl: 'https://sz.example.com/news/1' }));
    expect(again.status).toBe(303);
  });
});

describe('publishing', () => {
  it('publishes at the current time, unpublishes back to a 404 for readers, and audits both', async () => {
    const a = await makeArticle(t.ctx, { status: 'draft', publishedAt: null, title: '待发布的文章' });
    expect((await t.client().get(`/news/${a.id}`)).status).toBe(404);
    const pub = await admin.client.post(`/admin/news/${a.id}/publish`);
    expect(pub.status).toBe(303);
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, a.id));
    expect(row!.status).toBe('published');
    expect(row!.publishedAt!.getTime()).toBe(now.getTime());
    expect((await t.client().get(`/news/${a.id}`)).status).toBe(200);
    expect(await lastAudit('news.publish')).toMatchObject({ targetId: String(a.id), before: { status: 'draft', publishedAt: null } });

    expect((await admin.client.post(`/admin/news/${a.id}/unpublish`)).status).toBe(303);
    expect((await t.client().get(`/news/${a.id}`)).status).toBe(404);
    expect(await lastAudit('news.unpublish')).toMatchObject({ targetId: String(a.id), before: { status: 'published' }, after: { status: 'draft' } });
    const list = await admin.client.get('/admin/news');
    expect(list.text).toContain('文章已撤回为草稿');
  });

  it('sends an article that cannot be published back to its form with the reason', async () => {
    const empty = await makeArticle(t.ctx, { status: 'draft', publishedAt: null, bodyHtml: '' });
    const res = await admin.client.post(`/admin/news/${empty.id}/publish`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/news/${empty.id}/edit`);
    const edit = await admin.client.get(res.headers.location!);
    expect(pageText(edit.text)).toContain('发布前请填写正文');
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, empty.id));
    expect(row!.status).toBe('draft');

    const future = await admin.client.upload('/admin/news', form({ status: 'published', publishedAt: '2024-07-02T09:00' }));
    expect(future.status).toBe(422);
    expect(pageText(future.text)).toContain('发布时间不能晚于现在');
    const past = await admin.client.upload('/admin/news', form({ title: '补发的旧闻', status: 'published', publishedAt: '2024-06-30T09:00' }));
    expect(past.status).toBe(303);
    const [old] = await t.ctx.db.select().from(articles).where(eq(articles.title, '补发的旧闻'));
    expect(old!.publishedAt!.toISOString()).toBe('2024-06-30T01:00:00.000Z');
  });

  it('shows each article with its status, views and source in the admin list', async () => {
    await makeArticle(t.ctx, { title: '列表里的文章', viewCount: 37, sourceName: '南方日报', sourceUrl: 'https://nf.example.com/1' });
    const res = await admin.client.get('/admin/news?q=列表里');
    expect(res.status).toBe(200);
    const row = /<tr>\s*<td><a href="\/news\/\d+">列表里的文章[\s\S]*?<\/tr>/.exec(res.text)![0];
    expect(pageText(row)).toMatch(/已发布 37 南方日报/);
    expect((await admin.client.get('/admin/news?page=99')).status).toBe(404);
  });

  it('records news.update with the before and after values', async () => {
    const a = await makeArticle(t.ctx, { title: '旧标题' });
    const res = await admin.client.upload(`/admin/news/${a.id}/edit`, form({ title: '新标题', status: 'published', body: '<p>新正文</p>' }));
    expect(res.status).toBe(303);
    const audit = await lastAudit('news.update');
    expect(audit).toMatchObject({ targetId: String(a.id), before: { title: '旧标题' }, after: { title: '新标题', bodyHtml: '<p>新正文</p>' } });
  });
});

describe('cover images', () => {
  it('accepts a PNG, serves it only once the article is published, with its type, nosniff and a long cache', async () => {
    const res = await admin.client.upload('/admin/news', form({ coverCaption: '图片说明文字' }), { field: 'cover', content: tinyPng(), filename: '封面.png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    const [file] = await t.ctx.db.select().from(files).where(eq(files.id, row!.coverFileId!));
    expect(file).toMatchObject({ kind: 'news_cover', mime: 'image/png', originalName: '封面.png' });
    expect(fs.readFileSync(t.ctx.storage.pathOf(file!.storageKey))).toEqual(tinyPng());

    expect((await t.client().get(`/files/news/${file!.id}`)).status).toBe(404); // draft
    const preview = await admin.client.agent.get(`/files/news/${file!.id}`).buffer(true);

    expect(preview.status).toBe(200);
    expect(preview.headers['cache-control']).toBe('private, no-store');

    await admin.client.post(`/admin/news/${id}/publish`);
    const img = await t.client().agent.get(`/files/news/${file!.id}`).buffer(true);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(img.body as Buffer)).toEqual(tinyPng());

    const page = await t.client().get(`/news/${id}`);
    expect(page.text).toContain(`<img src="/files/news/${file!.id}" alt="图片说明文字">`);
    expect(page.text).toContain('<figcaption>图片说明文字</figcaption>');
  });

  it('replaces a cover with a JPEG: the old file leaves the disk and the database after the commit', async () => {
    const res = await admin.client.upload('/admin/news', form({ status: 'published' }), { field: 'cover', content: tinyPng(), filename: 'a.png' });
    const id = idFrom(res.headers.location);
    const [before] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    const [oldFile] = await t.ctx.db.select().from(files).where(eq(files.id, before!.coverFileId!));
    const edit = await admin.client.upload(`/admin/news/${id}/edit`, form({ status: 'published' }), { field: 'cover', content: tinyJpeg(), filename: 'b.jpg' });
    expect(edit.status).toBe(303);
    const [after] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    expect(after!.coverFileId).not.toBe(oldFile!.id);
    expect(await t.ctx.db.$count(files, eq(files.id, oldFile!.id))).toBe(0);
    expect(fs.existsSync(t.ctx.storage.pathOf(oldFile!.storageKey))).toBe(false);
    const img = await t.client().agent.get(`/files/news/${after!.coverFileId}`).buffer(true);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect((await t.client().get(`/files/news/${oldFile!.id}`)).status).toBe(404);

    const removed = await admin.client.upload(`/admin/news/${id}/edit`, form({ status: 'published', removeCover: '1' }));
    expect(removed.status).toBe(303);
    const [bare] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    expect(bare!.coverFileId).toBeNull();
    // No cover row is left without its article.
    expect(await t.ctx.db.$count(files, eq(files.kind, 'news_cover'))).toBe(await t.ctx.db.$count(articles, isNotNull(articles.coverFileId)));
  });

  it('refuses a file that is not an image by its content, keeping the form, and leaves nothing behind', async () => {
    const countBefore = await t.ctx.db.$count(articles);
    const filesBefore = await t.ctx.db.$count(files);
    const disk = filesOnDisk();
    const res = await admin.client.upload('/admin/news', form({ title: '带假图片的文章' }), {
      field: 'cover',
      content: Buffer.from('<html><script>alert(1)</script></html>'),
      filename: 'photo.png',
      contentType: 'image/png',
    });
    expect(res.status).toBe(415);
    expect(pageText(res.text)).toContain('封面图片仅支持 JPG、PNG、WebP 格式');
    expect(res.text).toContain('value="带假图片的文章"');
    expect(await t.ctx.db.$count(articles)).toBe(countBefore);
    expect(await t.ctx.db.$count(files)).toBe(filesBefore);
    expect(filesOnDisk()).toEqual(disk);
  });

  it('refuses a cover over 5 MB with 413 and leaves nothing behind', async () => {
    const disk = filesOnDisk();
    const big = Buffer.concat([tinyPng(), Buffer.alloc(5 * 1024 * 1024)]);
    const res = await admin.client.upload('/admin/news', form({ title: '大图片' }), { field: 'cover', content: big, filename: 'big.png' });
    expect(res.status).toBe(413);
    expect(pageText(res.text)).toContain('封面图片不能超过 5MB');
    expect(await t.ctx.db.$count(articles, eq(articles.title, '大图片'))).toBe(0);
    expect(filesOnDisk()).toEqual(disk);
  });

  it('serves no other kind of file and no unknown id', async () => {
    const [resume] = await t.ctx.db
      .insert(files)
      .values({ kind: 'resume', storageKey: 'resume/x/y.pdf', ownerId: admin.user.id, originalName: 'cv.pdf', mime: 'application/pdf', size: 10 })
      .returning();
    expect((await admin.client.get(`/files/news/${resume!.id}`)).status).toBe(404);
    expect((await t.client().get('/files/news/abc')).status).toBe(404);
    expect((await t.client().get('/files/news/999999')).status).toBe(404);
  });
});

describe('deleting', () => {
  it('asks first, then deletes the article and its cover (row and file), and records news.delete', async () => {
    const res = await admin.client.upload('/admin/news', form({ title: '要删除的文章', status: 'published' }), { field: 'cover', content: tinyPng(), filename: 'a.png' });
    const id = idFrom(res.headers.location);
    const [row] = await t.ctx.db.select().from(articles).where(eq(articles.id, id));
    const [file] = await t.ctx.db.select().from(files).where(eq(files.id, row!.coverFileId!));

    const confirm = await admin.client.get(`/admin/news/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(pageText(confirm.text)).toContain('确定要删除《要删除的文章》吗?');
    expect(await t.ctx.db.$count(articles, eq(articles.id, id))).toBe(1);

    const del = await admin.client.post(`/admin/news/${id}/delete`);
    expect(del.status).toBe(303);
    expect(await t.ctx.db.$count(articles, eq(articles.id, id))).toBe(0);
    expect(await t.ctx.db.$count(files, eq(files.id, file!.id))).toBe(0);
    expect(fs.existsSync(t.ctx.storage.pathOf(file!.storageKey))).toBe(false);
    expect((await t.client().get(`/news/${id}`)).status).toBe(404);
    const audit = await lastAudit('news.delete');
    expect(audit).toMatchObject({ actorId: admin.user.id, targetId: String(id), before: { title: '要删除的文章', status: 'published' } });
    expect((await admin.client.post(`/admin/news/${id}/delete`)).status).toBe(404);
  });

  it('writes no audit entry when a non-admin tries', async () => {
    const a = await makeArticle(t.ctx);
    const { client } = await signedIn(t, 'employer');
    const entries = await t.ctx.db.$count(auditLog);
    expect((await client.post(`/admin/news/${a.id}/delete`)).status).toBe(403);
    expect(await t.ctx.db.$count(auditLog)).toBe(entries);
    expect(await t.ctx.db.$count(articles, eq(articles.id, a.id))).toBe(1);
  });
});
