// Owns reading the change generations (migrations 0004 and 0006): the numbers that triggers raise in the
// transaction of every change to what public pages show. Caches compare them to know they are current.
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { perDatabase } from './prepared';
import { changeGenerations } from './schema';
import { SharedReads } from './sharedReads';

/** The generations by name: 'listed_jobs', 'site_settings', 'news'. */
export type Generations = Readonly<Record<string, number>>;

/**
 * Reads of the generations shared by every request that asks while the previous read is out (`SharedReads`):
 * under load one query for many requests, and every caller gets numbers read after its call.
 */
export class GenerationReader {
  private readonly reads: SharedReads<never, Generations>;

  constructor(db: Db) {
    this.reads = new SharedReads(async () => Object.fromEntries((await allGenerations(db).execute()).map((r) => [r.name, r.generation])));
  }

  /**
   * `since` (a `performance.now()` time, e.g. when the request arrived): a read sent after it will do, so the
   * later steps of one request share the read its first step made.
   */
  read(since?: number): Promise<Generations> {
    const last = this.reads.lastSent;
    if (since !== undefined && last && last.at > since) return last.promise;
    return this.reads.read();
  }

  /**
   * Generations read by another statement, sent at `at` (a job page's row read them in the same query): later
   * steps of the requests that arrived before `at` share them instead of reading again.
   */
  adopt(at: number, generations: Promise<Generations>): void {
    // Its own callers see a failure; here it is only kept.
    generations.catch(() => {});
    const last = this.reads.lastSent;
    if (!last || last.at < at) this.reads.lastSent = { at, promise: generations };
  }
}

// Prepared: neither drizzle nor the server builds or plans this query again per request.
const allGenerations = perDatabase((db) => db.select({ name: changeGenerations.name, generation: changeGenerations.generation }).from(changeGenerations).prepare('change_generations_all'));

/** The reader of a database handle: one per process and database. */
export const generationsOf = perDatabase((db) => new GenerationReader(db));

/** One generation; a missing row (a database migrated by hand) gives a fresh number each time, so nothing is reused. */
export async function generationOf(db: Db, name: string, since?: number): Promise<number> {
  return (await generationsOf(db).read(since))[name] ?? -performance.now();
}

/**
 * One generation read through `tx`, for code already inside a transaction: the shared reader queries the
 * outer handle, which on PGlite's single connection waits for that very transaction to end.
 */
export async function generationWithin(tx: Db, name: string): Promise<number> {
  const [row] = await tx.select({ generation: changeGenerations.generation }).from(changeGenerations).where(eq(changeGenerations.name, name));
  return row?.generation ?? -performance.now();
}
