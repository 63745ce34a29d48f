// Owns the per-process cache of what the public job lists show (search pages, the home page's latest jobs,
// similar jobs). An entry is used only while the 'listed_jobs' generation it was made under is current:
// triggers raise that number in the same transaction as any change to jobs, company profiles or employer
// accounts (migration 0004), so every process sees a change on its next request and no page is stale.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { changeGenerations } from '../../db/schema';
import { listLatestPublishedJobs, listSimilarJobs, searchListedJobs, type JobCard, type JobRow, type JobSearchPage } from './jobs.queries';
import type { JobListQuery } from './jobs.validation';

/** Enough for the searches of a busy morning; the oldest entry goes first. */
const MAX_ENTRIES = 1000;

export async function listedJobsGeneration(db: Db): Promise<number> {
  const [row] = await db.select({ generation: changeGenerations.generation }).from(changeGenerations).where(eq(changeGenerations.name, 'listed_jobs'));
  // Without the row (a database migrated by hand), nothing may be cached: a fresh number each time.
  return row?.generation ?? -Date.now();
}

export class ListedJobsCache {
  private generation: number | null = null;
  private readonly entries = new Map<string, unknown>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Db) {}

  /** The value of `key` made under the current generation, computing it (once for concurrent callers) when missing. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const current = await listedJobsGeneration(this.db);
    if (current !== this.generation) {
      if (this.generation !== null && current < this.generation) return compute(); // an older reader: do not roll back
      this.entries.clear();
      this.generation = current;
    }
    if (this.entries.has(key)) {
      const value = this.entries.get(key) as T;
      // Most recently used last, so eviction takes the least used.
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }
    const flightKey = `${current}\u0000${key}`;
    const inFlight = this.pending.get(flightKey);
    if (inFlight) return inFlight as Promise<T>;
    const work = compute().finally(() => this.pending.delete(flightKey));
    this.pending.set(flightKey, work);
    const value = await work;
    // A change may have landed while computing: keep the value only if its generation is still the cache's.
    if (this.generation === current) {
      this.entries.set(key, value);
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<Db, ListedJobsCache>();

/** The cache of a database handle: one per process and database, shared by every router. */
export function listedJobsCacheOf(db: Db): ListedJobsCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ListedJobsCache(db);
    caches.set(db, cache);
  }
  return cache;
}

/** searchListedJobs through the cache: the same query on the same China date gives the same page. */
export function searchListedJobsCached(db: Db, q: JobListQuery, today: string): Promise<JobSearchPage> {
  return listedJobsCacheOf(db).get(`search ${today} ${JSON.stringify(q)}`, () => searchListedJobs(db, q, today));
}

export function listLatestPublishedJobsCached(db: Db, today: string, limit: number): Promise<JobCard[]> {
  return listedJobsCacheOf(db).get(`latest ${today} ${limit}`, () => listLatestPublishedJobs(db, today, limit));
}

export function listSimilarJobsCached(db: Db, job: Pick<JobRow, 'id' | 'category' | 'district' | 'type'>, today: string): Promise<JobCard[]> {
  return listedJobsCacheOf(db).get(`similar ${today} ${job.id} ${job.category} ${job.district} ${job.type}`, () => listSimilarJobs(db, job, today));
}
