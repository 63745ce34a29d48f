// Owns reading the change generations (migrations 0004 and 0006): the numbers that triggers raise in the
// transaction of every change to what public pages show. Caches compare them to know they are current.
import type { Db } from './client';
import { perDatabase } from './prepared';
import { changeGenerations } from './schema';

/** The generations by name: 'listed_jobs', 'site_settings', 'news'. */
export type Generations = Readonly<Record<string, number>>;

/**
 * One read of the generations per event-loop turn, however many requests ask in that turn.
 *
 * A caller gets the numbers of a read that is sent after its call, so every change committed before the
 * call is in them: joining a read that is already on its way to the database would not give that.
 */
export class GenerationReader {
  private queued: Promise<Generations> | null = null;

  constructor(private readonly db: Db) {}

  read(): Promise<Generations> {
    this.queued ??= new Promise<Generations>((resolve, reject) => {
      setImmediate(() => {
        // From here on, a new caller waits for the next read: this one may already miss its changes.
        this.queued = null;
        allGenerations(this.db).execute().then((rows) => resolve(Object.fromEntries(rows.map((r) => [r.name, r.generation]))), reject);
      });
    });
    return this.queued;
  }
}

// Prepared: neither drizzle nor the server builds or plans this query again per request.
const allGenerations = perDatabase((db) => db.select({ name: changeGenerations.name, generation: changeGenerations.generation }).from(changeGenerations).prepare('change_generations_all'));

/** The reader of a database handle: one per process and database. */
export const generationsOf = perDatabase((db) => new GenerationReader(db));

/** One generation; a missing row (a database migrated by hand) gives a fresh number each time, so nothing is reused. */
export async function generationOf(db: Db, name: string): Promise<number> {
  return (await generationsOf(db).read())[name] ?? -performance.now();
}
