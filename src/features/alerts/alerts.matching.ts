// Owns matching published jobs against saved searches, in the database and in bulk: one INSERT … SELECT per
// published job over all subscriptions (never one query per subscription). The words of a saved query are
// compiled with the same dictionary and the same per-word rule as /jobs (searchListedJobs): a word matches a job
// through its terms or synonyms in the job's words, or a field it means (category, type, settlement, workplace,
// district, benefits). An alert requires every word (the jobs above the 以下职位部分符合 divider).
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { jobAlertSends, jobAlerts, jobs, users, type AlertWord } from '../../db/schema';
import { chinaClock, chinaDate } from '../../domain/dates';
import { currentDictionary, type Dictionary } from '../../search/dictionary';
import { isUnknownPhrase, segmentQuery } from '../../search/segment';
import { containsPattern, SAFE_WORD, tsqueryText } from '../../search/tsvector';

export function compileWords(q: string, dictionary: Dictionary = currentDictionary()): AlertWord[] {
  return segmentQuery(q, dictionary).map((w) => {
    const concept = dictionary.conceptOf(w);
    const terms = concept.terms.filter((t) => SAFE_WORD.test(t));
    return {
      tsquery: tsqueryText(terms, '|'),
      ...(isUnknownPhrase(w, dictionary) ? { phrase: containsPattern(w) } : {}),
      meanings: concept.meanings,
    };
  });
}

const RECOMPILE_BATCH = 500;

/**
 * Compiles again the words of every saved search compiled with another dictionary than `dictionary` (an admin
 * added a synonym, a deploy changed the file), so that it matches as /jobs would now. Idempotent: two processes at
 * once write the same words. Returns how many were compiled. `<` or `>` rather than `<>`: the index answers it,
 * so when none is stale (nearly always) this costs a few index probes, not a scan of every subscription.
 */
export async function recompileStaleAlerts(db: Db, dictionary: Dictionary = currentDictionary()): Promise<number> {
  const version = dictionary.version;
  let compiled = 0;
  for (;;) {
    const stale = await queryRows<{ id: number; q: string | null }>(db, sql`
      select id, search->>'q' as q from ${jobAlerts}
      where words_version < ${version} or words_version > ${version} or words_version is null
      order by id limit ${RECOMPILE_BATCH}`);
    if (!stale.length) return compiled;
    const rows = JSON.stringify(stale.map((a) => ({ id: a.id, words: a.q ? compileWords(a.q, dictionary) : [] })));
    await db.execute(sql`
      update ${jobAlerts} a set words = v.words, words_version = ${version}
      from jsonb_to_recordset(${rows}::jsonb) as v(id integer, words jsonb)
      where a.id = v.id`);
    compiled += stale.length;
    if (stale.length < RECOMPILE_BATCH) return compiled;
  }
}

/** Quiet hours, Beijing time: by default nothing is sent from 22:00 to 07:00 (ALERT_QUIET_HOURS). */
export const QUIET_FROM_HOUR = 22;
export const QUIET_UNTIL_HOUR = 7;

type QuietHours = { from: number; until: number } | null;
// One per process, set from its config at boot (bootstrap.ts): a process has one config.
let quietHours: QuietHours = { from: QUIET_FROM_HOUR, until: QUIET_UNTIL_HOUR };

export function setQuietHours(hours: QuietHours): void {
  quietHours = hours;
}

export function isQuietHour(at: Date): boolean {
  if (!quietHours) return false;
  const h = Number(chinaClock(at).h);
  const { from, until } = quietHours;
  return from > until ? h >= from || h < until : h >= from && h < until;
}

/** `at`, or the end of the quiet hours (07:00 Beijing time by default) when `at` falls in them. */
export function nextSendableTime(at: Date): Date {
  if (!quietHours || !isQuietHour(at)) return at;
  const { from, until } = quietHours;
  const evening = from > until && Number(chinaClock(at).h) >= from;
  const day = evening ? chinaDate(new Date(at.getTime() + 24 * 3600_000)) : chinaDate(at);
  return new Date(`${day}T${String(until).padStart(2, '0')}:00:00+08:00`);
}

/** Whether the word means the job's value of a field (names fixed by the code, written into the SQL). */
const anyOf = (meaning: 'category' | 'type' | 'settlement' | 'workplace' | 'district', column: string) =>
  sql.raw(`jsonb_exists(coalesce(w->'meanings'->'${meaning}', '[]'::jsonb), j.${column}::text)`);

/**
 * Records, for every active subscription the newly published job matches, one send row (pending for instant
 * alerts, digest for daily ones). Unique (subscription, job): publishing again (closed, reopened, approved again
 * after an edit) adds nothing. Call inside the approval's transaction. Returns how many rows were added.
 */
export async function recordAlertMatches(tx: Db, jobId: number, now: Date): Promise<number> {
  // Usually none (the maintenance task keeps them current): a synonym added a moment ago still counts.
  await recompileStaleAlerts(tx);
  // The per-subscription word test makes the plan look costly: PostgreSQL's JIT then spent 2.4 s compiling it for a
  // 0.9 s run (bench:alerts, 100,000 subscriptions). Off for the rest of this transaction only.
  await tx.execute(sql`set local jit = off`);
  const [added] = await queryRows<{ n: number }>(tx, alertMatchesStatement(jobId, now));
  return added?.n ?? 0;
}

/**
 * The bulk INSERT … SELECT of recordAlertMatches (the bench EXPLAINs it). The job, if still listed, is read once
 * in a materialized CTE: joined inline, the planner guessed one matching subscription and scanned the users table
 * once per match (29 s for 100,000 subscriptions; see docs/alerts.md).
 */
export function alertMatchesStatement(jobId: number, now: Date): SQL {
  const due = nextSendableTime(now);
  const wordMatches = sql`(
      (coalesce(w->>'tsquery', '') <> '' and j.search_vector @@ to_tsquery('simple', w->>'tsquery'))
      or (w->>'phrase' is not null and j.search_text ilike (w->>'phrase'))
      or ${anyOf('category', 'category')} or ${anyOf('type', 'type')} or ${anyOf('settlement', 'settlement')}
      or (j.workplace is not null and ${anyOf('workplace', 'workplace')}) or ${anyOf('district', 'district')}
      or exists (select 1 from jsonb_array_elements_text(coalesce(w->'meanings'->'benefit', '[]'::jsonb)) b
                 where j.benefits @> string_to_array(b, '+'))
    )`;
  return sql`
    with j as materialized (
      select ${jobs.id} as id, ${jobs.type}::text as type, ${jobs.district} as district, ${jobs.settlement}::text as settlement,
             ${jobs.category} as category, ${jobs.payDaily} as pay_daily, ${jobs.benefits} as benefits,
             ${jobs.searchVector} as search_vector, ${jobs.searchText} as search_text, ${jobs.workplace} as workplace
      from ${jobs} join ${users} on ${users.id} = ${jobs.employerId}
      where ${jobs.id} = ${jobId} and ${jobs.status} = 'published' and ${jobs.validUntil} >= ${chinaDate(now)} and ${users.status} = 'active'
    ),
    added as (
    insert into ${jobAlertSends} (alert_id, job_id, user_id, status, due_at)
    select a.id, j.id, a.user_id, case when a.frequency = 'instant' then 'pending' else 'digest' end, ${due.toISOString()}::timestamptz
    from j cross join ${jobAlerts} a
    where not a.paused
      and (a.type is null or a.type = j.type)
      and (a.district is null or a.district = j.district)
      and (a.settlement is null or a.settlement = j.settlement)
      and (a.category is null or a.category = j.category)
      and (a.pay_min is null or j.pay_daily >= a.pay_min)
      and j.benefits @> a.benefits
      and not exists (select 1 from jsonb_array_elements(a.words) w where not ${wordMatches})
    on conflict (alert_id, job_id) do nothing
    returning 1
    )
    select count(*)::int as n from added`;
}
