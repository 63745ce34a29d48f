// The top-N search (issue 21): ranking only the newest matches of each field a word names, kept only when a bound
// proves nothing else can rank higher, gives the same page as ranking every match: same jobs, same order, same
// partial flags and counts. Hundreds of jobs per field, so the walks stop before the end and the proof is needed;
// twins published at the same instant check the tie on time (id decides); old jobs whose titles name every word
// must still come first.
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/client';
import { chinaDate } from '../src/domain/dates';
import { SCORE, searchListedJobs, searchTopN } from '../src/features/jobs/jobs.queries';
import { deeperMayProve, unseenBound, type ArmWalk, type RankKey, type WordPlan } from '../src/search/topK';
import { parseJobListQuery, type JobInput } from '../src/features/jobs/jobs.validation';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

let t: TestApp;
/** The ranking statements' walk depths (their LIMIT parameters), in the order sent. */
const rankings: number[][] = [];

const POSTINGS: Partial<JobInput>[] = [
  { title: '电子厂普工日结', type: 'temp', category: '普工', district: '宝安区', settlement: 'daily', benefits: ['包吃', '包住'], description: '手机配件组装,坐着干活。' },
  { title: '仓库装卸 临时工', type: 'temp', category: '搬运装卸', district: '南山区', settlement: 'daily', benefits: ['包吃'], description: '仓库货物装卸搬运,当天结算。' },
  { title: '园区杂工 日结', type: 'temp', category: '普工', district: '南山区', settlement: 'daily', benefits: [], description: '科技园园区杂活,日结。' },
  { title: '写字楼保安', type: 'fulltime', category: '保安', district: '南山区', settlement: 'monthly', payMin: 5500, payUnit: 'month', benefits: ['交社保'], description: '大堂巡逻。' },
  { title: '酒店传菜员', type: 'temp', category: '服务员', district: '南山区', settlement: 'completion', benefits: ['包吃'], description: '婚宴传菜,做临时工也行。' },
  { title: '物流园分拣员', type: 'parttime', category: '仓储分拣', district: '龙华区', settlement: 'weekly', benefits: [], description: '包裹扫码分拣,离南山不远。' },
  { title: '餐厅服务员', type: 'fulltime', category: '服务员', district: '福田区', settlement: 'monthly', payMin: 4800, payUnit: 'month', benefits: ['包吃'], description: '点餐传菜,普工也可以。' },
];
const COPIES = 90;
/** The company of an employer whose account is disabled: its jobs are not listed, though they are the newest. */
const DISABLED_COMPANY = '深圳已停用测试有限公司';
/** Its jobs: more than half of a first-round walk. */
const DISABLED_JOBS = 120;

beforeAll(async () => {
  t = await createTestApp({
    pool: {
      logQuery: (query, params) => {
        if (!query.startsWith('with "w"') || !query.includes('"rank_value"')) return;
        const walks = query.slice(0, query.indexOf('\nselect '));
        rankings.push([...walks.matchAll(/limit \$(\d+)/g)].map((m) => Number(params[Number(m[1]) - 1])));
      },
    },
  });
  const verified = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, verified.id, '深圳已认证测试有限公司');
  await t.ctx.db.execute(sql`update employer_profiles set verified_at = now() where user_id = ${verified.id}`);
  const plain = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, plain.id, '深圳未认证测试有限公司');
  for (const posting of POSTINGS) {
    const source = await makeJob(t.ctx, verified.id, { payMin: 220, payMax: null, payUnit: 'day', ...posting }, 'published', new Date());
    // Copies spread over 45 days (freshness counts for 30), every other one by the unverified employer, and two
    // copies at each instant.
    await t.ctx.db.execute(sql`
      insert into jobs (employer_id, title, type, category, district, workplace, address, pay_min, pay_unit, pay_daily, settlement, headcount,
        benefits, description, contact_name, contact_phone, status, valid_until, published_at, search_vector, search_text)
      select case when n % 2 = 0 then ${plain.id} else employer_id end, title, type, category, district, workplace, address, pay_min, pay_unit,
        pay_daily, settlement, headcount, benefits, description, contact_name, contact_phone, status, valid_until,
        published_at - ((n / 2) * interval '12 hours') - (${source} % 7) * interval '17 minutes', search_vector, search_text
      from jobs, generate_series(1, ${COPIES}) as n where id = ${source}`);
  }
  // Older than every copy above, but their titles name both words: they outrank fresher jobs, and only a sound
  // bound finds them (a bound that forgot them would prove the newest 200 enough).
  for (const [i, title] of ['南山临时工 蛇口码头', '西丽 短期工 普工', '前海临时工'].entries()) {
    await makeJob(t.ctx, plain.id, { title, type: 'temp', category: '普工', district: '南山区', settlement: 'daily', payMin: 200, payMax: null, payUnit: 'day', benefits: [] }, 'published', new Date(Date.now() - (40 + i) * 86_400_000));
  }
  // The newest jobs of all, naming every word, by an employer whose account is then disabled: the walks read them
  // first (the account is checked per candidate), so they take most of a first round's rows, and must neither be
  // listed nor make the proof claim more than it saw.
  const disabled = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, disabled.id, DISABLED_COMPANY);
  const bait = await makeJob(
    t.ctx,
    disabled.id,
    { title: '南山临时工 普工 日结 包吃住 服务员', type: 'temp', category: '普工', district: '南山区', settlement: 'daily', benefits: ['包吃', '包住'], payMin: 300, payMax: null, payUnit: 'day' },
    'published',
    new Date(),
  );
  await t.ctx.db.execute(sql`
    insert into jobs (employer_id, title, type, category, district, workplace, address, pay_min, pay_unit, pay_daily, settlement, headcount,
      benefits, description, contact_name, contact_phone, status, valid_until, published_at, search_vector, search_text)
    select employer_id, title, type, category, district, workplace, address, pay_min, pay_unit, pay_daily, settlement, headcount, benefits,
      description, contact_name, contact_phone, status, valid_until, published_at + n * interval '1 second', search_vector, search_text
    from jobs, generate_series(1, ${DISABLED_JOBS - 1}) as n where id = ${bait}`);
  await t.ctx.db.execute(sql`update users set status = 'disabled' where id = ${disabled.id}`);
});
afterAll(() => t.close());

const QUERIES = [
  'q=普工',
  'q=南山 临时工',
  'q=南山 临时工&settlement=daily',
  'q=临时工&page=2',
  'q=南山&page=12',
  'q=保安',
  'q=南山 服务员',
  'q=服务员&type=fulltime',
  'q=科技园 普工',
  'q=临时工&page=20',
  // Words whose only field has no index of its own (settlement, benefits): walked over jobs_listed_idx.
  'q=日结',
  'q=包吃住',
  'q=日结 包吃&page=3',
  // A combination rarer than each of its fields (the conjunction's walk): 南山区 ∧ 日结 ∧ 包吃 is one posting.
  'q=南山 日结 包吃',
  'q=电子厂普工包吃住',
  // Searches the proof rarely settles (the word seldom in titles): the first round decides to rank every match.
  'q=周结',
  'q=日结 包吃住',
  'q=周结&page=2',
];

describe('the top-N search', () => {
  it.each(QUERIES)('gives the page of ranking every match: %s', async (qs) => {
    const q = parseJobListQuery(Object.fromEntries(new URLSearchParams(qs)), {});
    const today = chinaDate(t.ctx.now());
    const everything = await searchListedJobs(t.ctx.db, q, today, undefined, { exhaustive: true });
    const fast = await searchListedJobs(t.ctx.db, q, today);
    expect(fast.rows.map((r) => [r.id, r.partial])).toEqual(everything.rows.map((r) => [r.id, r.partial]));
    expect(fast.rows.filter((r) => r.companyName === DISABLED_COMPANY)).toEqual([]);
    expect({ total: fast.total, more: fast.more, exact: fast.exact }).toEqual({ total: everything.total, more: everything.more, exact: everything.exact });
  });

  it('is what answers the searches that name a field, past the first 200 jobs of one', async () => {
    const today = chinaDate(t.ctx.now());
    for (const qs of ['q=普工', 'q=南山 临时工&settlement=daily', 'q=南山&page=12', 'q=日结', 'q=包吃住', 'q=南山 日结 包吃']) {
      const page = await searchTopN(t.ctx.db, parseJobListQuery(Object.fromEntries(new URLSearchParams(qs)), {}), today);
      expect([qs, page?.rows.length]).toEqual([qs, 20]);
    }
    const [row] = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from jobs where district = '南山区' and status = 'published'`);
    expect(row!.n).toBeGreaterThan(200);
  });
});

/** The walk depths of each ranking statement a search sends, once its page is checked against ranking every match. */
async function walksOf(qs: string): Promise<number[][]> {
  const q = parseJobListQuery(Object.fromEntries(new URLSearchParams(qs)), {});
  const today = chinaDate(t.ctx.now());
  rankings.length = 0;
  const page = await searchTopN(t.ctx.db, q, today);
  const walks = [...rankings];
  const everything = await searchListedJobs(t.ctx.db, q, today, undefined, { exhaustive: true });
  expect(page!.rows.map((r) => r.id)).toEqual(everything.rows.map((r) => r.id));
  return walks;
}

describe('the walks of a search naming a category alone', () => {
  it('first walk it three pages deep: most of its jobs name it in their title', async () => {
    expect(await walksOf('q=保安')).toEqual([[60]]);
  });

  it('go on when that walk found only jobs of disabled employers (no candidate, yet the walk did not end)', async () => {
    // The disabled employer's 120 newest jobs are 普工 jobs: the first 60 rows walked are all theirs.
    expect(await walksOf('q=普工')).toEqual([[60], [200]]);
  });

  it('walk a district or a job type in full at once: their titles seldom name them', async () => {
    expect((await walksOf('q=南山'))[0]).toEqual([200]);
    expect((await walksOf('q=临时工&page=2'))[0]).toEqual([200]);
  });

  it('walk in full from the second page on (three pages deep is then more than half the first round)', async () => {
    expect((await walksOf('q=保安&page=2'))[0]).toEqual([200]);
    expect((await walksOf('q=普工&page=4'))[0]).toEqual([200]);
  });
});

describe('the walks of a search naming fields of two words', () => {
  it('first walk the jobs having a field of each word, and each field alone only a page deep', async () => {
    // 南山区, 服务员, then both: the conjunction's 200 newest prove the page, with 20 of each field alone.
    expect(await walksOf('q=南山 服务员')).toEqual([[20, 20, 200]]);
    expect(await walksOf('q=宝安 普工&page=2')).toEqual([[40, 40, 200]]);
  });

  it('go on to walk every field in full when that does not prove the page', async () => {
    // The old jobs whose titles name both words outrank the conjunction's newest: the rounds before this change.
    expect(await walksOf('q=南山 临时工&settlement=daily')).toEqual([
      [20, 20, 200],
      [200, 200, 200],
      [800, 800, 800],
    ]);
  });
});

describe('the bound of an unseen job', () => {
  const today = '2026-12-03';
  const day = (n: number) => Date.parse(`${today}T12:00:00+08:00`) - n * 86_400_000;
  // Two words, one field each (arms 0 and 1), and the conjunction of both (arm 2).
  const words: WordPlan[] = [
    { fields: [{ arms: [0] }], terms: true, phrase: false },
    { fields: [{ arms: [1] }], terms: true, phrase: false },
  ];
  const best = (walks: ArmWalk[]) => unseenBound(words, walks, today, SCORE)!.filter((b) => b.all).sort((a, b) => b.score - a.score)[0]!;

  it('lets a job with both fields be as old as the older arm, without a conjunction', () => {
    const b = best([{ complete: false, cutoffMs: day(1) }, { complete: false, cutoffMs: day(2) }]);
    expect(b.publishedMs).toBe(day(2));
    expect(b.score).toBeCloseTo(2 * (SCORE.field + SCORE.title + SCORE.text) + SCORE.freshness * (1 - 2 / 30) + SCORE.verified);
  });

  it('bounds it by the conjunction\'s cutoff, or rules it out when the conjunction was walked to its end', () => {
    const arms = [{ complete: false, cutoffMs: day(1) }, { complete: false, cutoffMs: day(2) }];
    expect(best([...arms, { complete: false, cutoffMs: day(40), conjunction: true }]).publishedMs).toBe(day(40));
    const rest = best([...arms, { complete: true, cutoffMs: day(40), conjunction: true }]);
    // Now the best unseen job matching both words has one by its field and the other by text only.
    expect(rest.score).toBeCloseTo(SCORE.field + 2 * (SCORE.title + SCORE.text) + SCORE.freshness * (1 - 1 / 30) + SCORE.verified);
  });

  it('ignores the conjunction when a word has a field no walk covers', () => {
    const loose: WordPlan[] = [words[0]!, { fields: [{ arms: [1] }, { arms: null }], terms: true, phrase: false }];
    const bounds = unseenBound(loose, [{ complete: false, cutoffMs: day(1) }, { complete: false, cutoffMs: day(2) }, { complete: true, cutoffMs: day(40), conjunction: true }], today, SCORE)!;
    expect(Math.max(...bounds.filter((b) => b.all).map((b) => b.score))).toBeCloseTo(2 * (SCORE.field + SCORE.title + SCORE.text) + SCORE.freshness * (1 - 2 / 30) + SCORE.verified);
  });
});

describe('whether a deeper walk may prove what the first round could not', () => {
  const today = '2026-12-03';
  const day = (n: number) => Date.parse(`${today}T12:00:00+08:00`) - n * 86_400_000;
  const fresh = (n: number) => SCORE.freshness * (1 - n / 30);
  const share = 200 / 1001;
  const oneWord: WordPlan[] = [{ fields: [{ arms: [0] }], terms: true, phrase: false }];
  const open: ArmWalk[] = [{ complete: false, cutoffMs: day(3) }];
  // A candidate with the field and the word in its text, not its title (周结: titles seldom say it).
  const byField = (n: number): RankKey => ({ all: true, score: SCORE.field + SCORE.text + fresh(n / 10), publishedMs: day(n / 10) });
  const byTitle = (n: number): RankKey => ({ all: true, score: SCORE.field + SCORE.title + SCORE.text + fresh(n / 10), publishedMs: day(n / 10) });

  it('gives up when no candidate could beat a job with the word in its title, however deep the walk', () => {
    const candidates = Array.from({ length: 20 }, (_, i) => byField(i));
    expect(deeperMayProve(oneWord, open, [false], candidates, share, 20, today, SCORE)).toBe(false);
  });

  it('goes on when enough candidates have it in the title (包吃住 proves at 800 rows)', () => {
    const candidates = [...Array.from({ length: 3 }, (_, i) => byTitle(i)), ...Array.from({ length: 17 }, (_, i) => byField(i))];
    expect(deeperMayProve(oneWord, open, [false], candidates, share, 20, today, SCORE)).toBe(true);
    // One is not enough: 1 ÷ (200 / 1001) = 5 is less than half of 20.
    expect(deeperMayProve(oneWord, open, [false], candidates.slice(2), share, 20, today, SCORE)).toBe(false);
  });

  it('goes on when the conjunction of the words\' fields may be walked to its end (电子厂普工包吃住)', () => {
    const twoWords: WordPlan[] = [
      { fields: [{ arms: [0] }], terms: true, phrase: false },
      { fields: [{ arms: [1] }], terms: true, phrase: false },
    ];
    const walks: ArmWalk[] = [...open, { complete: false, cutoffMs: day(2) }, { complete: false, cutoffMs: day(20), conjunction: true }];
    // Both fields, both words in the text, neither in the title.
    const candidates = Array.from({ length: 20 }, (_, i): RankKey => ({ all: true, score: 2 * (SCORE.field + SCORE.text) + fresh(i), publishedMs: day(i) }));
    expect(deeperMayProve(twoWords, walks, [false, false, false], candidates, share, 20, today, SCORE)).toBe(false);
    expect(deeperMayProve(twoWords, walks, [false, false, true], candidates, share, 20, today, SCORE)).toBe(true);
  });
});
