// Search round 2 (issue 19): the dictionary (new words stay whole, synonyms, words with two meanings), partial
// matches below a divider instead of dead ends, the workplace as a field, a synonym added by an admin reaching
// another process, and analytics recorded with no personal data.
import { eq, sql } from 'drizzle-orm';
import { openDb } from '../src/db/client';
import { searchEvents, searchTerms } from '../src/db/schema';
import { searchListedJobs } from '../src/features/jobs/jobs.queries';
import { parseJobListQuery } from '../src/features/jobs/jobs.validation';
import { chinaDate } from '../src/domain/dates';
import { currentDictionary, Dictionary, dictionaryFileEntries, ensureDictionary, parseDictionary } from '../src/search/dictionary';
import { inferWorkplace } from '../src/search/jobTerms';
import { purgeOldSearchEvents, searchRecorderOf } from '../src/search/search.analytics';
import { reindexIdle } from '../src/search/search.reindex';
import { segmentDocument, segmentQuery } from '../src/search/segment';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, signedIn } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
let employerId: number;
const id: Record<string, number> = {};

async function search(q: string, extra = ''): Promise<{ ids: number[]; html: string; above: number[] }> {
  const res = await t.client().get(`/jobs?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return { ids: jobIdsIn(res.text), html: res.text, above: jobIdsIn(res.text.split('results-divider')[0]!) };
}

beforeAll(async () => {
  t = await createTestApp();
  const employer = await makeUser(t.ctx, 'employer');
  employerId = employer.id;
  await makeProfile(t.ctx, employerId, '深圳词库测试有限公司');
  const jobsToMake: Record<string, Parameters<typeof makeJob>[2]> = {
    picker: { title: '电商仓理货员', category: '仓储分拣', type: 'temp', settlement: 'monthly', benefits: [], description: '负责商品上架和出库复核。' },
    weeklyTemp: { title: '展会布展工', category: '普工', type: 'temp', settlement: 'weekly', benefits: [], description: '展馆布展,按周结算。' },
    dailyTemp: { title: '展会撤展工', category: '普工', type: 'temp', settlement: 'daily', benefits: [], description: '展馆撤展,干一天算一天。' },
    weeklyFull: { title: '车间组长', category: '普工', type: 'fulltime', settlement: 'weekly', benefits: [], description: '带班管理生产线。' },
    cleanerMeals: { title: '商场保洁员', category: '保洁', type: 'fulltime', settlement: 'monthly', benefits: ['包吃'], description: '商场公共区域清洁。' },
    guardHousing: { title: '小区门岗', category: '保安', type: 'fulltime', settlement: 'monthly', benefits: ['包住'], description: '小区出入登记。' },
    ktvWaiter: { title: '服务员', category: '服务员', type: 'parttime', settlement: 'daily', workplace: 'KTV', benefits: [], description: '包房服务,晚班。' },
    ktvInTitle: { title: 'KTV对面餐厅服务员', category: '服务员', type: 'parttime', settlement: 'daily', workplace: '餐厅', benefits: [], description: '中餐厅点餐传菜。' },
  };
  let hour = 50;
  for (const [key, fields] of Object.entries(jobsToMake)) {
    id[key] = await makeJob(t.ctx, employerId, { payMin: 200, payMax: null, payUnit: 'day', requirements: '身体健康', ...fields }, 'published', new Date(Date.now() - hour-- * 3600_000));
  }
});
afterAll(() => t.close());

describe('the dictionary', () => {
  it('keeps the words of the trade whole where jieba alone splits them', () => {
    expect(segmentQuery('拣货')).toEqual(['拣货']);
    expect(segmentQuery('周结工')).toEqual(['周结工']);
    expect(segmentQuery('电子厂普工包吃住')).toEqual(['电子厂', '普工', '包吃住']);
    expect(segmentDocument('物流园拣货员日结')).toEqual(expect.arrayContaining(['拣货', '拣货员', '日结', '物流园']));
  });

  it('is data: hundreds of entries, every field value checked against the vocabulary', () => {
    expect(dictionaryFileEntries().length).toBeGreaterThanOrEqual(90);
    expect(currentDictionary().size).toBeGreaterThanOrEqual(700);
    expect(() => parseDictionary('打杂 | category=打杂类')).toThrow(/unknown category/);
    expect(() => parseDictionary('打杂 | colour=red')).toThrow(/bad field/);
  });

  it('gives a word its synonyms and the fields it means, several when it has several', () => {
    const d = currentDictionary();
    expect(d.conceptOf('拣货').terms).toEqual(expect.arrayContaining(['分拣员', '理货员']));
    expect(d.conceptOf('拣货').meanings.category).toEqual(['仓储分拣']);
    expect(d.conceptOf('周结工').meanings).toEqual({ type: ['temp'], settlement: ['weekly'] });
    expect(d.conceptOf('qc').meanings.category).toEqual(['质检']);
    expect(d.conceptOf('坪山').meanings.district).toEqual(['坪山区']);
  });

  it('lets an admin row replace the file entry of its word', () => {
    const d = new Dictionary(parseDictionary('阿姨 大姐 | category=保洁'), [{ word: '阿姨', synonyms: ['保姆'], meanings: { category: ['家政'] } }]);
    expect(d.conceptOf('阿姨').meanings).toEqual({ category: ['家政'] });
    expect(d.conceptOf('大姐').meanings).toEqual({ category: ['保洁'] });
  });
});

describe('search with the dictionary', () => {
  it('finds the jobs of the category an everyday word means, not only the text that has it', async () => {
    const { ids } = await search('拣货');
    expect(ids[0]).toBe(id.picker);
  });

  it('ranks a job meeting both meanings of 周结工 above jobs meeting one', async () => {
    const { ids } = await search('周结工');
    expect(ids[0]).toBe(id.weeklyTemp);
    expect(ids.slice(1)).toEqual(expect.arrayContaining([id.dailyTemp, id.weeklyFull]));
  });

  it('never leaves a dead end: with no job having both words, the partial matches show under the divider', async () => {
    const { ids, html, above } = await search('保洁 包住');
    expect(html).toContain('没有同时符合全部条件的职位,以下职位部分符合');
    expect(above).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining([id.cleanerMeals, id.guardHousing]));
  });

  it('lists the jobs having every word first, then the divider, then the rest', async () => {
    const { html, above, ids } = await search('服务员 日结');
    expect(new Set(above)).toEqual(new Set([id.ktvWaiter, id.ktvInTitle]));
    expect(html).toContain('以下职位部分符合');
    expect(html).not.toContain('没有同时符合全部条件的职位');
    expect(ids.length).toBeGreaterThan(1);
  });

  it('shows no divider when every job found has all the words', async () => {
    const { html } = await search('拣货');
    expect(html).not.toContain('results-divider');
  });

  it('ranks a job located at the workplace named above one whose title only mentions it', async () => {
    const { ids } = await search('KTV');
    expect(ids.indexOf(id.ktvWaiter!)).toBeLessThan(ids.indexOf(id.ktvInTitle!));
    expect(ids.indexOf(id.ktvInTitle!)).toBeGreaterThanOrEqual(0);
  });
});

describe('the workplace of a job', () => {
  it('is inferred from the text when the employer does not choose it', async () => {
    expect(inferWorkplace('龙华电子厂普工')).toBe('电子厂');
    expect(inferWorkplace('量贩KTV服务员')).toBe('KTV');
    expect(inferWorkplace('五金厂包装工')).toBe('工厂');
    expect(inferWorkplace('家政员')).toBe('其他');
    const job = await makeJob(t.ctx, employerId, { title: '福永物流园叉车工', workplace: null });
    const row = (await t.ctx.db.execute(sql`select workplace from jobs where id = ${job}`)) as unknown as { rows: unknown[] };
    expect((row.rows[0] as { workplace: string }).workplace).toBe('物流园');
  });

  it('is a field of the job form, chosen from the list', async () => {
    const { client, user } = await signedIn(t, 'employer');
    await makeProfile(t.ctx, user.id);
    const page = await client.get('/employer/jobs/new');
    expect(page.text).toContain('name="workplace"');
    expect(page.text).toContain('<option value="KTV">KTV</option>');
  });
});

describe('a synonym added by an admin', () => {
  it('takes effect on the next search in this process and in another process on the same database', async () => {
    const job = await makeJob(t.ctx, employerId, { title: '夜班装柜工', category: '搬运装卸', description: '货柜装卸,夜班。' });
    expect((await search('搬砖')).ids).not.toContain(job);

    // The other process: its own database handle, with the dictionary loaded before the change.
    const url = t.ctx.config.databaseUrl;
    const other = url ? await openDb({ databaseUrl: url }) : null;
    try {
      const today = chinaDate(t.ctx.now());
      if (other) {
        const before = await searchListedJobs(other.db, parseJobListQuery({ q: '搬砖' }), today, await ensureDictionary(other.db));
        expect(before.rows.map((r) => r.id)).not.toContain(job);
      }
      const { client: admin } = await signedIn(t, 'admin');
      const res = await admin.post('/admin/search/terms', { word: '搬砖', synonyms: '装柜 卸柜', category: '搬运装卸' });
      expect(res.status).toBe(303);
      await reindexIdle();

      expect((await search('搬砖')).ids[0]).toBe(job);
      if (other) {
        const after = await searchListedJobs(other.db, parseJobListQuery({ q: '搬砖' }), today, await ensureDictionary(other.db));
        expect(after.rows[0]?.id).toBe(job);
      }
    } finally {
      await other?.close();
    }
    await t.ctx.db.delete(searchTerms).where(eq(searchTerms.word, '搬砖'));
  });
});

const UA = 'Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36';

describe('search analytics', () => {
  it('records the words, filters and result count of a search, and a click’s rank, with nothing personal', async () => {
    const { client } = await signedIn(t, 'seeker');
    const browser = (path: string, c = client) => c.agent.get(path).set('User-Agent', UA);
    const res = await browser(`/jobs?q=${encodeURIComponent('拣货 13912345678')}&district=${encodeURIComponent('龙华区')}`);
    expect(res.status).toBe(200);
    await browser(`/jobs/${id.picker}?sq=${encodeURIComponent('拣货')}&sr=1`);
    // A search answered from the page cache counts too; a crawler's does not.
    await browser(`/jobs?q=${encodeURIComponent('周结工')}`, t.client());
    await browser(`/jobs?q=${encodeURIComponent('周结工')}`, t.client());
    await t.client().agent.get(`/jobs?q=${encodeURIComponent('周结工')}`).set('User-Agent', 'Baiduspider');
    await searchRecorderOf(t.ctx).idle();

    const rows = await t.ctx.db.select().from(searchEvents);
    const search = rows.find((r) => r.kind === 'search' && r.query.startsWith('拣货'));
    expect(search).toMatchObject({ query: '拣货', filters: { district: '龙华区' } });
    expect(search!.results).toBe(Number(res.headers['x-search-results']));
    expect(search!.exact).toBe(Number(res.headers['x-search-exact']));
    expect(rows.find((r) => r.kind === 'click')).toMatchObject({ query: '拣货', rank: 1 });
    expect(rows.filter((r) => r.query === '周结工')).toHaveLength(2);
    // No phone number typed into the box, and no column that could hold a person.
    expect(JSON.stringify(rows)).not.toContain('13912345678');
    const columns = (await t.ctx.db.execute(sql`select column_name from information_schema.columns where table_name = 'search_events' order by 1`)) as unknown as { rows: unknown[] };
    expect((columns.rows as { column_name: string }[]).map((c) => c.column_name)).toEqual(['at', 'exact', 'filters', 'id', 'kind', 'query', 'rank', 'results']);
  });

  it('keeps records 180 days', async () => {
    const now = t.ctx.now();
    await t.ctx.db.insert(searchEvents).values([
      { kind: 'search', query: '旧的', results: 1, at: new Date(now.getTime() - 181 * 24 * 3600_000) },
      { kind: 'search', query: '新的', results: 1, at: new Date(now.getTime() - 179 * 24 * 3600_000) },
    ]);
    expect(await purgeOldSearchEvents(t.ctx.db, now)).toBe(1);
    const left = (await t.ctx.db.select().from(searchEvents)).map((r) => r.query);
    expect(left).toContain('新的');
    expect(left).not.toContain('旧的');
  });
});
