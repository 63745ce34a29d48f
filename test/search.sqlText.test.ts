// SQL written as text (db/sqlText.ts, issue 21): the top-N search's statements are built as text with numbered
// parameters, and drizzle queries (the full ranking, the talent pool) take the same pieces through toDrizzle. The
// builder numbers and splices as drizzle does; the same word tests give the same rows and the same floats both
// ways; and for many generated searches the text-built top-N page is the page of ranking every match by drizzle.
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { queryRows } from '../src/db/client';
import { andText, columnText, joinText, orText, rawText, runText, sqlText, statementOf, textArrayText, toDrizzle } from '../src/db/sqlText';
import { chinaDate } from '../src/domain/dates';
import { searchListedJobs, searchTopN } from '../src/features/jobs/jobs.queries';
import { parseJobListQuery, type JobInput } from '../src/features/jobs/jobs.validation';
import { currentDictionary } from '../src/search/dictionary';
import { fieldPart, keywordMatch, keywordMatchText, queryWords, type SearchTarget } from '../src/search/keywordMatch';
import { segmentQuery } from '../src/search/segment';
import { jobs } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';
import { makeJob, makeProfile } from './helpers/jobs';

describe('SQL text', () => {
  it('numbers the values $1, $2 … in order, splicing pieces and joined lists into the text', () => {
    const inner = sqlText`b in (${joinText([sqlText`${'x'}`, sqlText`${'y'}`], ', ')})`;
    const t = sqlText`select ${rawText('"c"')} from t where a = ${1} and ${inner} and d @> ${textArrayText(['包吃', '包住'])}`;
    expect(statementOf(t)).toEqual({ text: 'select "c" from t where a = $1 and b in ($2, $3) and d @> array[$4, $5]::text[]', values: [1, 'x', 'y', '包吃', '包住'] });
  });

  it('writes and/or as drizzle does: one condition as is, several in parentheses', () => {
    const a = sqlText`a = ${1}`;
    expect(andText([a])).toBe(a);
    expect(statementOf(orText([a, sqlText`b = ${2}`]))).toEqual({ text: '(a = $1 or b = $2)', values: [1, 2] });
    expect(statementOf(andText([a, rawText('true')])).text).toBe('(a = $1 and true)');
  });

  it('gives the identity for no condition (and: true, or: false), never an empty "()"', () => {
    expect(statementOf(andText([]))).toEqual({ text: 'true', values: [] });
    expect(statementOf(orText([]))).toEqual({ text: 'false', values: [] });
    expect(statementOf(sqlText`select 1 where ${andText([])} and not ${orText([])}`).text).toBe('select 1 where true and not false');
  });

  it('gives drizzle the same statement and values (toDrizzle)', () => {
    const t = sqlText`select ${columnText(jobs.title)} from "jobs" where ${orText([sqlText`${columnText(jobs.district)} = ${'南山区'}`, sqlText`${columnText(jobs.benefits)} @> ${textArrayText(['包吃'])}`])} limit ${20}`;
    const viaDrizzle = new PgDialect().sqlToQuery(sql`${toDrizzle(t)}`);
    expect({ text: viaDrizzle.sql, values: viaDrizzle.params }).toEqual(statementOf(t));
  });
});

let t: TestApp;

const POSTINGS: Partial<JobInput>[] = [
  { title: '电子厂普工日结', type: 'temp', category: '普工', district: '宝安区', settlement: 'daily', benefits: ['包吃', '包住'], description: '手机配件组装,坐着干活。' },
  { title: '仓库装卸 临时工', type: 'temp', category: '搬运装卸', district: '南山区', settlement: 'daily', benefits: ['包吃'], description: '仓库货物装卸搬运,当天结算。' },
  { title: '写字楼保安', type: 'fulltime', category: '保安', district: '南山区', settlement: 'monthly', payMin: 5500.5, payUnit: 'month', benefits: ['交社保'], description: '大堂巡逻。' },
  { title: '酒店传菜员', type: 'temp', category: '服务员', district: '南山区', settlement: 'completion', benefits: ['包吃'], description: '婚宴传菜,做临时工也行。' },
  { title: '物流园分拣员', type: 'parttime', category: '仓储分拣', district: '龙华区', settlement: 'weekly', benefits: [], description: '包裹扫码分拣,离南山不远。' },
  { title: '餐厅服务员', type: 'fulltime', category: '服务员', district: '福田区', settlement: 'monthly', payMin: 4800, payMax: 6200.25, payUnit: 'month', benefits: ['包吃'], description: '点餐传菜,普工也可以。' },
];
const COPIES = 60;

beforeAll(async () => {
  t = await createTestApp();
  const verified = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, verified.id, '深圳已认证文本有限公司');
  await t.ctx.db.execute(sql`update employer_profiles set verified_at = now() where user_id = ${verified.id}`);
  const plain = await makeUser(t.ctx, 'employer');
  await makeProfile(t.ctx, plain.id, '深圳未认证文本有限公司');
  for (const posting of POSTINGS) {
    const source = await makeJob(t.ctx, verified.id, { payMin: 220, payMax: null, payUnit: 'day', ...posting }, 'published', new Date());
    // Copies over 30 days, every other one by the unverified employer, some refreshed (first_published_at set).
    await t.ctx.db.execute(sql`
      insert into jobs (employer_id, title, type, category, district, workplace, address, pay_min, pay_max, pay_unit, pay_daily, settlement, headcount,
        benefits, description, contact_name, contact_phone, status, valid_until, published_at, first_published_at, search_vector, search_text)
      select case when n % 2 = 0 then ${plain.id} else employer_id end, title, type, category, district, workplace, address, pay_min, pay_max, pay_unit,
        pay_daily, settlement, headcount, benefits, description, contact_name, contact_phone, status, valid_until,
        published_at - (n * interval '11 hours 17 minutes 3.123456 seconds'),
        case when n % 5 = 0 then published_at - (n * interval '13 hours 0.5 seconds') end, search_vector, search_text
      from jobs, generate_series(1, ${COPIES}) as n where id = ${source}`);
  }
});
afterAll(() => t.close());

/** A small deterministic generator (the same searches every run). */
function generator(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

const WORDS = ['普工', '南山', '临时工', '日结', '包吃', '服务员', '保安', '龙华', '宝安', '仓库', '传菜', '周结', '电子厂', '分拣', '包吃住', '兼职'];
const FILTERS = ['', '&settlement=daily', '&type=temp', '&district=南山区', '&type=fulltime', '&benefits=包吃'];

/** Generated searches: one to three words, a filter or none, pages 1 to 3. */
function generatedSearches(count: number): string[] {
  const next = generator(21);
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: 1 + next(3) }, () => WORDS[next(WORDS.length)]!);
    return `q=${[...new Set(words)].join(' ')}${FILTERS[next(FILTERS.length)]}&page=${1 + next(3)}`;
  });
}

describe('the text-built search', () => {
  it('gives, for many generated searches, the page of ranking every match (same jobs, order, flags, counts)', async () => {
    const today = chinaDate(new Date());
    let proved = 0;
    for (const qs of generatedSearches(60)) {
      const q = parseJobListQuery(Object.fromEntries(new URLSearchParams(qs)), {});
      const top = await searchTopN(t.ctx.db, q, today);
      const full = await searchListedJobs(t.ctx.db, q, today, undefined, { exhaustive: true });
      if (!top) continue;
      proved++;
      expect({ qs, rows: top.rows }).toEqual({ qs, rows: full.rows });
      expect({ qs, total: top.total, more: top.more }).toEqual({ qs, total: full.total, more: full.more });
      // `exact` past a page's worth is "at least those seen" on the top-N path (docs/performance.md, round 3).
      if (full.exact < q.page * 20) expect({ qs, exact: top.exact }).toEqual({ qs, exact: full.exact });
    }
    // Most of them are answered by the top-N path, so the comparison is not empty.
    expect(proved).toBeGreaterThan(30);
  });

  it('gives the same rows and the same scores through drizzle and as text, for the same word tests', async () => {
    const target: SearchTarget = {
      vector: columnText(jobs.searchVector),
      text: columnText(jobs.searchText),
      fields: (m) => [
        ...(m.district?.length ? [fieldPart(sqlText`${columnText(jobs.district)} = any(${textArrayText(m.district)})`)] : []),
        ...(m.settlement?.length ? [fieldPart(sqlText`${columnText(jobs.settlement)}::text = any(${textArrayText(m.settlement)})`)] : []),
      ],
      weights: { field: 2, primary: 1, text: 0.5 },
    };
    const dictionary = currentDictionary();
    for (const qs of generatedSearches(20)) {
      const words = segmentQuery(new URLSearchParams(qs).get('q')!, dictionary);
      const text = keywordMatchText(target, queryWords(words, dictionary));
      const viaDrizzle = keywordMatch(target, queryWords(words, dictionary));
      const asText = await runText<{ id: number; score: number; all_words: boolean }>(t.ctx.db, sqlText`select id, ${text.score} as score, coalesce(${text.all}, false) as all_words from jobs where ${text.where} order by id`);
      const drizzled = await queryRows<{ id: number; score: number; all_words: boolean }>(t.ctx.db, sql`select id, ${viaDrizzle.score} as score, coalesce(${viaDrizzle.all}, false) as all_words from jobs where ${viaDrizzle.where} order by id`);
      expect({ qs, rows: asText }).toEqual({ qs, rows: drizzled });
    }
  });
});
