// Owns reading the change generations (migrations 0004 and 0006): the numbers that triggers raise in the
// transaction of every change to what public pages show. Caches compare them to know they are current.
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { perDatabase } from './prepared';
import { changeGenerations } from './schema';

/** The generations by name: 'listed_jobs', 'site_settings', 'news'. */
export type Generations = Readonly<Record<string, number>>;

type Batch = { promise: Promise<Generations>; resolve: (g: Generations) => void; reject: (err: unknown) => void };

/**
 * Reads of the generations shared by every request that asks while the previous read is out: at most one read
 * is in flight, and the next one leaves when it returns, carrying all who asked meanwhile. Under load that is
 * one query for many requests; when idle, one query each, sent at the end of the current event-loop turn.
 *
 * A caller gets the numbers of a read that is sent after its call, so every change committed before the call
 * is in them: joining a read that is already on its way to the database would not give that.
 */
export class GenerationReader {
  private next: Batch | null = null;
  private inFlight = false;
  private lastSent: { at: number; promise: Promise<Generations> } | null = null;

  constructor(private readonly db: Db) {}

  /**
   * `since` (a `performance.now()` time, e.g. when the request arrived): a read sent after it will do, so the
   * later steps of one request share the read its first step made.
   */
  read(since?: number): Promise<Generations> {
    if (since !== undefined && this.lastSent && this.lastSent.at > since) return this.lastSent.promise;
    if (!this.next) {
      let resolve!: Batch['resolve'];
      let reject!: Batch['reject'];
      const promise = new Promise<Generations>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { promise, resolve, reject };
      if (!this.inFlight) setImmediate(() => this.send());
    }
    return this.next.promise;
  }

  private send(): void {
    const batch = this.next;
    if (!batch || this.inFlight) return;
    // From here on, a new caller waits for the next read: this one may already miss its changes.
    this.next = null;
    this.inFlight = true;
    this.lastSent = { at: performance.now(), promise: batch.promise };
    allGenerations(this.db)
      .execute()
      .then((rows) => batch.resolve(Object.fromEntries(rows.map((r) => [r.name, r.generation]))), batch.reject)
      .finally(() => {
        this.inFlight = false;
        if (this.next) this.send();
      });
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
