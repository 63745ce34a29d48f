// Owns the SQL side of Chinese full-text search: weighted tsvectors from segmented text, and tsquery text
// from query words. Words travel as bound parameters; only the fixed weight letters are written into SQL.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { documentWords } from './segment';

/** Text per weight: A counts most (titles), then B (facts such as district and type), C (body), D. */
export type WeightedText = Partial<Record<'A' | 'B' | 'C' | 'D', string>>;

/** `setweight(to_tsvector('simple', <words>), 'A') || ...` over the sections given. */
export function weightedTsvector(sections: WeightedText): SQL {
  const parts = (['A', 'B', 'C', 'D'] as const)
    .filter((w) => sections[w] !== undefined)
    .map((w) => sql`setweight(to_tsvector('simple', ${documentWords(sections[w]!)}), ${sql.raw(`'${w}'`)})`);
  return parts.length ? sql.join(parts, sql` || `) : sql`''::tsvector`;
}

export const SAFE_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * Query words (letters and digits only, as segmentQuery returns them) joined with & or |, for
 * `to_tsquery('simple', $1)`. Anything else is dropped, so no tsquery operator can come from user text.
 */
export function tsqueryText(words: string[], op: '&' | '|'): string {
  return words.filter((w) => SAFE_WORD.test(w)).join(` ${op} `);
}

/** `search_vector @@ to_tsquery('simple', $word)` for one query word. */
export function matchesWord(vector: AnyColumn | SQL, word: string): SQL {
  return sql`${vector} @@ to_tsquery('simple', ${tsqueryText([word], '&')})`;
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
