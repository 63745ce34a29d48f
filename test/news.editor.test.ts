// The news editor's server side: images uploaded from the editor (type by content, admins only, CSRF in the URL),
// public only once a published article shows them, swept when no article does; the self-hosted editor bundle is
// the build of its sources; and the HTML the editor makes passes the sanitizer unchanged.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { files } from '../src/db/schema';
import { sweepUnusedNewsImages } from '../src/features/news/news.service';
import { sanitizeArticleHtml } from '../src/features/news/news.sanitize';
import { createTestApp, type TestApp } from './helpers/app';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { articleForm, tinyPng } from './helpers/news';

let t: TestApp;
let admin: TestClient;
let clock = Date.now();

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date(clock) });
  admin = (await signedIn(t, 'admin')).client;
  await admin.get('/admin/news/new');
});
afterAll(() => t.close());

const png = (name = '现场.png') => ({ field: 'image', content: tinyPng(), filename: name, contentType: 'image/png' });

describe('images from the editor', () => {
  it('are stored as news images and answered as JSON with their address', async () => {
    const res = await admin.upload('/admin/news/images', {}, png(), { accept: 'application/json' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), url: `/files/news/${res.body.id}` });
    const [row] = await t.ctx.db.select().from(files).where(eq(files.id, res.body.id));
    expect(row).toMatchObject({ kind: 'news_image', mime: 'image/png', originalName: '现场.png' });
    expect(fs.existsSync(t.ctx.storage.pathOf(row!.storageKey))).toBe(true);
  });

  it('are refused by content (a PDF named .png), or from anyone but an admin; nothing is stored', async () => {
    const pdf = { field: 'image', content: Buffer.from('%PDF-1.4\n%%EOF\n'), filename: 'fake.png', contentType: 'image/png' };
    const refused = await admin.upload('/admin/news/images', {}, pdf, { accept: 'application/json' });
    expect(refused.status).toBe(415);
    expect(refused.body.error).toBe('图片仅支持 JPG、PNG、WebP 格式');
    const before = await t.ctx.db.$count(files);
    const employer = (await signedIn(t, 'employer')).client;
    expect((await employer.upload('/admin/news/images', {}, png(), { accept: 'application/json' })).status).toBe(403);
    expect(await t.ctx.db.$count(files)).toBe(before);
  });

  it('are seen by the public only once a published article shows them', async () => {
    const { body } = await admin.upload('/admin/news/images', {}, png(), { accept: 'application/json' });
    const html = `<p>现场照片</p><img src="${body.url}" alt="现场">`;
    const visitor = t.client();
    expect((await visitor.get(body.url)).status).toBe(404);
    expect((await admin.get(body.url)).status).toBe(200); // the admin sees it while writing
    const draft = await admin.upload('/admin/news', articleForm({ title: '带图的草稿', body: html }));
    expect(draft.status).toBe(303);
    expect((await visitor.get(body.url)).status).toBe(404);
    const id = /\/admin\/news\/(\d+)\/edit/.exec(draft.headers.location!)![1];
    expect((await admin.post(`/admin/news/${id}/publish`)).status).toBe(303);
    const shown = await visitor.get(body.url);
    expect(shown.status).toBe(200);
    expect(shown.headers['content-type']).toBe('image/png');
    // Another image's id that merely starts the same (/files/news/1 vs /files/news/12) is not made public by it.
    const other = Number(String(body.id).slice(0, -1));
    if (other > 0) expect((await visitor.get(`/files/news/${other}`)).status).not.toBe(200);
  });

  it('that no article shows are removed a day after upload, rows and bytes; those in use stay', async () => {
    const unused = (await admin.upload('/admin/news/images', {}, png('unused.png'), { accept: 'application/json' })).body;
    const used = (await admin.upload('/admin/news/images', {}, png('used.png'), { accept: 'application/json' })).body;
    expect((await admin.upload('/admin/news', articleForm({ title: '用了一张图', body: `<p><img src="${used.url}" alt=""></p>` }))).status).toBe(303);
    const keyOf = async (id: number) => (await t.ctx.db.select({ key: files.storageKey }).from(files).where(eq(files.id, id)))[0]?.key;
    const unusedKey = (await keyOf(unused.id))!;
    expect(await sweepUnusedNewsImages(t.ctx, new Date(clock))).toBe(0); // still within the day
    clock += 25 * 3600_000;
    expect(await sweepUnusedNewsImages(t.ctx, new Date(clock))).toBeGreaterThanOrEqual(1);
    expect(await keyOf(unused.id)).toBeUndefined();
    expect(fs.existsSync(t.ctx.storage.pathOf(unusedKey))).toBe(false);
    expect(await keyOf(used.id)).toBeDefined();
  });
});

describe('the editor', () => {
  it('is what scripts/build-editor.mjs builds from client/news-editor.js and TipTap, with their licences', () => {
    const root = path.join(__dirname, '..');
    const check = spawnSync(process.execPath, ['scripts/build-editor.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(check.stdout.trim()).toBe('up to date');
    expect(check.status).toBe(0);
    const licences = fs.readFileSync(path.join(root, 'public/js/vendor/news-editor.LICENSES.txt'), 'utf8');
    expect(licences).toMatch(/@tiptap\/core [\d.]+ \(MIT\)/);
    expect(licences).toMatch(/prosemirror-view [\d.]+ \(MIT\)/);
  });

  it('makes HTML the sanitizer keeps as it is', () => {
    // What TipTap writes for each button of the toolbar (see the browser test for the real editor's output).
    const made =
      '<h2>小标题</h2><h3>二级</h3><p>正文<strong>加粗</strong><em>倾斜</em><br>换行</p><ul><li><p>一</p></li></ul><ol><li><p>二</p></li></ol>' +
      '<blockquote><p>引用</p></blockquote><p><a href="https://www.example.cn/a" rel="nofollow noopener">链接</a></p><img src="/files/news/7" alt="现场">';
    const kept = sanitizeArticleHtml(made);
    // The sanitizer writes void tags as <br />, adds lazy loading and no referrer to images; nothing else changes.
    expect(kept).toBe(made.replace('<br>', '<br />').replace('<img src="/files/news/7" alt="现场">', '<img src="/files/news/7" alt="现场" loading="lazy" referrerpolicy="no-referrer" />'));
  });
});
