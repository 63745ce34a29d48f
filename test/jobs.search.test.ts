// Chinese search over a fixed set of jobs: which job ranks first, which are found, which are not.
import { eq, sql } from 'drizzle-orm';
import { jobs } from '../src/db/schema';
import type { JobInput } from '../src/features/jobs/jobs.validation';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';
import { jobIdsIn } from './helpers/html';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
const id: Record<string, number> = {};

const FIXTURES: Record<string, Partial<JobInput>> = {
  factory: { title: '电子厂普工日结', type: 'temp', category: '普工', district: '宝安区', settlement: 'daily', benefits: ['包吃', '包住'], description: '手机配件组装、贴膜和包装,坐着干活。' },
  jd: { title: '京东物流园分拣员', type: 'temp', category: '仓储分拣', district: '龙华区', settlement: 'daily', payMin: 25, payUnit: 'hour', benefits: [], description: '物流园包裹扫码分拣上架,夜班有宵夜。' },
  waiter: { title: '餐厅服务员兼职', type: 'parttime', category: '服务员', district: '福田区', settlement: 'weekly', benefits: ['餐补'], description: '午市晚市点餐、传菜、收台,时间灵活。' },
  cleaner: { title: '科技园写字楼保洁员', type: 'parttime', category: '保洁', district: '南山区', settlement: 'weekly', benefits: [], description: '写字楼公共区域保洁,也可以做临时工,按小时计。' },
  nsTemp: { title: '仓库装卸 临时工', type: 'temp', category: '搬运装卸', district: '南山区', settlement: 'daily', benefits: ['包吃'], description: '仓库货物装卸搬运,当天结算。' },
  guard: { title: '写字楼保安', type: 'fulltime', category: '保安', district: '南山区', settlement: 'monthly', payMin: 5500, payUnit: 'month', benefits: ['交社保'], description: '大堂和停车场安保巡逻。' },
  baTemp: { title: '物流仓库搬运 临时工', type: 'temp', category: '搬运装卸', district: '宝安区', settlement: 'daily', benefits: [], description: '宝安西乡仓库搬运,离南山很近,坐地铁一站。' },
  forklift: {
    title: '叉车司机',
    type: 'dispatch',
    category: '司机',
    district: '光明区',
    settlement: 'monthly',
    payMin: 6500,
    payUnit: 'month',
    benefits: ['交社保'],
    description: '仓库叉车装卸作业。',
    dispatchAgencyName: '深圳测试派遣有限公司',
    dispatchAgencyLicense: '440305202300128',
    worksiteEmployerName: '光明测试物流有限公司',
  },
  sewing: { title: '服装厂车位工 计件', type: 'temp', category: '操作工', district: '龙岗区', settlement: 'weekly', payMin: 2, payMax: 3, payUnit: 'piece', benefits: ['包住'], description: '平车冚车,按件计价。' },
  courier: { title: '快递员 多劳多得', type: 'fulltime', category: '快递配送', district: '罗湖区', settlement: 'monthly', payMin: 6000, payUnit: 'month', benefits: ['包吃', '包住'], description: '片区快递派送揽收。' },
  banquet: { title: '酒店传菜员', type: 'temp', category: '服务员', district: '南山区', settlement: 'completion', benefits: ['包吃'], description: '婚宴传菜收台,一场结束当天结算。' },
  inspector: { title: '质检员 长白班', type: 'fulltime', category: '质检', district: '福田区', settlement: 'monthly', payMin: 5500, payUnit: 'month', benefits: [], description: '产品外观检验,挑出不良品。' },
};

beforeAll(async () => {
  t = await createTestApp();
  const employer = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, employer.id, '深圳搜索测试有限公司');
  let hour = 100;
  for (const [key, fields] of Object.entries(FIXTURES)) {
    id[key] = await makeJob(t.ctx, employer.id, { payMin: 220, payMax: null, payUnit: 'day', requirements: '身体健康', ...fields }, 'published', new Date(Date.now() - hour-- * 3600_000));
  }
  // A job that is not published must never be found.
  await makeJob(t.ctx, employer.id, { title: '电子厂普工 草稿', category: '普工' }, 'draft');
});
afterAll(() => t.close());

async function search(q: string, extra = ''): Promise<{ ids: number[]; html: string }> {
  const res = await t.client().get(`/jobs?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return { ids: jobIdsIn(res.text), html: res.text };
}

describe('Chinese keyword search', () => {
  it('stores segmented words, the title weighted highest', async () => {
    const [row] = await t.ctx.db.select({ v: sql<string>`${jobs.searchVector}::text` }).from(jobs).where(eq(jobs.id, id.factory!));
    expect(row!.v).toMatch(/'普工':\d+A/);
    expect(row!.v).toMatch(/'日结':\d+[AB]/);
    expect(row!.v).toMatch(/'宝安':\d+B/);
    expect(row!.v).toMatch(/'宝安区':\d+B/);
    expect(row!.v).toContain("'包吃住'");
  });

  it('普工 finds 电子厂普工日结 first, and not the draft', async () => {
    const { ids, html } = await search('普工');
    expect(ids[0]).toBe(id.factory);
    expect(ids).not.toContain(id.waiter);
    expect(html).not.toContain('电子厂普工 草稿');
  });

  it('南山 临时工 ranks temp jobs in 南山区 first', async () => {
    const { ids } = await search('南山 临时工');
    expect(new Set(ids.slice(0, 2))).toEqual(new Set([id.nsTemp, id.banquet]));
    // Jobs that only mention the words in their text come after, and jobs with neither are not found.
    expect(ids).toContain(id.cleaner);
    expect(ids).toContain(id.baTemp);
    expect(ids.indexOf(id.cleaner!)).toBeGreaterThan(1);
    expect(ids.indexOf(id.baTemp!)).toBeGreaterThan(1);
    // Jobs with only one of the words come below the divider, never above it (issue 19: no dead ends).
    const { html } = await search('南山 临时工');
    const above = jobIdsIn(html.split('results-divider')[0]!);
    expect(above).not.toContain(id.guard);
    expect(above).not.toContain(id.factory);
    expect(html).toContain('以下职位部分符合');
  });

  it('南山区 (with 区) means the same district', async () => {
    const { ids } = await search('南山区 临时工');
    expect(new Set(ids.slice(0, 2))).toEqual(new Set([id.nsTemp, id.banquet]));
  });

  it('分拣 and 分拣员 find the 京东 sorting job first', async () => {
    expect((await search('分拣')).ids[0]).toBe(id.jd);
    expect((await search('分拣员')).ids[0]).toBe(id.jd);
    expect((await search('京东')).ids).toEqual([id.jd]);
    expect((await search('龙华 分拣员')).ids[0]).toBe(id.jd);
  });

  it('日结 lists the jobs settled daily first', async () => {
    const { ids } = await search('日结');
    // 当天结算 in a completion-settled job's text is a synonym's match: it may follow, never lead.
    expect(new Set(ids.slice(0, 4))).toEqual(new Set([id.factory, id.jd, id.nsTemp, id.baTemp]));
  });

  it('派遣 and 劳务派遣 find the dispatch job', async () => {
    expect((await search('派遣')).ids[0]).toBe(id.forklift);
    expect((await search('劳务派遣')).ids[0]).toBe(id.forklift);
    expect((await search('叉车')).ids[0]).toBe(id.forklift);
  });

  it('保安 and 服务员 rank jobs with the word in their title first', async () => {
    expect((await search('保安')).ids).toEqual([id.guard]);
    const waiters = (await search('服务员')).ids;
    expect(new Set(waiters.slice(0, 2))).toEqual(new Set([id.waiter, id.banquet]));
    expect(waiters).not.toContain(id.cleaner);
  });

  it('包吃住 finds jobs that give both meals and housing', async () => {
    const { ids } = await search('包吃住');
    expect(new Set(ids)).toEqual(new Set([id.factory, id.courier]));
  });

  it('南山 保洁 finds the cleaner first', async () => {
    expect((await search('南山 保洁')).ids[0]).toBe(id.cleaner);
  });

  it('a single character falls back to substring matching (厂 in 电子厂 and 服装厂)', async () => {
    const { ids, html } = await search('厂');
    expect(new Set(ids)).toEqual(new Set([id.factory, id.sewing]));
    expect(html).toContain('没有完全匹配的结果');
    // Typed with a space, the two characters are still the word 普工.
    const spaced = await search('普 工');
    expect(spaced.ids[0]).toBe(id.factory);
  });

  it('finds nothing for words no job has, with the empty state', async () => {
    const { ids, html } = await search('宇航员');
    expect(ids).toEqual([]);
    expect(html).toContain('没有找到“宇航员”相关的职位');
    expect(html).toContain('大家都在搜');
  });

  it('combines with filters, and sorting by pay overrides relevance', async () => {
    expect(new Set((await search('临时工', `&district=${encodeURIComponent('宝安区')}`)).ids)).toEqual(new Set([id.baTemp, id.factory]));
    const byPay = (await search('南山', '&sort=pay')).ids;
    expect(byPay[0]).toBe(id.guard); // 5500 元/月 ≈ 252.87 元/天, above 220 元/天
  });

  it('treats full-width input and tsquery operators as plain text', async () => {
    const fullWidth = await search('南山\u3000临时工');
    expect(new Set(fullWidth.ids.slice(0, 2))).toEqual(new Set([id.nsTemp, id.banquet]));
    expect((await search("普工:* & !日结 | '")).ids[0]).toBe(id.factory);
  });

  it('finds a job by its company name', async () => {
    expect((await search('搜索测试')).ids.length).toBe(Object.keys(FIXTURES).length);
  });
});
