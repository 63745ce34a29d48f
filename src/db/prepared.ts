// Owns keeping one prepared statement per database handle: drizzle builds its SQL text once, and node-postgres
// sends it as a named statement that each connection parses and plans once (PGlite runs the same text).
import type { Db } from './client';

/** `build` runs on the first use with a handle; later calls with the same handle get the same statement. */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}
