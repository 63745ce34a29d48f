// Owns re-indexing jobs (and the talent pool's public resumes) after the dictionary changes: only the jobs whose text holds a changed word (an admin's
// edit), or every job once per version of the shipped dictionary file. Runs in batches, in the background, with
// its progress in search_reindex_runs for /admin/search; one process claims each run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { and, asc, count, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { employerProfiles, jobs, searchReindexRuns } from '../db/schema';
import type { Logger } from '../logger';
import { searchColumns } from '../features/jobs/jobs.service';
import { reindexTalent } from '../features/workspace/talent.search';
import { DICTIONARY_FILE, ensureDictionary } from './dictionary';
import { containsPattern } from './tsvector';

const BATCH = 200;
/** At most this many jobs are re-indexed before the server listens; more go on in the background. */
const INLINE_LIMIT = 500;

function concerned(words: string[]): SQL | undefined {
  return words.length ? or(...words.map((w) => sql`${jobs.searchText} ilike ${containsPattern(w.toLowerCase())}`)) : undefined;
}

/** Claims the run `key` (false if another process has it), counting the jobs it concerns. */
async function claim(db: Db, key: string, words: string[]): Promise<{ id: number; total: number } | null> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(jobs).where(concerned(words));
  const [run] = await db.insert(searchReindexRuns).values({ key, words, total: n }).onConflictDoNothing().returning({ id: searchReindexRuns.id });
  return run ? { id: run.id, total: n } : null;
}

/** Re-segments the concerned jobs, BATCH at a time in id order, recording progress after each batch. */
async function run(db: Db, runId: number, words: string[]): Promise<void> {
  await ensureDictionary(db);
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = await db
      .select({ job: jobs, companyName: employerProfiles.companyName })
      .from(jobs)
      .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
      .where(and(gt(jobs.id, after), concerned(words)))
      .orderBy(asc(jobs.id))
      .limit(BATCH);
    if (!rows.length) break;
    await db.transaction(async (tx) => {
      for (const { job, companyName } of rows) await tx.update(jobs).set(searchColumns(job, companyName)).where(eq(jobs.id, job.id));
      done += rows.length;
      await tx.update(searchReindexRuns).set({ done }).where(eq(searchReindexRuns.id, runId));
    });
    after = rows[rows.length - 1]!.job.id;
  }
  // The talent pool's public resumes are segmented with the same dictionary (few rows: not counted in the progress).
  await reindexTalent(db, { words });
  await db.update(searchReindexRuns).set({ done, finishedAt: new Date() }).where(eq(searchReindexRuns.id, runId));
}

const running = new Set<Promise<void>>();

/** Starts re-indexing the jobs that hold any of `words` (all jobs when empty); resolves once it has started. */
export async function startReindex(db: Db, logger: Logger, key: string, words: string[], opts: { inlineUpTo?: number } = {}): Promise<void> {
  const claimed = await claim(db, key, words);
  if (!claimed) return;
  const work = run(db, claimed.id, words).catch((err: unknown) => logger.warn({ err, key }, 'search re-index failed'));
  if (claimed.total <= (opts.inlineUpTo ?? 0)) return work;
  running.add(work);
  void work.finally(() => running.delete(work));
}

/** Resolves when every re-index this process started has finished (tests, shutdown). */
export async function reindexIdle(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}

/**
 * At start: when the shipped dictionary file changed since the jobs were indexed, re-index them all, once, in
 * whichever process claims it; a small database before listening, a large one in the background.
 */
export async function reindexForDictionaryFile(db: Db, logger: Logger): Promise<void> {
  await startReindex(db, logger, dictionaryFileKey(), [], { inlineUpTo: INLINE_LIMIT });
  // Public resumes from before they had a search document get one (migration talent_search).
  await reindexTalent(db, { unindexed: true });
}

function dictionaryFileKey(): string {
  return `file:${crypto.createHash('sha256').update(fs.readFileSync(DICTIONARY_FILE)).digest('hex').slice(0, 16)}`;
}

/** For a loader that indexed every job with this dictionary file itself (the benchmark's seeding). */
export async function markIndexedWithDictionaryFile(db: Db): Promise<void> {
  await db.insert(searchReindexRuns).values({ key: dictionaryFileKey(), words: [], finishedAt: new Date() }).onConflictDoNothing();
}

export type ReindexProgress = { id: number; words: string[]; total: number; done: number; startedAt: Date; finishedAt: Date | null };

/** The runs still going, and the last finished ones, newest first. */
export async function recentReindexRuns(db: Db, limit = 5): Promise<ReindexProgress[]> {
  const unfinished = await db.select().from(searchReindexRuns).where(isNull(searchReindexRuns.finishedAt)).orderBy(sql`${searchReindexRuns.id} desc`);
  const recent = await db.select().from(searchReindexRuns).orderBy(sql`${searchReindexRuns.id} desc`).limit(limit);
  const seen = new Set<number>();
  return [...unfinished, ...recent]
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({ id: r.id, words: r.words, total: r.total, done: r.done, startedAt: r.startedAt, finishedAt: r.finishedAt }));
}
