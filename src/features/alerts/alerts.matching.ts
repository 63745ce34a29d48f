// Owns matching published jobs against saved searches, in the database and in bulk: one INSERT … SELECT per
// published job over all subscriptions (never one query per subscription). The words of a saved query are
// compiled with the same dictionary and the same per-word rule as /jobs (searchListedJobs): a word matches a job
// through its terms or synonyms in the job's words, or a field it means (category, type, settlement, workplace,
// district, benefits). An alert requires every word (the jobs above the 以下职位部分符合 divider).
import { sql } from 'drizzle-orm';
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
 * added a synonym, a deploy changed the file), so that it matches as /jobs would now. Searches without words have
 * nothing to compile. Idempotent: two processes at once write the same words. Returns how many were compiled.
 */
export async function recompileStaleAlerts(db: Db, dictionary: Dictionary = currentDictionary()): Promise<number> {
  const version = dictionary.version;
  let compiled = 0;
  for (;;) {
    const stale = await queryRows<{ id: number; q: string }>(db, sql`
      select id, search->>'q' as q from ${jobAlerts}
      where words_version is distinct from ${version} and coalesce(search->>'q', '') <> ''
      order by id limit ${RECOMPILE_BATCH}`);
    if (!stale.length) return compiled;
    const rows = JSON.stringify(stale.map((a) => ({ id: a.id, words: compileWords(a.q, dictionary) })));
    await db.execute(sql`
      update ${jobAlerts} a set words = v.words, words_version = ${version}
      from jsonb_to_recordset(${rows}::jsonb) as v(id integer, words jsonb)
      where a.id = v.id`);
    compiled += stale.length;
    if (stale.length < RECOMPILE_BATCH) return compiled;
  }
}

/** Quiet hours, Beijing time: nothing is sent from 22:00 to 07:00. */
export const QUIET_FROM_HOUR = 22;
export const QUIET_UNTIL_HOUR = 7;

export function isQuietHour(at: Date): boolean {
  const h = Number(chinaClock(at).h);
  return h >= QUIET_FROM_HOUR || h < QUIET_UNTIL_HOUR;
}

/** `at`, or the next 07:00 Beijing time when `at` falls in the quiet hours. */
export function nextSendableTime(at: Date): Date {
  if (!isQuietHour(at)) return at;
  const h = Number(chinaClock(at).h);
  const day = h >= QUIET_FROM_HOUR ? chinaDate(new Date(at.getTime() + 24 * 3600_000)) : chinaDate(at);
  return new Date(`${day}T0${QUIET_UNTIL_HOUR}:00:00+08:00`);
}

/** Whether the word means the job's value of a field (the key is a fixed name of the code, written into the SQL). */
const anyOf = (meaning: 'category' | 'type' | 'settlement' | 'workplace' | 'district', column: unknown) =>
  sql`jsonb_exists(coalesce(w->'meanings'->${sql.raw(`'${meaning}'`)}, '[]'::jsonb), ${column}::text)`;

/**
 * Records, for every active subscription the newly published job matches, one send row (pending for instant
 * alerts, digest for daily ones). Unique (subscription, job): publishing again (closed, reopened, approved again
 * after an edit) adds nothing. Call inside the approval's transaction. Returns how many rows were added.
 */
export async function recordAlertMatches(tx: Db, jobId: number, now: Date): Promise<number> {
  // Usually none (the maintenance task keeps them current): a synonym added a moment ago still counts.
  await recompileStaleAlerts(tx);
  const due = nextSendableTime(now);
  const wordMatches = sql`(
      (coalesce(w->>'tsquery', '') <> '' and ${jobs.searchVector} @@ to_tsquery('simple', w->>'tsquery'))
      or (w->>'phrase' is not null and ${jobs.searchText} ilike (w->>'phrase'))
      or ${anyOf('category', jobs.category)} or ${anyOf('type', jobs.type)} or ${anyOf('settlement', jobs.settlement)}
      or (${jobs.workplace} is not null and ${anyOf('workplace', jobs.workplace)}) or ${anyOf('district', jobs.district)}
      or exists (select 1 from jsonb_array_elements_text(coalesce(w->'meanings'->'benefit', '[]'::jsonb)) b
                 where ${jobs.benefits} @> string_to_array(b, '+'))
    )`;
  const added = await queryRows<{ id: number }>(tx, sql`
    insert into ${jobAlertSends} (alert_id, job_id, user_id, status, due_at)
    select a.id, ${jobs.id}, a.user_id, case when a.frequency = 'instant' then 'pending' else 'digest' end, ${due.toISOString()}::timestamptz
    from ${jobAlerts} a
    join ${jobs} on ${jobs.id} = ${jobId}
    join ${users} on ${users.id} = ${jobs.employerId}
    where not a.paused
      and ${jobs.status} = 'published' and ${jobs.validUntil} >= ${chinaDate(now)} and ${users.status} = 'active'
      and (a.type is null or a.type = ${jobs.type}::text)
      and (a.district is null or a.district = ${jobs.district})
      and (a.settlement is null or a.settlement = ${jobs.settlement}::text)
      and (a.category is null or a.category = ${jobs.category})
      and (a.pay_min is null or ${jobs.payDaily} >= a.pay_min)
      and ${jobs.benefits} @> a.benefits
      and not exists (select 1 from jsonb_array_elements(a.words) w where not ${wordMatches})
    on conflict (alert_id, job_id) do nothing
    returning id`);
  return added.length;
}
