// Owns small SQL value builders shared by queries on both drivers.
import { sql, type SQL } from 'drizzle-orm';

/** A text[] literal of bound parameters (one per value), for @>, && and = any(...). */
export function textArray(values: readonly string[]): SQL {
  return sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}
