// The audit trail: every admin action in the app, done through its real route, leaves an entry with who and
// before/after; the log page filters and pages them; nobody (not even the database owner's app) can change it.
import { eq, sql } from 'drizzle-orm';
import { auditLog, jobReports, users } from '../src/db/schema';
import { recordAudit } from '../src/features/audit/audit.service';
import { ACTION_GROUPS } from '../src/features/audit/audit.present';
import { createTestApp, type TestApp } from './helpers/app';
import { auditEntries } from './helpers/admin';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { makeJob, signedInEmployer } from './helpers/jobs';
import { articleForm, mainOf, pageText } from './helpers/news';

let t: TestApp;
let admin: TestClient;
let adminUser: { id: number; login: string; displayName: string };

beforeAll(async () => {
  t = await createTestApp();
  const a = await signedIn(t, 'admin');
  admin = a.client;
  adminUser = a.user;
});
afterAll(() => t.close());

/** What an entry must carry: `both` for a change, `after` for a creation, `before` for a deletion. */
type Shape = 'both' | 'after' | 'before';

describe('every admin action writes an entry with who and before/after', () => {
  const walked = new Map<string, Shape>();

  async function expectEntry(action: string, targetId: number | string | null, shape: Shape) {
    const rows = await auditEntries(t.ctx, action);
    const entry = targetId === null ? rows[0] : rows.find((r) => r.targetId === String(targetId));
    expect(entry).toBeDefined();
    expect(entry).toMatchObject({ actorId: adminUser.id, actorLogin: adminUser.login });
    if (shape !== 'after') expect(entry!.before).toEqual(expect.any(Object));
    if (shape !== 'before') expect(entry!.after).toEqual(expect.any(Object));
    if (shape === 'both') expect(JSON.stringify(entry!.before)).not.toBe(JSON.stringify(entry!.after));
    walked.set(action, shape);
  }

  it('job moderation and reports', async () => {
    const { id: employerId } = await signedInEmployer(t, '审计测试企业');
    const toApprove = await makeJob(t.ctx, employerId, { title: '审计待通过' }, 'pending');
    expect((await admin.post(`/admin/jobs/${toApprove}/approve`)).status).toBe(303);
    await expectEntry('job.approve', toApprove, 'both');

    const toReject = await makeJob(t.ctx, employerId, { title: '审计待驳回' }, 'pending');
    expect((await admin.post(`/admin/jobs/${toReject}/reject`, { reason: '薪资描述不清楚' })).status).toBe(303);
    await expectEntry('job.reject', toReject, 'both');

    const reported = await makeJob(t.ctx, employerId, { title: '审计被举报' });
    const reporters = [await makeUser(t.ctx, 'seeker'), await makeUser(t.ctx, 'seeker')];
    const [r1, r2] = await t.ctx.db
      .insert(jobReports)
      .values(reporters.map((r) => ({ jobId: reported, reporterId: r.id, reason: 'fee' as const })))
      .returning();
    expect((await admin.post(`/admin/reports/${r2!.id}/dismiss`, { resolution: '未发现收费' })).status).toBe(303);
    await expectEntry('report.dismiss', r2!.id, 'both');
    expect((await admin.post(`/admin/reports/${r1!.id}/uphold`, { resolution: '收取费用:经核实属实' })).status).toBe(303);
    await expectEntry('report.uphold', reported, 'both');
  });

  it('verification and accounts', async () => {
    const { id } = await signedInEmployer(t, '审计认证企业');
    const page = await admin.get(`/admin/employers/${id}`);
    const seen = /name="seen" value="([^"]+)"/.exec(page.text)![1]!;
    expect((await admin.post(`/admin/employers/${id}/verify`, { seen })).status).toBe(303);
    await expectEntry('employer.verify', id, 'both');
    expect((await admin.post(`/admin/employers/${id}/unverify`, { reason: '' })).status).toBe(303);
    await expectEntry('employer.unverify', id, 'both');

    expect((await admin.post(`/admin/users/${id}/disable`)).status).toBe(303);
    await expectEntry('user.disable', id, 'both');
    expect((await admin.post(`/admin/users/${id}/enable`)).status).toBe(303);
    await expectEntry('user.enable', id, 'both');
  });

  it('site settings', async () => {
    const s = await t.ctx.settings.get();
    const form = { siteName: s.siteName, companyName: s.companyName, companyInfo: s.companyInfo, hotlineLabel: s.hotlineLabel, hotline: s.hotline, contactEmail: s.contactEmail, icp: s.icp, takedownContact: s.takedownContact };
    expect((await admin.post('/admin/settings/basic', { ...form, icp: '粤ICP备00000001号' })).status).toBe(303);
    await expectEntry('settings.update', 'icp', 'both');
  });

  it('search dictionary: save (new, then changed) and delete a word', async () => {
    expect((await admin.post('/admin/search/terms', { word: '审计词', synonyms: '审计同义词' })).status).toBe(303);
    const [row] = await auditEntries(t.ctx, 'search.term.save');
    await expectEntry('search.term.save', row!.targetId, 'after');
    expect((await admin.post('/admin/search/terms', { word: '审计词', synonyms: '审计同义词 另一个', category: '普工' })).status).toBe(303);
    await expectEntry('search.term.save', row!.targetId, 'both');
    expect((await admin.post(`/admin/search/terms/${row!.targetId}/delete`)).status).toBe(303);
    await expectEntry('search.term.delete', row!.targetId, 'before');
  });

  it('news: create, edit, publish, unpublish, delete and import', async () => {
    await admin.get('/admin/news/new');
    const created = await admin.upload('/admin/news', articleForm({ title: '审计测试文章' }));
    expect(created.status).toBe(303);
    const id = Number(/\/admin\/news\/(\d+)\/edit/.exec(created.headers.location!)![1]);
    await expectEntry('news.create', id, 'after');
    expect((await admin.upload(`/admin/news/${id}/edit`, articleForm({ title: '审计测试文章(改)' }))).status).toBe(303);
    await expectEntry('news.update', id, 'both');
    expect((await admin.post(`/admin/news/${id}/publish`)).status).toBe(303);
    await expectEntry('news.publish', id, 'both');
    expect((await admin.post(`/admin/news/${id}/unpublish`)).status).toBe(303);
    await expectEntry('news.unpublish', id, 'both');
    expect((await admin.post(`/admin/news/${id}/delete`)).status).toBe(303);
    await expectEntry('news.delete', id, 'before');

    const file = JSON.stringify([{ title: '审计导入文章', body: '<p>导入正文</p>', sourceName: '深圳特区报', sourceUrl: 'https://audit.example.com/1', publishedAt: '2024-03-01', category: 'hr' }]);
    const imported = await admin.upload('/admin/news/import', { author: '编辑' }, { field: 'file', content: Buffer.from(file), filename: 'a.json' });
    expect(imported.status).toBe(200);
    await expectEntry('news.import', null, 'after');
    const [entry] = await auditEntries(t.ctx, 'news.import');
    expect(entry!.after).toMatchObject({ added: 1, skipped: 0, refused: 0 });
  });

  it('walked every action the log knows, and the log page shows each of them', async () => {
    const known = ACTION_GROUPS.flatMap((g) => Object.keys(g.actions)).sort();
    expect([...walked.keys()].sort()).toEqual(known);
    // Every action recorded anywhere in this run has a label (nothing unnamed slips into the log).
    const recorded = (await t.ctx.db.selectDistinct({ action: auditLog.action }).from(auditLog)).map((r) => r.action);
    expect(recorded.filter((a) => !known.includes(a))).toEqual([]);

    const page = await admin.get('/admin/audit');
    expect(page.status).toBe(200);
    const text = pageText(mainOf(page.text));
    for (const g of ACTION_GROUPS) for (const label of Object.values(g.actions)) expect(text).toContain(label);
    expect(text).toContain(`管理员 ${adminUser.displayName}`);
  });

  it('the log says each action as a Chinese sentence, with labels and values as the site shows them; the raw record one click away', async () => {
    const main = mainOf((await admin.get('/admin/audit')).text);
    const who = `管理员 ${adminUser.displayName}`;
    const shown = pageText(main.replace(/<details class="audit-raw">[\s\S]*?<\/details>/g, ''));
    const employer = (await t.ctx.db.select().from(users).where(eq(users.displayName, '审计认证企业联系人'))).length;
    for (const sentence of [
      `${who} 将职位「审计待通过」审核通过`,
      `${who} 驳回了职位「审计待驳回」,原因:薪资描述不清楚`,
      `${who} 驳回了对职位「审计被举报」的举报`,
      `${who} 认定对职位「审计被举报」的举报属实,下架了该职位`,
      `${who} 认证了企业「审计认证企业」`,
      `${who} 取消了企业「审计认证企业」的认证`,
      `${who} 修改了网站设置:ICP备案号`,
      `${who} 新建了文章「审计测试文章」`,
      `${who} 将文章「审计测试文章(改)」撤回为草稿`,
      `${who} 删除了文章「审计测试文章(改)」`,
      `${who} 从文件「a.json」导入了 1 篇资讯`,
    ]) {
      expect([sentence, shown.includes(sentence)]).toEqual([sentence, true]);
    }
    expect(shown).toMatch(new RegExp(`${who} 停用了用户「[^」]+」的账号`));
    expect(employer).toBeGreaterThanOrEqual(0);
    // Field names as their labels, values as on the site: no codes, keys or JSON outside the raw records.
    for (const label of ['状态', '驳回原因', '举报结果', '企业名称', '认证时间', 'ICP备案号', '正文', '分类']) expect([label, shown.includes(label)]).toEqual([label, true]);
    for (const code of ['pending', 'published', 'rejectReason', 'job.approve', 'upheld', 'verifiedAt', '"', '{', 'hr ', '<p>']) expect([code, shown.includes(code)]).toEqual([code, false]);
    expect(shown).toContain('招聘中');
    expect(shown).toContain('政策法规');
    // The raw record: the entry as stored.
    expect(main).toMatch(/<details class="audit-raw">\s*<summary>原始记录<\/summary>\s*<pre>\{\n  &#34;id&#34;: \d+,[\s\S]*?&#34;action&#34;: &#34;job.approve&#34;/);
  });
});

describe('the log page', () => {
  let a: TestApp;
  let client: TestClient;
  const other = { id: null, login: 'cli:root' };

  beforeAll(async () => {
    a = await createTestApp();
    client = (await signedIn(a, 'admin')).client;
    const at = (iso: string) => new Date(iso);
    const actor = { id: null, login: 'ops@example.com' };
    await a.ctx.db.insert(auditLog).values([
      // 2026-03-01 23:30 and 2026-03-02 00:30 in China (15:30 and 16:30 UTC on March 1st).
      { actorLogin: actor.login, action: 'job.approve', targetType: 'job', targetId: '11', before: { status: 'pending' }, after: { status: 'published' }, createdAt: at('2026-03-01T15:30:00Z') },
      { actorLogin: actor.login, action: 'news.publish', targetType: 'article', targetId: '22', before: { status: 'draft', publishedAt: null }, after: { status: 'published', publishedAt: '2026-03-01T16:30:00.000Z' }, createdAt: at('2026-03-01T16:30:00Z') },
      { actorLogin: other.login, action: 'news.import', targetType: 'article', targetId: null, before: null, after: { added: 3 }, createdAt: at('2026-03-05T02:00:00Z') },
      { actorLogin: other.login, action: 'settings.update', targetType: 'settings', targetId: 'siteName', before: { siteName: '<script>alert(1)</script>' }, after: { siteName: '新站名' }, createdAt: at('2026-03-06T02:00:00Z') },
    ]);
  });
  afterAll(() => a.close());

  const ids = async (query: string) => {
    const res = await client.get(`/admin/audit${query}`);
    expect(res.status).toBe(200);
    return [...res.text.matchAll(/data-action="([a-z._]+)"/g)].map((m) => m[1]);
  };

  it('shows who, when (China time), what, the target and before/after, newest first', async () => {
    const res = await client.get('/admin/audit');
    const main = mainOf(res.text);
    expect(await ids('')).toEqual(['settings.update', 'news.import', 'news.publish', 'job.approve']);
    expect(main).toContain('<time datetime="2026-03-01T16:30:00.000Z">2026-03-02 00:30</time>');
    // Who did what to what: the job is named by today's title when the entry carries none.
    expect(main).toContain('管理员 ops@example.com 将职位#11审核通过 <a href="/admin/jobs/11">查看职位</a>');
    expect(main).toContain('运维人员(命令行 root) 导入了 3 篇资讯');
    expect(main).toMatch(/<tr class="is-changed">\s*<th scope="row">状态<\/th>\s*<td><pre class="audit-value">待审核<\/pre><\/td>\s*<td><pre class="audit-value">招聘中<\/pre><\/td>/);
    // An article's status in its own words; an instant in China time; a missing value as (无).
    expect(main).toMatch(/<th scope="row">状态<\/th>\s*<td><pre class="audit-value">草稿<\/pre><\/td>\s*<td><pre class="audit-value">已发布<\/pre><\/td>/);
    expect(main).toMatch(/<th scope="row">发布时间<\/th>\s*<td><pre class="audit-value">\(无\)<\/pre><\/td>\s*<td><pre class="audit-value">2026-03-02 00:30<\/pre><\/td>/);
    // Values are text: a <script> in a before value is shown, not run.
    expect(main).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(main).not.toContain('<script>alert(1)');
  });

  it('filters by action prefix, by one action, by actor, by target type and by China-time dates', async () => {
    expect(await ids('?action=news.')).toEqual(['news.import', 'news.publish']);
    expect(await ids('?action=news.publish')).toEqual(['news.publish']);
    expect(await ids('?actor=cli%3Aroot')).toEqual(['settings.update', 'news.import']);
    expect(await ids('?targetType=job')).toEqual(['job.approve']);
    expect(await ids('?from=2026-03-02&to=2026-03-02')).toEqual(['news.publish']);
    expect(await ids('?to=2026-03-01')).toEqual(['job.approve']);
    expect(await ids('?from=2026-03-05')).toEqual(['settings.update', 'news.import']);
    // Dates the wrong way round mean the days between them.
    expect(await ids('?from=2026-03-05&to=2026-03-02')).toEqual(['news.import', 'news.publish']);
    expect(await ids('?action=news.&actor=cli%3Aroot')).toEqual(['news.import']);
    // Values it cannot use are ignored, not an error.
    expect(await ids('?action=%25&from=2026-02-30&targetType=%3Cx%3E')).toHaveLength(4);
    const filtered = await client.get('/admin/audit?action=news.');
    expect(filtered.text).toContain('<option value="news." selected>');
  });

  it('pages 30 entries a page, keeping the filters; a page past the end is 404', async () => {
    for (let i = 0; i < 31; i++) await recordAudit(a.ctx.db, other, { action: 'user.enable', targetType: 'user', targetId: i, before: { status: 'disabled' }, after: { status: 'active' } });
    const first = await client.get('/admin/audit?action=user.');
    expect(first.text).toContain('共 <strong>31</strong> 条记录');
    expect(first.text).toContain('href="/admin/audit?action=user.&amp;page=2"');
    expect(await ids('?action=user.&page=2')).toEqual(['user.enable']);
    expect((await client.get('/admin/audit?action=user.&page=3')).status).toBe(404);
  });

  it('can only be read: no route changes it, and the database refuses UPDATE and DELETE', async () => {
    for (const path of ['/admin/audit', '/admin/audit/1', '/admin/audit/1/delete']) expect((await client.post(path, {})).status).toBe(404);
    const [row] = await a.ctx.db.select().from(auditLog).limit(1);
    await expect(a.ctx.db.execute(sql`update audit_log set action = 'forged' where id = ${row!.id}`)).rejects.toThrow();
    await expect(a.ctx.db.update(auditLog).set({ after: { status: 'forged' } }).where(eq(auditLog.id, row!.id))).rejects.toThrow();
    await expect(a.ctx.db.execute(sql`delete from audit_log where id = ${row!.id}`)).rejects.toThrow();
    const [still] = await a.ctx.db.select().from(auditLog).where(eq(auditLog.id, row!.id));
    expect(still).toEqual(row);
  });

  it('is for admins only', async () => {
    expect((await (await signedIn(a, 'employer')).client.get('/admin/audit')).status).toBe(403);
    expect((await a.client().get('/admin/audit')).headers.location).toBe('/login?next=%2Fadmin%2Faudit');
  });
});
