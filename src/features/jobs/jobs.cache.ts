// Owns the per-process cache of what the public job lists show (search pages, the home page's latest jobs,
// the similar-jobs index). An entry is used only while the 'listed_jobs' generation it was made under is current:
// triggers raise that number in the same transaction as any change to jobs, company profiles or employer
// accounts (migration 0004), so every process sees a change on its next request and no page is stale.
import type { Db } from '../../db/client';
import { generationOf } from '../../db/generations';
import { ensureDictionary } from '../../search/dictionary';
import { listLatestPublishedJobs, listNewestByGroup, rankSimilar, searchListedJobs, type JobCard, type JobRow, type JobSearchPage } from './jobs.queries';
import type { JobListQuery } from './jobs.validation';

/** Enough for the searches of a busy morning; the oldest entry goes first. */
const MAX_ENTRIES = 1000;

/** Read with every other generation, once per event-loop turn for all the requests of that turn. */
export function listedJobsGeneration(db: Db, since?: number): Promise<number> {
  return generationOf(db, 'listed_jobs', since);
}

export class ListedJobsCache {
  private generation: number | null = null;
  private readonly entries = new Map<string, unknown>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Db) {}

  /**
   * The value of `key` made under the current generation, computing it (once for concurrent callers) when missing.
   * `since`: the request's arrival (`performance.now()`); a generation read sent after it is current enough.
   */
  async get<T>(key: string, compute: () => Promise<T>, since?: number): Promise<T> {
    const current = await listedJobsGeneration(this.db, since);
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
export async function searchListedJobsCached(db: Db, q: JobListQuery, today: string, since?: number): Promise<JobSearchPage> {
  // The dictionary's rows raise 'listed_jobs' too (migration "search"), so a kept page never predates a synonym.
  const dictionary = await ensureDictionary(db, since);
  return listedJobsCacheOf(db).get(`search ${today} ${JSON.stringify(q)}`, () => searchListedJobs(db, q, today, dictionary), since);
}

export function listLatestPublishedJobsCached(db: Db, today: string, limit: number, since?: number): Promise<JobCard[]> {
  return listedJobsCacheOf(db).get(`latest ${today} ${limit}`, () => listLatestPublishedJobs(db, today, limit), since);
}

const SIMILAR_SHOWN = 6;

/**
 * Similar jobs for every job, from one query per generation and China date: the newest few listed jobs of
 * each (category, district, type) group. The ranking depends only on the group, so it is made once per group;
 * a job's page drops the job itself from its group's ranking.
 */
class SimilarIndex {
  private readonly byCategory = new Map<string, JobCard[]>();
  private readonly byDistrict = new Map<string, JobCard[]>();
  private readonly rankings = new Map<string, JobCard[]>();

  constructor(cards: JobCard[]) {
    for (const card of cards) {
      push(this.byCategory, card.category, card);
      push(this.byDistrict, card.district, card);
    }
  }

  similarTo(job: Pick<JobRow, 'id' | 'category' | 'district' | 'type'>): JobCard[] {
    const group = `${job.category}\u0000${job.district}\u0000${job.type}`;
    let ranking = this.rankings.get(group);
    if (!ranking) {
      // One more than shown: the job itself may be among them. id 0 is no job's.
      const near = [...(this.byCategory.get(job.category) ?? []), ...(this.byDistrict.get(job.district) ?? [])];
      ranking = rankSimilar({ ...job, id: 0 }, near, SIMILAR_SHOWN + 1);
      this.rankings.set(group, ranking);
    }
    return ranking.filter((card) => card.id !== job.id).slice(0, SIMILAR_SHOWN);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export async function listSimilarJobsCached(db: Db, job: Pick<JobRow, 'id' | 'category' | 'district' | 'type'>, today: string, since?: number): Promise<JobCard[]> {
  const index = await listedJobsCacheOf(db).get(`similar-index ${today}`, async () => new SimilarIndex(await listNewestByGroup(db, today, SIMILAR_SHOWN + 1)), since);
  return index.similarTo(job);
}
