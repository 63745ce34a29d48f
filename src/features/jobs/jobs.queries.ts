// Owns the reads of jobs: public lists and Chinese search, a job with its employer, an employer's own
// jobs with their counts, the review queue and the report queue. Drizzle, but for the search's conditions and the
// top-N search's statements, written as SQL text (db/sqlText.ts, issue 21) that drizzle queries take too; plain rows out.
import { and, asc, count, desc, eq, getTableColumns, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { generationsOf, type Generations } from '../../db/generations';
import { perDatabase, withCompiledRowMapping } from '../../db/prepared';
import { SharedReads } from '../../db/sharedReads';
import { andText, columnText, joinText, orText, rawText, runText, sqlText, textArrayText, toDrizzle, type SqlText } from '../../db/sqlText';
import { textArray } from '../../db/sqlValues';
import { maskJobText } from './jobs.masking';
import { applications, changeGenerations, employerProfiles, jobReports, jobs, users } from '../../db/schema';
import { CATEGORIES, DISTRICTS, type JobStatus } from '../../domain/vocabulary';
import type { TermMeanings } from '../../db/schema';
import { currentDictionary, type Dictionary } from '../../search/dictionary';
import {
  fieldPart,
  fuzzyMatchText,
  keywordMatchText,
  num,
  queryWords,
  wordMatched,
  wordScore,
  type FieldPart,
  type QueryWord,
  type SearchTarget,
  type WordMatch,
  type WordTests,
} from '../../search/keywordMatch';
import { segmentQuery } from '../../search/segment';
import { containsPattern } from '../../search/tsvector';
import { beatsAll, deeperMayProve, unseenBound, type ArmWalk, type WordPlan } from '../../search/topK';
import { PAGE_SIZE, type JobListQuery } from './jobs.validation';

export type JobRow = typeof jobs.$inferSelect;

/**
 * Columns a job card shows; shared by every job list. The public lists (search, latest, similar, sitemap) give
 * their cards with mobile numbers masked (maskJobText), for everyone: the full text is on the job page, for
 * signed-in visitors.
 */
/**
 * The company a job is shown under: the employer's profile, or, for a job staff posted for a client company
 * (issue 22), the dispatch company that posted it (its 派遣单位): applicants' data goes to it, not to the client.
 */
const jobCompanyNameText = sqlText`coalesce(${columnText(employerProfiles.companyName)}, case when ${columnText(jobs.clientCompanyId)} is not null then ${columnText(jobs.dispatchAgencyName)} end)`;
export const jobCompanyName = toDrizzle(jobCompanyNameText) as SQL<string | null>;
/** Whether the company is verified. */
const jobVerifiedText = sqlText`${columnText(employerProfiles.verifiedAt)} is not null`;

export const jobCardColumns = {
  id: jobs.id,
  title: jobs.title,
  type: jobs.type,
  category: jobs.category,
  district: jobs.district,
  payMin: jobs.payMin,
  payMax: jobs.payMax,
  payUnit: jobs.payUnit,
  settlement: jobs.settlement,
  benefits: jobs.benefits,
  headcount: jobs.headcount,
  publishedAt: jobs.publishedAt,
  firstPublishedAt: jobs.firstPublishedAt,
  status: jobs.status,
  companyName: jobCompanyName,
  verified: toDrizzle(jobVerifiedText) as SQL<boolean>,
};

export type JobCard = {
  id: number;
  title: string;
  type: 'temp' | 'parttime' | 'dispatch' | 'fulltime';
  category: string;
  district: string;
  payMin: number;
  payMax: number | null;
  payUnit: 'hour' | 'day' | 'month' | 'piece';
  settlement: 'daily' | 'weekly' | 'monthly' | 'completion';
  benefits: string[];
  headcount: number;
  /** Set once the employer refreshed the job: `publishedAt` is then the refresh time, shown as 更新于. */
  firstPublishedAt?: Date | null;
  publishedAt: Date | null;
  status: string;
  companyName: string | null;
  verified: boolean;
  /** In a search: matches only some of the words (shown below the 以下职位部分符合 divider). */
  partial?: boolean;
};

/**
 * What the public may list: published, still valid on `today` (China date) even before the expiry task
 * has run, and posted by an account that is not disabled. Needs the users join of `publicJobs`.
 */
export function listedCondition(today: string): SQL {
  return toDrizzle(listedText(today));
}

function listedText(today: string): SqlText {
  return andText([listedJobText(today), ACTIVE_EMPLOYER]);
}

/** The job's own part of `listedText`: published and still valid (no join). */
function listedJobText(today: string): SqlText {
  return andText([sqlText`${columnText(jobs.status)} = ${'published'}`, sqlText`${columnText(jobs.validUntil)} >= ${today}`]);
}

/** The employer's part of `listedText`: an account that is not disabled (the users join). */
const ACTIVE_EMPLOYER = sqlText`${columnText(users.status)} = ${'active'}`;

/** Job cards joined with the employer account (for its status) and company profile. */
function jobCards(db: Db) {
  return db
    .select(jobCardColumns)
    .from(jobs)
    .innerJoin(users, eq(users.id, jobs.employerId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId));
}

export async function listLatestPublishedJobs(db: Db, today: string, limit: number): Promise<JobCard[]> {
  const rows = await jobCards(db)
    .where(listedCondition(today))
    .orderBy(desc(jobs.publishedAt), desc(jobs.id))
    .limit(limit);
  return rows.map(maskJobText);
}

// ---- Search ----

export type SearchMode = 'none' | 'text' | 'fuzzy';
/** `total` is exact up to COUNT_CAP; past it, `more` is true and `total` is COUNT_CAP. */
/**
 * `exact`: how many match every word (the rest, below the divider, match some). Cards of partial matches carry
 * `partial: true`.
 */
export type JobSearchPage = { rows: JobCard[]; total: number; more: boolean; exact: number; mode: SearchMode; words: string[] };

/**
 * Lists count at most this many jobs (50 pages): counting all 85,000 listed jobs on every visit costs more
 * than the page itself, and nobody pages past 50; the page says 1000+ and the filters narrow it.
 */
export const COUNT_CAP = 1000;

function filterConditions(q: JobListQuery, today: string): SqlText[] {
  return [listedText(today), ...fieldFilters(q)];
}

/** The filters of `q` on the job's own columns (type, district, settlement, category, pay, benefits). */
function fieldFilters(q: JobListQuery): SqlText[] {
  const where: SqlText[] = [];
  if (q.type) where.push(sqlText`${columnText(jobs.type)} = ${q.type}`);
  if (q.district) where.push(sqlText`${columnText(jobs.district)} = ${q.district}`);
  if (q.settlement) where.push(sqlText`${columnText(jobs.settlement)} = ${q.settlement}`);
  if (q.category) where.push(sqlText`${columnText(jobs.category)} = ${q.category}`);
  if (q.payMin) where.push(sqlText`${columnText(jobs.payDaily)} >= ${String(q.payMin)}`);
  if (q.benefits.length) where.push(sqlText`${columnText(jobs.benefits)} @> ${textArrayText(q.benefits)}`);
  return where;
}

/**
 * The conditions of the job fields a query word names, each with its walks for the top-N search: one per value,
 * newest first over `jobs_listed_<field>_idx` (category, district, type, workplace) or over `jobs_listed_idx`
 * with the value as a filter (settlement, and a benefit set, e.g. 包吃+包住), whichever the planner finds cheaper.
 */
function jobFieldParts(m: TermMeanings): FieldPart[] {
  const parts: FieldPart[] = [];
  const scalar = (column: AnyColumn, values: string[] | undefined, titled = false) => {
    if (!values?.length) return;
    const field = columnText(column);
    parts.push(fieldPart(sqlText`${field} in (${joinText(values.map((v) => sqlText`${v}`), ', ')})`, values.map((v) => sqlText`${field} = ${v}`), titled));
  };
  // A job's title names its category (电子厂普工, 写字楼保安) far more often than its district or type.
  scalar(jobs.category, m.category, true);
  scalar(jobs.type, m.type);
  scalar(jobs.settlement, m.settlement);
  scalar(jobs.workplace, m.workplace);
  scalar(jobs.district, m.district);
  if (m.benefit?.length) {
    // 包吃+包住: the job must have both; a list of alternatives: any of them.
    const sets = m.benefit.map((b) => sqlText`${columnText(jobs.benefits)} @> ${textArrayText(b.split('+'))}`);
    parts.push(fieldPart(orText(sets), sets));
  }
  return parts;
}

/** Weights of the ranking (docs/search.md): a field the word names counts most, then the title, then the body. */
export const SCORE = { field: 2, title: 1, text: 0.5, freshness: 0.3, freshnessDays: 30, verified: 0.1 } as const;

/** Jobs as a search target: the title is the tsvector's weight A. */
const JOB_TARGET: SearchTarget = {
  vector: columnText(jobs.searchVector),
  text: columnText(jobs.searchText),
  fields: jobFieldParts,
  weights: { field: SCORE.field, primary: SCORE.title, text: SCORE.text },
};

/** The sum of the words' scores, plus a mild freshness and verified bonus. */
function rankOf(words: WordTests[], publishedAt: SqlText, verifiedAt: SqlText, today: string): SqlText {
  const ageDays = sqlText`greatest(0, ${today}::date - (${publishedAt} at time zone 'Asia/Shanghai')::date)`;
  const freshness = sqlText`${num(SCORE.freshness)} * greatest(0, 1 - ${ageDays} / ${num(SCORE.freshnessDays)})`;
  const verified = sqlText`(case when ${verifiedAt} is not null then ${num(SCORE.verified)} else 0 end)`;
  return sqlText`(${joinText(words.map((t) => wordScore(JOB_TARGET.weights, t)), ' + ')} + ${freshness} + ${verified})`;
}

/**
 * A keyword match. `where`: the job matches at least one word. `all`: it matches every word (the jobs above
 * the 以下职位部分符合 divider). `rank`: the sum of the words' scores, plus a mild freshness and verified bonus.
 * `words`: each word's tests and fields, for the top-N search.
 */
type TextMatch = { where: SqlText; all?: SqlText; rank?: SqlText; words?: WordMatch[] };

function jobKeywordMatch(words: QueryWord[], today: string): TextMatch {
  const { where, all, words: perWord = [] } = keywordMatchText(JOB_TARGET, words);
  const rank = rankOf(perWord.map((w) => w.tests), columnText(jobs.publishedAt), columnText(employerProfiles.verifiedAt), today);
  return { where, all, rank, words: perWord };
}

/** The fallback when no job matches any word (see fuzzyMatchText). */
function jobFuzzyMatch(words: string[], phrase: string): TextMatch {
  const fuzzy = fuzzyMatchText(columnText(jobs.searchText), words, phrase);
  return { where: fuzzy.where, all: fuzzy.all, rank: fuzzy.score };
}

function orderFor(q: JobListQuery, match: TextMatch | undefined): SQL[] {
  const allFirst = match?.all ? [sql`(case when ${toDrizzle(match.all)} then 0 else 1 end)`] : [];
  if (q.sort === 'pay') return [...allFirst, sql`${jobs.payDaily} desc nulls last`, desc(jobs.publishedAt), desc(jobs.id)];
  if (q.sort === 'latest' || !match?.rank) return [...allFirst, desc(jobs.publishedAt), desc(jobs.id)];
  return [...allFirst, sql`${toDrizzle(match.rank)} desc`, desc(jobs.publishedAt), desc(jobs.id)];
}

/** The listed jobs matching `where`, counted up to one past COUNT_CAP (a plain list: counting 85,000 costs more than the page). */
async function countWhere(db: Db, where: SqlText[]): Promise<number> {
  const matching = db
    .select({ one: sql`1` })
    .from(jobs)
    .innerJoin(users, eq(users.id, jobs.employerId))
    .where(toDrizzle(andText(where)))
    .limit(COUNT_CAP + 1)
    .as('matching');
  const [row] = await db.select({ n: count() }).from(matching);
  return row?.n ?? 0;
}

/** The listed jobs and their employers' accounts: what the conditions of `listedText` and the filters read. */
const LISTED_FROM = rawText('from "jobs" inner join "users" on "users"."id" = "jobs"."employer_id"');

/** The listed jobs meeting `where`, as a query to count or estimate. */
const listedWhere = (where: SqlText[]) => sqlText`select 1 ${LISTED_FROM} where ${andText(where)}`;

/**
 * Jobs alone meeting `where` (conditions on the job's columns only): the walks of the top-N search and the planner's
 * estimates. The employer's account is checked once per candidate instead (rankCandidates): probing it for every
 * walked row cost a quarter of the walks, and the join a third of the estimate's planning (issue 21).
 */
const jobsWhere = (where: SqlText[]) => sqlText`from "jobs" where ${andText(where)}`;

/**
 * Listed jobs matching `where`, and how many of them match every word, each counted up to `upTo` (at least one
 * past COUNT_CAP, which is all a list shows: `total` and `exact` are capped there). Counting every match of a
 * common word (周结, 日结 包吃住: tens of thousands) cost as much as ranking them; a count that stops at 1,001 reads
 * only until it has them.
 */
async function countMatches(db: Db, where: SqlText[], all: SqlText | undefined, upTo = COUNT_CAP + 1): Promise<{ total: number; exact: number }> {
  const capped = (conditions: SqlText[]) => sqlText`(select count(*) from (${listedWhere(conditions)} limit ${upTo}) m)::int`;
  const [row] = await runText<{ total: number | null; exact: number | null }>(db, sqlText`select ${capped(where)} as total, ${all ? capped([...where, all]) : rawText('null')} as exact`);
  const total = Number(row?.total ?? 0);
  return { total, exact: all ? Number(row?.exact ?? 0) : total };
}

/** The deepest walk of an arm: one more than a list counts, enough for page 50. */
const WALK_LIMIT = COUNT_CAP + 1;
/** Candidates per arm in the first round (a page needs 20; the proof usually holds with 200, else 800, else 1,001). */
const FIRST_ROUND = 200;
/** The short first try of a search naming only categories walks this many times k (see topSearchPage). */
const SHORT_TRY = 3;
/** Above this many matches by the planner's estimate, a search says 1000+ without counting (see topSearchPage). */
const ESTIMATE_MORE = 5 * COUNT_CAP;

/** A timestamp as epoch milliseconds (a bigint): the top-N proof's keys, and exact dates without a driver's parsing. */
const epochMs = (at: SqlText) => sqlText`floor(extract(epoch from ${at}) * 1000)::bigint`;

/** The planner's estimate of the rows of `query` (EXPLAIN without running it). */
async function estimateRows(db: Db, query: SqlText): Promise<number> {
  const [row] = await runText<Record<string, unknown>>(db, sqlText`explain (format json) ${query}`);
  const raw = row ? Object.values(row)[0] : undefined;
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[] | undefined;
  return plan?.[0]?.Plan?.['Plan Rows'] ?? 0;
}

/** The planner's estimate of the jobs meeting `where` (jobsWhere). */
const estimateJobs = (db: Db, where: SqlText[]) => estimateRows(db, sqlText`select 1 ${jobsWhere(where)}`);

/**
 * A job card as SQL text selects it (the raw statements of the top-N ranking and of listNewestByGroup): the columns'
 * names, the dates as epoch milliseconds (exact, without a driver's date parsing), numbers as the driver gives them.
 */
type JobCardRow = {
  id: number;
  title: string;
  type: JobCard['type'];
  category: string;
  district: string;
  pay_min: string | number;
  pay_max: string | number | null;
  pay_unit: JobCard['payUnit'];
  settlement: JobCard['settlement'];
  benefits: string[];
  headcount: number;
  published_ms: string | number | null;
  first_published_ms: string | number | null;
  status: string;
  company_name: string | null;
  verified: boolean;
};

/** The card of such a row, with the values drizzle gives for `jobCardColumns`. */
function jobCardOf(r: JobCardRow): JobCard {
  return {
    id: r.id,
    title: r.title,
    type: r.type,
    category: r.category,
    district: r.district,
    payMin: Number(r.pay_min),
    payMax: r.pay_max === null ? null : Number(r.pay_max),
    payUnit: r.pay_unit,
    settlement: r.settlement,
    benefits: r.benefits,
    headcount: r.headcount,
    publishedAt: r.published_ms === null ? null : new Date(Number(r.published_ms)),
    firstPublishedAt: r.first_published_ms === null ? null : new Date(Number(r.first_published_ms)),
    status: r.status,
    companyName: r.company_name,
    verified: r.verified,
  };
}

/** A ranked candidate as the ranking statement gives it: its card's columns and its keys for the proof. */
type RankedRow = JobCardRow & {
  all_match: boolean;
  rank_value: number | string | null;
  all_count: number;
  candidates: number;
  walked: Walked | string | null;
};

/** The card's columns (all but the computed company, verification and dates), as the candidates' subquery selects them and as the ranking reads them from it. */
const { companyName: _company, verified: _verified, publishedAt: _published, firstPublishedAt: _firstPublished, ...plainCardColumns } = jobCardColumns;
const PLAIN_CARD = Object.values(plainCardColumns);
const PLAIN_CARD_TEXT = joinText(PLAIN_CARD.map(columnText), ', ');
const PLAIN_CARD_FROM_C = rawText(PLAIN_CARD.map((column) => `c."${column.name}"`).join(', '));

/** A ranked candidate: its card, and its keys for the proof. */
type Ranked = { card: JobCard; allMatch: boolean; rankValue: number | null; ms: number | null; allCount: number; candidates: number; walked: RankedRow['walked'] };

const rankedOf = (row: RankedRow): Ranked => ({
  card: jobCardOf(row),
  allMatch: row.all_match,
  rankValue: row.rank_value === null ? null : Number(row.rank_value),
  ms: row.published_ms === null ? null : Number(row.published_ms),
  allCount: row.all_count,
  candidates: row.candidates,
  walked: row.walked,
});

/** What each walk of the CTE "w" gave: [arm, rows, its oldest row's time in epoch ms], as JSON. */
const WALKED = sqlText`(select json_agg(json_build_array(arm, n, ms)) from (select arm, count(*)::int as n, ${epochMs(rawText('min("at")'))}::text as ms from "w" group by arm) s)`;

type Walked = [arm: number, rows: number, ms: string | null][];

const walkedOf = (raw: Walked | string | null | undefined): Walked => (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as Walked;

/** What the walks gave, read alone: when they found no candidate (every job walked is a disabled employer's). */
async function readWalked(db: Db, walks: SqlText): Promise<Walked> {
  const [row] = await runText<{ walked: Walked | string | null }>(db, sqlText`with "w" as (${walks}) select ${WALKED} as "walked"`);
  return walkedOf(row?.walked);
}

/**
 * The candidates (the rows of the walks `walks`) in the order of the full ranking, the first `k`, with their keys
 * and what each walk gave, in one statement. Each word's text, title and field tests are computed once per row in
 * a subquery (the full query repeats them in the condition, the divider and the sort: 2–3 times the tsvector work),
 * then scored by the same expressions (wordScore, rankOf). Written as SQL text (db/sqlText.ts), sent at once.
 */
async function rankCandidates(db: Db, walks: SqlText, arms: number, words: WordMatch[], today: string, k: number): Promise<Ranked[]> {
  const tests: SqlText[] = [];
  const refs = words.map((w, i) => {
    const test = (part: string, expression: SqlText) => (tests.push(sqlText`${expression} as ${rawText(`"w${i}_${part}"`)}`), rawText(`c."w${i}_${part}"`));
    return { text: test('x', w.tests.text), primary: test('t', w.tests.primary), fields: w.tests.fields.map((f, j) => test(`f${j}`, f)) };
  });
  const all = andText(refs.map(wordMatched));
  const rank = rankOf(refs, rawText('c."published_at"'), rawText('c."verified_at"'), today);
  // The subquery: the walks give jobs that are listed but for their employer's account, checked here, once per
  // candidate (a disabled employer's jobs still count in their walk: it read past them, so its cutoff stands); the
  // ids as an array, not `in (select …)`, so the candidates are fetched in one ordered `jobs_pkey` scan and their
  // employers' profiles probed by key (the subquery hashed all of `employer_profiles`; an id is still fetched once);
  // a LIMIT keeps it a subquery (pulled up, its tests would be inlined and repeated again). Sent now, not when
  // awaited: the caller plans its count estimate meanwhile.
  const rows = await runText<RankedRow>(
    db,
    sqlText`with "w" as (${walks})
select ${PLAIN_CARD_FROM_C}, c."company_name", c."verified", ${epochMs(rawText('c."published_at"'))} as "published_ms",
  ${epochMs(rawText('c."first_published_at"'))} as "first_published_ms",
  coalesce(${all}, false) as "all_match", ${rank} as "rank_value",
  (count(*) filter (where ${all}) over ())::int as "all_count", (count(*) over ())::int as "candidates",
  ${WALKED} as "walked"
from (
  select ${PLAIN_CARD_TEXT}, "jobs"."published_at", "jobs"."first_published_at", ${jobCompanyNameText} as "company_name",
    ${jobVerifiedText} as "verified", "employer_profiles"."verified_at", ${joinText(tests, ', ')}
  from "jobs"
  inner join "users" on "users"."id" = "jobs"."employer_id"
  left join "employer_profiles" on "employer_profiles"."user_id" = "jobs"."employer_id"
  where "jobs"."id" = any(array(select "id" from "w")) and ${ACTIVE_EMPLOYER}
  limit ${arms * WALK_LIMIT}
) c
order by (case when ${all} then 0 else 1 end), ${rank} desc, c."published_at" desc, c."id" desc
limit ${k}`,
  );
  return rows.map(rankedOf);
}

/**
 * The top-N search (issue 21): ranking every match cost 100–500 ms at 100,000 jobs. Instead, walk the newest
 * listed matches of every field value a word names (its `(field, published_at desc)` index), rank only those,
 * and keep the result only when `unseenBound` proves that no other match can rank among the first `k`
 * (search/topK.ts): the same rows in the same order as ranking everything. Null when it cannot be proved within
 * WALK_LIMIT candidates per arm, or the query names no walkable field: the caller then ranks every match.
 *
 * Counting: when the planner expects more than ESTIMATE_MORE matches the page says 1000+ without counting them
 * (an exact count up to 1,001 walks a thousand rows, as long as the search itself); below that, counted exactly.
 */
async function topSearchPage(db: Db, q: JobListQuery, filters: SqlText[], match: TextMatch, today: string): Promise<{ rows: JobCard[]; total: number; more: boolean; exact: number } | null> {
  const words = match.words;
  if (!words?.length || !match.all || !match.rank) return null;
  const arms: SqlText[] = [];
  const plans: WordPlan[] = words.map((w) => ({
    terms: w.terms,
    phrase: w.phrase,
    fields: w.fields.map((f) => (f.walks ? { arms: f.walks.map((arm) => arms.push(arm) - 1) } : { arms: null })),
  }));
  const walksTitledOnly = words.every((w) => w.fields.every((f) => !f.walks || f.titled));
  if (!arms.length || arms.length > 12) return null;
  // Several words naming fields: also walk the jobs that have a field of each. The best tier (every word) is then
  // bounded by that walk, not by the oldest of the single arms: 南山 服务员 or 龙华 普工 prove in one round instead
  // of two, and rare combinations (电子厂普工包吃住) at all.
  const fielded = words.filter((w) => w.fields.length);
  const conjunction = fielded.length > 1 ? arms.push(andText(fielded.map((w) => orText(w.fields.map((f) => f.when))))) - 1 : -1;
  const k = q.page * PAGE_SIZE;
  const where = [...filters, match.where];
  // The walks and the estimates read the jobs alone (jobsWhere); the counts, the listed jobs.
  const jobFilters = [listedJobText(today), ...fieldFilters(q)];
  let estimate: Promise<number> | undefined;
  const first = Math.min(WALK_LIMIT, Math.max(FIRST_ROUND, 2 * k));
  // The first round is tried shorter first, where a page is usually proved so (a round's cost is its candidates,
  // ~40 µs each in a new process on PGlite). When the try does not prove the page, the round is walked in full.
  // - With a conjunction: every other arm only k deep. When the jobs that have a field of every word fill the page
  //   with scores no job having fewer of those fields reaches at any date (南山 临时工: 4 + text, against at most
  //   2 + 3 + 0.3 + 0.1), the single arms' cutoffs do not matter, and their 200 rows each were half the candidates.
  // - Categories alone (普工, 保安): SHORT_TRY × k deep, when that is at most half the round (page 1). Most of a
  //   category's newest jobs name it in their title, so the page's k are found among them (the district's or type's
  //   seldom are: 南山 or 临时工 alone would need both rounds).
  const shortArm = conjunction >= 0 ? k : walksTitledOnly && 2 * SHORT_TRY * k <= first ? SHORT_TRY * k : first;
  let tryShort = shortArm < first;
  const depths = [...new Set([first, Math.min(WALK_LIMIT, 4 * first), WALK_LIMIT])];
  for (let round = 0; round < depths.length; ) {
    const depth = depths[round]!;
    const short = tryShort;
    tryShort = false;
    const armDepths = arms.map((_, i) => (short && i !== conjunction ? Math.min(depth, shortArm) : depth));
    const walkList = arms.map(
      (a, i) =>
        sqlText`(select ${rawText(String(i))} as "arm", "jobs"."id", "jobs"."published_at" as "at" ${jobsWhere([...jobFilters, a])} order by "jobs"."published_at" desc limit ${armDepths[i]!})`,
    );
    const walks = joinText(walkList, ' union all ');
    const ranking = rankCandidates(db, walks, arms.length, words, today, k);
    // Planned alongside the walks (another pooled connection on PostgreSQL), not after them: one wait fewer; and
    // built once the ranking statement is sent, so that the database starts on the longer of the two first.
    if (!estimate) {
      estimate = estimateJobs(db, [...jobFilters, match.where]);
      estimate.catch(() => {});
    }
    const ranked = await ranking;
    // No candidate: the walks' counts are read alone (a walk may have found only jobs of disabled employers).
    const walked = ranked.length ? walkedOf(ranked[0]!.walked) : await readWalked(db, walks);
    const state: ArmWalk[] = arms.map((_, i) => ({ complete: true, cutoffMs: -Infinity, conjunction: i === conjunction }));
    for (const [arm, rows, ms] of walked) state[arm] = { ...state[arm]!, complete: rows < armDepths[arm]!, cutoffMs: ms === null ? -Infinity : Number(ms) };
    const bounds = unseenBound(plans, state, today, SCORE);
    if (!bounds) return null;
    const kth = ranked[k - 1];
    const proved = kth
      ? kth.rankValue !== null && beatsAll({ all: kth.allMatch, score: Number(kth.rankValue), publishedMs: kth.ms === null ? Infinity : Number(kth.ms) }, bounds)
      : bounds.length === 0;
    if (!proved) {
      // Walked in full unless every arm walked short has ended: then this was the full round.
      if (short && state.some((a, i) => !a.complete && armDepths[i]! < depth)) continue;
      // Judged from this round (search/topK.ts): when deeper walks cannot prove it either, rank every match now
      // instead of walking up to WALK_LIMIT rows of every arm first (周结, 日结 包吃住).
      if (depth < WALK_LIMIT) {
        const keys = ranked.flatMap((r) => (r.rankValue === null ? [] : [{ all: r.allMatch, score: Number(r.rankValue), publishedMs: r.ms === null ? Infinity : Number(r.ms) }]));
        // An unfinished arm the planner expects to hold at most WALK_LIMIT listed jobs may end in a deeper round.
        // Asked only as far as needed: first none (包吃住 goes on from its titles alone), then the conjunction
        // (宝安区 仓管 包吃: its end is what proves it), then every arm.
        const mayEnd = arms.map(() => false);
        const stages = [[], ...(conjunction >= 0 ? [[conjunction]] : []), arms.map((_, i) => i)];
        const asked = new Set<number>();
        let deeper = false;
        for (const stage of stages) {
          const ask = stage.filter((i) => !state[i]!.complete && !asked.has(i));
          const sizes = await Promise.all(ask.map((i) => estimateJobs(db, [...jobFilters, arms[i]!])));
          ask.forEach((i, j) => (asked.add(i), (mayEnd[i] = sizes[j]! <= WALK_LIMIT)));
          if ((deeper = deeperMayProve(plans, state, mayEnd, keys, depth / WALK_LIMIT, k, today, SCORE))) break;
        }
        if (!deeper) return null;
      }
      round++;
      continue;
    }
    const allSeen = ranked[0]?.allCount ?? 0;
    let total: number;
    let exact: number;
    if (bounds.length === 0) {
      // Every match is a candidate.
      total = ranked[0]?.candidates ?? 0;
      exact = allSeen;
    } else if ((await estimate!) > ESTIMATE_MORE) {
      // 1000+. Jobs matching every word: exact when fewer than k were seen (the proof covers them all, since
      // each outranks any partial match), else at least those seen; the divider and the analytics' "fewer
      // than 5" list need no more.
      total = WALK_LIMIT;
      exact = words.length === 1 ? WALK_LIMIT : allSeen;
    } else {
      ({ total, exact } = await countMatches(db, where, match.all));
    }
    const rows = ranked.slice(k - PAGE_SIZE).map(({ card, allMatch }) => ({ ...card, partial: !allMatch }));
    return { rows: rows.map(maskJobText), total, more: total > COUNT_CAP, exact };
  }
  return null;
}

/**
 * The top-N path alone (tests): the page when the proof holds, null when searchListedJobs would rank every match.
 * Relevance order, keyword matches only.
 */
export async function searchTopN(db: Db, q: JobListQuery, today: string, dictionary: Dictionary = currentDictionary()): Promise<JobSearchPage | null> {
  const words = segmentQuery(q.q, dictionary);
  if (!words.length || q.sort) return null;
  const match = jobKeywordMatch(queryWords(words, dictionary), today);
  const top = await topSearchPage(db, q, filterConditions(q, today), match, today);
  return top && { ...top, total: Math.min(top.total, COUNT_CAP), exact: Math.min(top.exact, COUNT_CAP), mode: 'text', words };
}

/** The words of the warm-up search: a district and a job type, so that it walks, ranks and estimates. */
const WARM_WORDS = ['宝安', '临时工'];

/**
 * Runs the top-N search's statements once on `db` (one connection), reading only: a new PostgreSQL backend's first
 * run of them costs 6–8 ms more (its catalog caches, the time zone, the text search configuration; issue 21), and
 * node's first build of them a few more. Words given, not segmented: the segmenter is built only after listening.
 */
export async function warmSearchStatements(db: Db, today: string, dictionary: Dictionary = currentDictionary()): Promise<void> {
  const q: JobListQuery = { q: WARM_WORDS.join(' '), benefits: [], page: 1 };
  await topSearchPage(db, q, filterConditions(q, today), jobKeywordMatch(queryWords(WARM_WORDS, dictionary), today), today);
}

/**
 * One page of listed jobs for the filters and keyword of `q`. With a keyword: the jobs matching every word first,
 * by relevance (unless sorted by time or pay), then the partial matches (`partial` on their cards); when no job
 * matches any word, the fuzzy fallback runs.
 */
export async function searchListedJobs(
  db: Db,
  q: JobListQuery,
  today: string,
  dictionary: Dictionary = currentDictionary(),
  /** exhaustive: rank every match (the reference the top-N path is checked against in tests and bench:explain). */
  options: { exhaustive?: boolean } = {},
): Promise<JobSearchPage> {
  const filters = filterConditions(q, today);
  const words = segmentQuery(q.q, dictionary);
  let mode: SearchMode = 'none';
  let match: TextMatch | undefined;
  let total: number;
  let exact: number;
  if (words.length) {
    const phrase = q.q.replace(/\s+/g, '');
    match = jobKeywordMatch(queryWords(words, dictionary), today);
    mode = 'text';
    const top = q.sort || options.exhaustive ? null : await topSearchPage(db, q, filters, match, today);
    if (top && top.total > 0) return { ...top, total: Math.min(top.total, COUNT_CAP), exact: Math.min(top.exact, COUNT_CAP), mode, words };
    // Counted far enough to know whether the page asked exists (pages past 50 are not linked, but answered).
    const upTo = Math.max(COUNT_CAP, (q.page - 1) * PAGE_SIZE) + 1;
    ({ total, exact } = await countMatches(db, [...filters, match.where], match.all, upTo));
    if (total === 0) {
      match = jobFuzzyMatch(words, phrase);
      mode = 'fuzzy';
      ({ total, exact } = await countMatches(db, [...filters, match.where], match.all, upTo));
    }
  } else if (q.q && !/[\p{L}\p{N}]/u.test(q.q)) {
    // Only symbols (%, _, ', --): no word to look up, but still a search. Match the characters as typed,
    // so that % or _ finds the jobs that contain them instead of listing every job.
    const where = sqlText`${columnText(jobs.searchText)} ilike ${containsPattern(q.q.replace(/\s+/g, '').toLowerCase())}`;
    match = { where };
    mode = 'text';
    total = exact = await countWhere(db, [...filters, where]);
  } else {
    total = exact = await countWhere(db, filters);
  }
  const offset = (q.page - 1) * PAGE_SIZE;
  // Jobs matching every word come first in every order: when at least a page's worth of them precede the page's
  // end, the page is made of them alone, and ranking only them gives the same rows (日结 包吃住: thousands instead of
  // tens of thousands of matches sorted). The exhaustive reference keeps ranking every match, to be checked against.
  const allTier = match?.all && !options.exhaustive && exact >= offset + PAGE_SIZE ? [match.all] : [];
  const rows =
    total > offset
      ? await db
          .select({ ...jobCardColumns, partial: match?.all ? sql<boolean>`not coalesce(${toDrizzle(match.all)}, false)` : sql<boolean>`false` })
          .from(jobs)
          .innerJoin(users, eq(users.id, jobs.employerId))
          .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
          .where(toDrizzle(andText([...filters, ...(match ? [match.where] : []), ...allTier])))
          .orderBy(...orderFor(q, match))
          .limit(PAGE_SIZE)
          .offset(offset)
      : [];
  return { rows: rows.map(maskJobText), total: Math.min(total, COUNT_CAP), more: total > COUNT_CAP, exact: Math.min(exact, COUNT_CAP), mode, words };
}

// ---- One job ----

/** A job as its pages show it: every column but the search ones (about 1.3 KB a row nobody reads). */
export type JobWithEmployer = Omit<JobRow, 'searchVector' | 'searchText'> & {
  companyName: string | null;
  companyIntro: string | null;
  companyAddress: string | null;
  verifiedAt: Date | null;
  employerLicenseNo: string | null;
  employerActive: boolean;
};

const { searchVector: _vector, searchText: _text, ...shownJobColumns } = getTableColumns(jobs);

/** A job page's columns: the job's own (but the search ones), its company and its employer's status. */
const jobPageColumns = {
  ...shownJobColumns,
  companyName: jobCompanyName,
  companyIntro: employerProfiles.intro,
  companyAddress: employerProfiles.address,
  verifiedAt: employerProfiles.verifiedAt,
  employerLicenseNo: employerProfiles.licenseNo,
  employerActive: sql<boolean>`coalesce(${users.status} = 'active', false)`,
};

/** Job pages' rows: each read carries the ids of every page that asked while the previous read was out. */
const jobsWithEmployerStatement = perDatabase((db) =>
  withCompiledRowMapping(
    db
      .select(jobPageColumns)
      .from(jobs)
      .leftJoin(users, eq(users.id, jobs.employerId))
      .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
      .where(sql`${jobs.id} = any(${sql.placeholder('ids')}::int[])`)
      .prepare('jobs_with_employer'),
  ),
);

const jobPageReads = perDatabase(
  (db) => new SharedReads<number, Map<number, JobWithEmployer>>(async (ids) => new Map((await jobsWithEmployerStatement(db).execute({ ids })).map((row) => [row.id, row]))),
);

/**
 * A job page's row: prepared (built and planned once), and shared with the pages asked for at the same time, so
 * random job pages under load are one query for many (issue 21). The row is read after the call.
 */
export async function findJobWithEmployer(db: Db, id: number): Promise<JobWithEmployer | undefined> {
  return (await jobPageReads(db).read(id)).get(id);
}

/** The job rows and the change generations of one statement: the page cache's key and the page's data at once. */
type JobsWithGenerations = { generations: Generations; rows: Map<number, JobWithEmployer> };

/**
 * Job pages' rows with the change generations beside them: always one row (the generations' subquery) with the
 * job's columns null where no id matched. One query for the generations a page-cache lookup needs and the row a
 * miss draws from, in place of two (a query's round trip was about 8 % of a drawn page's CPU: issue 21).
 */
const jobsWithGenerationsStatement = perDatabase((db) =>
  withCompiledRowMapping(
    db
      .select({
        generations: sql<Generations | null>`g.generations`,
        // Its own object: taking the generations out of a flat row was a copy of its 45 fields (3 % of a miss).
        job: jobPageColumns,
      })
      .from(sql`(select json_object_agg(${changeGenerations.name}, ${changeGenerations.generation}) as generations from ${changeGenerations}) g`)
      .leftJoin(jobs, sql`${jobs.id} = any(${sql.placeholder('ids')}::int[])`)
      .leftJoin(users, eq(users.id, jobs.employerId))
      .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
      .prepare('jobs_with_generations'),
  ),
);

const jobPageReadsWithGenerations = perDatabase(
  (db) =>
    new SharedReads<number, JobsWithGenerations>(async (ids) => {
      const reading = jobsWithGenerationsStatement(db).execute({ ids });
      const generations = reading.then((rows) => rows[0]?.generations ?? {});
      // Sent now, after every caller's call: a read of the generations the rest of those requests may share.
      generationsOf(db).adopt(performance.now(), generations);
      const rows = await reading;
      const found = new Map<number, JobWithEmployer>();
      for (const { job } of rows) if (job && job.id !== null) found.set(job.id, job as JobWithEmployer);
      return { generations: await generations, rows: found };
    }),
);

/**
 * A job page's row and the change generations, read in one statement sent after the call (shared with the pages
 * asked for at the same time, like `findJobWithEmployer`): the row is exactly as new as the numbers.
 */
export async function findJobWithGenerations(db: Db, id: number): Promise<{ generations: Generations; job: JobWithEmployer | undefined }> {
  const read = await jobPageReadsWithGenerations(db).read(id);
  return { generations: read.generations, job: read.rows.get(id) };
}

export async function findJobById(db: Db, id: number): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

const SIMILAR_SCORE = { category: 2, district: 1, type: 0.5 } as const;

/**
 * The newest `perGroup` listed jobs of every (category, district, type) group, or of the groups that share
 * `near`'s category or district. One walk of jobs_listed_group_idx per group, a few rows each (issue 21):
 * similar jobs for any job are then ranked in memory from these (`rankSimilar`), with no query per page.
 * Categories and districts are the vocabulary's (the job form accepts no others); types are the enum's.
 */
export async function listNewestByGroup(db: Db, today: string, perGroup: number, near?: Pick<JobRow, 'category' | 'district'>): Promise<JobCard[]> {
  const rows = await queryRows<JobCardRow>(
    db,
    sql`select n.* from unnest(${textArray(CATEGORIES)}) as c(category)
      cross join unnest(${textArray(DISTRICTS)}) as d(district)
      cross join unnest(enum_range(null::job_type)) as t(type)
      cross join lateral (
        select j.id, j.title, j.type, j.category, j.district, j.pay_min, j.pay_max, j.pay_unit, j.settlement, j.benefits,
          j.headcount, (extract(epoch from j.published_at) * 1000)::bigint as published_ms,
          (extract(epoch from j.first_published_at) * 1000)::bigint as first_published_ms, j.status,
          coalesce(ep.company_name, case when j.client_company_id is not null then j.dispatch_agency_name end) as company_name, ep.verified_at is not null as verified
        from jobs j
        join users u on u.id = j.employer_id
        left join employer_profiles ep on ep.user_id = j.employer_id
        where j.status = 'published' and j.valid_until >= ${today} and u.status = 'active'
          and j.category = c.category and j.district = d.district and j.type = t.type
        order by j.published_at desc, j.id desc
        limit ${perGroup}
      ) n
      ${near ? sql`where c.category = ${near.category} or d.district = ${near.district}` : sql``}`,
  );
  return rows.map((r) => maskJobText(jobCardOf(r)));
}

/**
 * Listed jobs like this one: same category (2) or district (1), same type (0.5) on top; newest first within
 * a score; never the job itself. `candidates` must hold, for each group, its newest `limit + 1` listed jobs.
 */
export function rankSimilar(job: Pick<JobRow, 'id' | 'category' | 'district' | 'type'>, candidates: Iterable<JobCard>, limit: number): JobCard[] {
  const scored: { card: JobCard; score: number; at: number }[] = [];
  const seen = new Set<number>();
  for (const card of candidates) {
    if (card.id === job.id || seen.has(card.id)) continue;
    const sameCategory = card.category === job.category;
    const sameDistrict = card.district === job.district;
    if (!sameCategory && !sameDistrict) continue;
    seen.add(card.id);
    const score = (sameCategory ? SIMILAR_SCORE.category : 0) + (sameDistrict ? SIMILAR_SCORE.district : 0) + (card.type === job.type ? SIMILAR_SCORE.type : 0);
    // NULLS FIRST, as `published_at desc` sorts in SQL.
    scored.push({ card, score, at: card.publishedAt?.getTime() ?? Infinity });
  }
  scored.sort((a, b) => b.score - a.score || b.at - a.at || b.card.id - a.card.id);
  return scored.slice(0, limit).map((s) => s.card);
}

/** Similar jobs of one job, straight from the database (the job page uses the per-generation index in jobs.cache.ts). */
export async function listSimilarJobs(db: Db, job: Pick<JobRow, 'id' | 'category' | 'district' | 'type'>, today: string, limit = 6): Promise<JobCard[]> {
  return rankSimilar(job, await listNewestByGroup(db, today, limit + 1, job), limit);
}

// ---- An employer's jobs ----

export type EmployerJobRow = Pick<
  JobRow,
  'id' | 'title' | 'type' | 'status' | 'district' | 'payMin' | 'payMax' | 'payUnit' | 'settlement' | 'validUntil' | 'rejectReason' | 'flaggedWords' | 'publishedAt' | 'firstPublishedAt' | 'updatedAt' | 'closedAt'
> & { applicants: number; newApplicants: number };

export async function listEmployerJobs(db: Db, employerId: number, status?: JobStatus): Promise<EmployerJobRow[]> {
  const where = [eq(jobs.employerId, employerId), ...(status ? [eq(jobs.status, status)] : [])];
  // Counted per job in one grouped pass; an anonymised application (account deleted) counts in the total
  // but is not "new": there is no one left to act on.
  const counts = db
    .select({
      jobId: applications.jobId,
      total: sql<number>`count(*)::int`.as('total'),
      fresh: sql<number>`(count(*) filter (where ${applications.status} = 'new' and ${applications.seekerId} is not null))::int`.as('fresh'),
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(jobs.employerId, employerId))
    .groupBy(applications.jobId)
    .as('counts');
  return db
    .select({
      id: jobs.id,
      title: jobs.title,
      type: jobs.type,
      status: jobs.status,
      district: jobs.district,
      payMin: jobs.payMin,
      payMax: jobs.payMax,
      payUnit: jobs.payUnit,
      settlement: jobs.settlement,
      validUntil: jobs.validUntil,
      rejectReason: jobs.rejectReason,
      flaggedWords: jobs.flaggedWords,
      publishedAt: jobs.publishedAt,
      firstPublishedAt: jobs.firstPublishedAt,
      updatedAt: jobs.updatedAt,
      closedAt: jobs.closedAt,
      applicants: sql<number>`coalesce(${counts.total}, 0)`,
      newApplicants: sql<number>`coalesce(${counts.fresh}, 0)`,
    })
    .from(jobs)
    .leftJoin(counts, eq(counts.jobId, jobs.id))
    .where(and(...where))
    .orderBy(desc(jobs.updatedAt), desc(jobs.id));
}

export async function countEmployerJobsByStatus(db: Db, employerId: number): Promise<Record<JobStatus, number>> {
  const rows = await db.select({ status: jobs.status, n: count() }).from(jobs).where(eq(jobs.employerId, employerId)).groupBy(jobs.status);
  const counts: Record<JobStatus, number> = { draft: 0, pending: 0, published: 0, rejected: 0, closed: 0, expired: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export async function countNewApplicants(db: Db, employerId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(jobs.employerId, employerId), eq(applications.status, 'new')));
  return row?.n ?? 0;
}

// ---- Review and reports ----

export type ReviewRow = Pick<JobRow, 'id' | 'title' | 'type' | 'district' | 'payMin' | 'payMax' | 'payUnit' | 'settlement' | 'status' | 'flaggedWords' | 'submittedAt' | 'rejectReason' | 'validUntil'> & {
  companyName: string | null;
  verified: boolean;
  employerId: number | null;
};

/** The review queue: oldest submission first, so nobody waits behind newer jobs. */
export async function listJobsForReview(db: Db, status: JobStatus, opts: { flaggedOnly?: boolean; limit?: number } = {}): Promise<ReviewRow[]> {
  const where = [eq(jobs.status, status), ...(opts.flaggedOnly ? [sql`cardinality(${jobs.flaggedWords}) > 0`] : [])];
  return db
    .select({
      id: jobs.id,
      title: jobs.title,
      type: jobs.type,
      district: jobs.district,
      payMin: jobs.payMin,
      payMax: jobs.payMax,
      payUnit: jobs.payUnit,
      settlement: jobs.settlement,
      status: jobs.status,
      flaggedWords: jobs.flaggedWords,
      submittedAt: jobs.submittedAt,
      rejectReason: jobs.rejectReason,
      validUntil: jobs.validUntil,
      companyName: jobCompanyName,
      verified: sql<boolean>`${employerProfiles.verifiedAt} is not null`,
      employerId: jobs.employerId,
    })
    .from(jobs)
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(and(...where))
    .orderBy(status === 'pending' ? asc(jobs.submittedAt) : desc(jobs.updatedAt), asc(jobs.id))
    .limit(opts.limit ?? 200);
}

export async function countJobsByStatus(db: Db): Promise<Record<JobStatus, number>> {
  const rows = await db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status);
  const counts: Record<JobStatus, number> = { draft: 0, pending: 0, published: 0, rejected: 0, closed: 0, expired: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export type OpenReportRow = {
  id: number;
  jobId: number;
  reason: (typeof jobReports.$inferSelect)['reason'];
  text: string;
  createdAt: Date;
  reporterLogin: string | null;
  jobTitle: string;
  jobStatus: JobStatus;
  companyName: string | null;
  openForJob: number;
};

/** Open reports, the most reported jobs first, then the oldest report. */
export async function listOpenReports(db: Db, limit = 200): Promise<OpenReportRow[]> {
  const openForJob = sql<number>`(select count(*)::int from ${jobReports} r2 where r2.job_id = ${jobReports.jobId} and r2.status = 'open')`;
  return db
    .select({
      id: jobReports.id,
      jobId: jobReports.jobId,
      reason: jobReports.reason,
      text: jobReports.text,
      createdAt: jobReports.createdAt,
      reporterLogin: users.login,
      jobTitle: jobs.title,
      jobStatus: jobs.status,
      companyName: jobCompanyName,
      openForJob,
    })
    .from(jobReports)
    .innerJoin(jobs, eq(jobs.id, jobReports.jobId))
    .leftJoin(users, eq(users.id, jobReports.reporterId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(eq(jobReports.status, 'open'))
    .orderBy(sql`${openForJob} desc`, asc(jobReports.jobId), asc(jobReports.createdAt))
    .limit(limit);
}

export async function countOpenReports(db: Db): Promise<number> {
  return db.$count(jobReports, eq(jobReports.status, 'open'));
}

/** Published jobs whose validity ended before `today`: what the expiry task closes. */
export function pastValidityCondition(today: string): SQL {
  return and(eq(jobs.status, 'published'), lt(jobs.validUntil, today))!;
}

