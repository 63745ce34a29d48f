// Owns how query words match and score against a searchable table (issue 19's ranking): one word's concept (its
// synonyms and the fields it means) against a weighted tsvector, the raw text and the table's own fields. Job search
// (jobs.queries.ts) and the talent pool (talent.search.ts) both rank with it, each with its table's columns.
import { type SQL } from 'drizzle-orm';
import type { TermMeanings } from '../db/schema';
import { andText, orText, rawText, sqlText, joinText, toDrizzle, type SqlText } from '../db/sqlText';
import type { Concept, Dictionary } from './dictionary';
import { isUnknownPhrase } from './segment';
import { containsPattern, SAFE_WORD, tsqueryText } from './tsvector';

/**
 * One field a word means, as a condition on the row (a row meets it or not). `walks`: for job fields, conditions
 * (one per value) whose OR is `when` and whose listed jobs the top-N search walks newest first. `titled`: a field
 * whose value most rows also name in their title (a job's category), so that a short walk usually proves a page.
 */
export type FieldPart = { when: SqlText; walks?: SqlText[]; titled?: boolean };

export function fieldPart(when: SqlText, walks?: SqlText[], titled = false): FieldPart {
  return { when, walks, titled };
}

/**
 * A table search runs over: its tsvector (weight A: what the row is, e.g. a job's title), its lower-case raw text,
 * the conditions of the fields a word's meanings name, and the weights of a field, an A-word and any word. Written
 * as SQL text (db/sqlText.ts): job search's top-N statements are sent as text, its other queries and the talent
 * pool's take the same pieces through drizzle.
 */
export type SearchTarget = {
  vector: SqlText;
  text: SqlText;
  fields: (meanings: TermMeanings) => FieldPart[];
  weights: { field: number; primary: number; text: number };
};

/** A weight of the code written into the SQL (a bound parameter would be typed from its first use: integer). */
export const num = (x: number): SqlText => rawText(`${Number(x)}::float`);

/** A query word with what it stands for; `phrase`: a joined phrase no segmentation produces, looked for as a substring. */
export type QueryWord = { concept: Concept; phrase?: string };

export function queryWords(words: string[], dictionary: Dictionary): QueryWord[] {
  return words.map((w) => ({ concept: dictionary.conceptOf(w), phrase: isUnknownPhrase(w, dictionary) ? w : undefined }));
}

/** A word's tests as SQL: anywhere in the text, in the primary part (weight A), and each field it names. */
export type WordTests = { text: SqlText; primary: SqlText; fields: SqlText[] };

/**
 * The word's score for a row. Written once, so that job search's full ranking and its top-N ranking (which
 * computes the tests once per row and passes references to them) compute the same floats.
 */
export function wordScore(weights: SearchTarget['weights'], t: WordTests): SqlText {
  // A word with two meanings (周结工: a temp job, settled weekly) scores by the share of them a row has.
  const fieldScore = t.fields.length ? sqlText`(${joinText(t.fields.map((when) => sqlText`(case when ${when} then 1 else 0 end)`), ' + ')}) / ${num(t.fields.length)}` : rawText('0');
  return sqlText`(${num(weights.field)} * ${fieldScore} + (case when ${t.primary} then ${num(weights.primary)} else 0 end) + (case when ${t.text} then ${num(weights.text)} else 0 end))`;
}

/** Whether a row matches the word: its text, or one of the fields it names. */
export const wordMatched = (t: WordTests): SqlText => (t.fields.length ? orText([t.text, ...t.fields]) : t.text);

/** One query word against a target: its tests, whether a row matches it, and its fields (with their walks). */
export type WordMatch = { tests: WordTests; matched: SqlText; fields: FieldPart[]; terms: boolean; phrase: boolean };

export function wordMatch(target: SearchTarget, { concept, phrase }: QueryWord): WordMatch {
  const terms = concept.terms.filter((t) => SAFE_WORD.test(t));
  const tokens = terms.length ? sqlText`${target.vector} @@ to_tsquery('simple', ${tsqueryText(terms, '|')})` : rawText('false');
  // A phrase the segmenter cannot split into words is looked for in the raw text.
  const text = phrase ? sqlText`(${tokens} or ${target.text} ilike ${containsPattern(phrase)})` : tokens;
  const primary = terms.length ? sqlText`${target.vector} @@ to_tsquery('simple', ${terms.map((t) => `${t}:A`).join(' | ')})` : rawText('false');
  const fields = target.fields(concept.meanings);
  const tests = { text, primary, fields: fields.map((f) => f.when) };
  return { tests, matched: wordMatched(tests), fields, terms: terms.length > 0, phrase: Boolean(phrase) };
}

/**
 * A keyword match. `where`: the row matches at least one word. `all`: it matches every word (the rows above the
 * 部分符合 divider). `score`: the sum of the words' scores.
 */
export type KeywordMatchText = { where: SqlText; all: SqlText; score: SqlText; words?: WordMatch[] };

export function keywordMatchText(target: SearchTarget, words: QueryWord[]): KeywordMatchText {
  const perWord = words.map((w) => wordMatch(target, w));
  return {
    where: orText(perWord.map((w) => w.matched)),
    all: andText(perWord.map((w) => w.matched)),
    score: sqlText`(${joinText(perWord.map((w) => wordScore(target.weights, w.tests)), ' + ')})`,
    words: perWord,
  };
}

/**
 * The fallback when no row matches any word: words jieba split differently in the document (厂 inside 电子厂),
 * or unknown terms. Each word as a substring of the raw text, or the whole query by trigram word similarity.
 */
export function fuzzyMatchText(text: SqlText, words: string[], phrase: string): KeywordMatchText {
  const perWord = words.map((w) => sqlText`${text} ilike ${containsPattern(w)}`);
  const similar = sqlText`word_similarity(${phrase}, ${text}) >= 0.5`;
  return { where: orText([...perWord, similar]), all: andText(perWord), score: sqlText`word_similarity(${phrase}, ${text})` };
}

/** A keyword match for drizzle queries (the talent pool). */
export type KeywordMatch = { where: SQL; all: SQL; score: SQL };

const forDrizzle = (m: KeywordMatchText): KeywordMatch => ({ where: toDrizzle(m.where), all: toDrizzle(m.all), score: toDrizzle(m.score) });

export const keywordMatch = (target: SearchTarget, words: QueryWord[]): KeywordMatch => forDrizzle(keywordMatchText(target, words));

export const fuzzyMatch = (text: SqlText, words: string[], phrase: string): KeywordMatch => forDrizzle(fuzzyMatchText(text, words, phrase));
