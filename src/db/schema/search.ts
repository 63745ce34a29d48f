// Owns the tables of search (issue 19): the dictionary words admins add, the log of searches for analytics,
// and the progress of the background re-indexing a dictionary change starts.
import { bigserial, index, integer, jsonb, pgTable, serial, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts';

/** What a dictionary word means, field by field; each list may hold several values (周结工: type and settlement). */
export type TermMeanings = {
  category?: string[];
  type?: string[];
  settlement?: string[];
  benefit?: string[];
  workplace?: string[];
  district?: string[];
};

/**
 * Words admins add to the dictionary file's (src/search/dictionary.txt). A row for a word the file has replaces
 * the file's entry. A trigger raises the 'search_terms' generation (and 'listed_jobs') with every change.
 */
export const searchTerms = pgTable('search_terms', {
  id: serial('id').primaryKey(),
  word: text('word').notNull().unique(),
  synonyms: text('synonyms').array().notNull().default([]),
  meanings: jsonb('meanings').$type<TermMeanings>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
});

/**
 * One search or one click on a result. No user id, no IP, no session: only the words, the filters, the number
 * of results and, for a click, its rank. Kept 180 days (maintenance task 'search-events').
 */
export const searchEvents = pgTable(
  'search_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['search', 'click'] }).notNull(),
    /** The query as segmented, space-joined (lower case, NFKC): what the analytics group by. */
    query: text('query').notNull(),
    filters: jsonb('filters').$type<Record<string, string>>().notNull().default({}),
    /** Jobs the page listed (partial matches included). */
    results: integer('results'),
    /** Of those, the jobs matching every word: 0 means some word found nothing with the others (teach it). */
    exact: integer('exact'),
    rank: smallint('rank'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('search_events_at_idx').on(t.at), index('search_events_query_idx').on(t.query, t.at)],
);

/** Re-indexing of the jobs a dictionary change concerns, done in the background; the admin page shows progress. */
export const searchReindexRuns = pgTable('search_reindex_runs', {
  id: serial('id').primaryKey(),
  /** `file:<hash>` for the shipped dictionary, `terms:<n>` for an admin's change: one process claims each. */
  key: text('key').notNull().unique(),
  words: text('words').array().notNull(),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
