// Owns small SQL value builders shared by queries on both drivers.
import type { SQL } from 'drizzle-orm';
import { textArrayText, toDrizzle } from './sqlText';

/** A text[] literal of bound parameters (one per value), for @>, && and = any(...). */
export function textArray(values: readonly string[]): SQL {
  return toDrizzle(textArrayText(values));
}
