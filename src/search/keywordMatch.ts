// Owns how query words match and score against a searchable table (issue 19's ranking): one word's concept (its
// synonyms and the fields it means) against a weighted tsvector, the raw text and the table's own fields. Job search
// (jobs.queries.ts) and the talent pool (talent.search.ts) both rank with it, each with its table's columns.
import { and, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { TermMeanings } from '../db/schema';
import type { Concept, Dictionary } from './dictionary';
import { isUnknownPhrase } from './segment';
import { containsPattern, SAFE_WORD, tsqueryText } from './tsvector';

/** One field a word means, as a condition on the row, and how much of it the row meets (0–1). */
export type FieldPart = { when: SQL; score: SQL };

export function fieldPart(when: SQL): FieldPart {
  return { when, score: sql`(case when ${when} then 1 else 0 end)` };
}

/**
 * A table search runs over: its tsvector (weight A: what the row is, e.g. a job's title), its lower-case raw text,
 * the conditions of the fields a word's meanings name, and the weights of a field, an A-word and any word.
 */
export type SearchTarget = {
  vector: AnyColumn | SQL;
  text: AnyColumn | SQL;
  fields: (meanings: TermMeanings) => FieldPart[];
  weights: { field: number; primary: number; text: number };
};

/** A weight of the code written into the SQL (a bound parameter would be typed from its first use: integer). */
export const num = (x: number): SQL => sql.raw(`${Number(x)}::float`);

/** A query word with what it stands for; `phrase`: a joined phrase no segmentation produces, looked for as a substring. */
export type QueryWord = { concept: Concept; phrase?: string };

export function queryWords(words: string[], dictionary: Dictionary): QueryWord[] {
  return words.map((w) => ({ concept: dictionary.conceptOf(w), phrase: isUnknownPhrase(w, dictionary) ? w : undefined }));
}

/** One query word: whether a row matches it (text or field), and its score for that row. */
function wordMatch(target: SearchTarget, { concept, phrase }: QueryWord): { matched: SQL; score: SQL } {
  const terms = concept.terms.filter((t) => SAFE_WORD.test(t));
  const tokens = terms.length ? sql`${target.vector} @@ to_tsquery('simple', ${tsqueryText(terms, '|')})` : sql`false`;
  // A phrase the segmenter cannot split into words is looked for in the raw text.
  const text = phrase ? sql`(${tokens} or ${target.text} ilike ${containsPattern(phrase)})` : tokens;
  const primary = terms.length ? sql`${target.vector} @@ to_tsquery('simple', ${terms.map((t) => `${t}:A`).join(' | ')})` : sql`false`;
  const fields = target.fields(concept.meanings);
  // A word with two meanings (周结工: a temp job, settled weekly) scores by the share of them a row has.
  const fieldScore = fields.length ? sql`(${sql.join(fields.map((f) => f.score), sql` + `)}) / ${num(fields.length)}` : sql`0`;
  const matched = fields.length ? or(text, ...fields.map((f) => f.when))! : text;
  const { weights: w } = target;
  const score = sql`(${num(w.field)} * ${fieldScore} + (case when ${primary} then ${num(w.primary)} else 0 end) + (case when ${text} then ${num(w.text)} else 0 end))`;
  return { matched, score };
}

/**
 * A keyword match. `where`: the row matches at least one word. `all`: it matches every word (the rows above the
 * 部分符合 divider). `score`: the sum of the words' scores.
 */
export type KeywordMatch = { where: SQL; all: SQL; score: SQL };

export function keywordMatch(target: SearchTarget, words: QueryWord[]): KeywordMatch {
  const perWord = words.map((w) => wordMatch(target, w));
  return {
    where: or(...perWord.map((w) => w.matched))!,
    all: and(...perWord.map((w) => w.matched))!,
    score: sql`(${sql.join(perWord.map((w) => w.score), sql` + `)})`,
  };
}

/**
 * The fallback when no row matches any word: words jieba split differently in the document (厂 inside 电子厂),
 * or unknown terms. Each word as a substring of the raw text, or the whole query by trigram word similarity.
 */
export function fuzzyMatch(text: AnyColumn | SQL, words: string[], phrase: string): KeywordMatch {
  const perWord = words.map((w) => sql`${text} ilike ${containsPattern(w)}`);
  const similar = sql`word_similarity(${phrase}, ${text}) >= 0.5`;
  return { where: or(...perWord, similar)!, all: and(...perWord)!, score: sql`word_similarity(${phrase}, ${text})` };
}
