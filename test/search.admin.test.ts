// /admin/search (issue 19): analytics for admins, and the dictionary form with validation, audit and re-index progress.
import { eq } from 'drizzle-orm';
import { searchEvents, searchReindexRuns, searchTerms } from '../src/db/schema';
import { reindexIdle } from '../src/search/search.reindex';
import { auditEntries, flashes, follow } from './helpers/admin';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { fieldError } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';
import type { TestClient } from './helpers/client';

let t: TestApp;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await signedIn(t, 'admin')).client;
  const employer = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, employer.id);
  await makeJob(t.ctx, employer.id, { title: '码头理货员', category: '仓储分拣', description: '码头集装箱理货。' });
  const now = t.ctx.now();
  await t.ctx.db.insert(searchEvents).values([
    { kind: 'search', query: '搬砖', results: 0, exact: 0, at: now },
    { kind: 'search', query: '搬砖', results: 0, exact: 0, at: now },
    { kind: 'search', query: '普工', results: 40, exact: 40, at: now },
    { kind: 'search', query: '普工', results: 40, exact: 40, at: now },
    { kind: 'search', query: '普工', results: 40, exact: 40, at: now },
    { kind: 'search', query: '理货', results: 12, exact: 2, at: now },
    { kind: 'click', query: '普工', rank: 1, at: now },
  ]);
});
afterAll(() => t.close());

describe('/admin/search', () => {
  it('shows top, zero-result and low-result queries, the click-through rate and a chart drawn on the server', async () => {
    const res = await admin.get('/admin/search');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<svg');
    expect(res.text).not.toMatch(/<script[^>]+src="https?:/);
    // 1 click for 6 searches; 2 of 6 found nothing.
    expect(res.text).toContain('16.7%');
    expect(res.text).toContain('33.3%');
    const zero = res.text.slice(res.text.indexOf('没有完全符合结果的搜索'), res.text.indexOf('完全符合的结果少于'));
    expect(zero).toContain('搬砖');
    expect(zero).toContain(`/admin/search?word=${encodeURIComponent('搬砖')}#term-form`);
    expect(zero).not.toContain('>普工<');
    const low = res.text.slice(res.text.indexOf('完全符合的结果少于'), res.text.indexOf('热门搜索'));
    expect(low).toContain('理货');
    // One click on "添加同义词" opens the form with the word.
    const form = await admin.get(`/admin/search?word=${encodeURIComponent('搬砖')}`);
    expect(form.text).toMatch(/name="word" type="text" value="搬砖"/);
  });

  it('is for admins only', async () => {
    const { client } = await signedIn(t, 'seeker');
    expect((await client.get('/admin/search')).status).toBe(403);
    expect((await client.post('/admin/search/terms', { word: '搬砖', synonyms: '搬运' })).status).toBe(403);
    expect(await t.ctx.db.select().from(searchTerms)).toHaveLength(0);
  });

  it('refuses a bad word or synonym beside its field, and saves nothing', async () => {
    const res = await admin.post('/admin/search/terms', { word: '搬 砖', synonyms: '搬运,<b>', category: '火星' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'word')).toContain('只能包含汉字、字母和数字');
    expect(fieldError(res.text, 'synonyms')).toContain('同义词');
    const empty = await admin.post('/admin/search/terms', { word: '搬砖' });
    expect(empty.status).toBe(422);
    expect(fieldError(empty.text, 'synonyms')).toBe('请至少填写一个同义词,或选择一个含义');
    expect(await t.ctx.db.select().from(searchTerms)).toHaveLength(0);
  });

  it('saves a word with its meanings, audited, re-indexes the jobs that hold it, and deletes it', async () => {
    const res = await admin.post('/admin/search/terms', { word: '码头', synonyms: '港口 货柜', workplace: '港口机场', category: ['仓储分拣', '搬运装卸'] });
    expect(res.status).toBe(303);
    const page = await follow(admin, res);
    expect(flashes(page.text)[0]?.text).toContain('已保存搜索词「码头」');
    const [row] = await t.ctx.db.select().from(searchTerms).where(eq(searchTerms.word, '码头'));
    expect(row).toMatchObject({ synonyms: ['港口', '货柜'], meanings: { category: ['仓储分拣', '搬运装卸'], workplace: ['港口机场'] } });
    const [entry] = await auditEntries(t.ctx, 'search.term.save', row!.id);
    expect(entry?.after).toMatchObject({ word: '码头' });

    await reindexIdle();
    const runs = await t.ctx.db.select().from(searchReindexRuns);
    const run = runs.find((r) => r.words.includes('码头'));
    expect(run).toMatchObject({ total: 1, done: 1 });
    expect(run!.finishedAt).not.toBeNull();
    expect((await admin.get('/admin/search')).text).toContain('已完成 1 个职位');

    const removed = await admin.post(`/admin/search/terms/${row!.id}/delete`, {});
    expect(removed.status).toBe(303);
    expect(await t.ctx.db.select().from(searchTerms)).toHaveLength(0);
    expect(await auditEntries(t.ctx, 'search.term.delete', row!.id)).toHaveLength(1);
    expect((await admin.post('/admin/search/terms/999999/delete', {})).status).toBe(404);
  });
});
