// Owns job alerts (issue 20): a seeker's saved searches, and the record of which job went to which subscription.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { jobs } from './jobs';
import type { TermMeanings } from './search';

/** One word of the saved query, compiled with the dictionary of the day it was saved (terms, field meanings). */
export type AlertWord = { tsquery: string; phrase?: string; meanings: TermMeanings };

/** The search as the /jobs page takes it (for the link back and the list), without page and sort. */
export type AlertSearch = { q: string; type?: string; district?: string; settlement?: string; category?: string; payMin?: number; benefits: string[] };

export const jobAlerts = pgTable(
  'job_alerts',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    search: jsonb('search').$type<AlertSearch>().notNull(),
    /** The query's words, matched in SQL against a published job (every word must match, as above the divider). */
    words: jsonb('words').$type<AlertWord[]>().notNull().default([]),
    /** The version of the dictionary the words were compiled with (Dictionary.version): another one recompiles them. */
    wordsVersion: text('words_version'),
    type: text('type'),
    district: text('district'),
    settlement: text('settlement'),
    category: text('category'),
    payMin: integer('pay_min'),
    benefits: text('benefits').array().notNull().default([]),
    /** instant | daily */
    frequency: text('frequency').notNull().default('instant'),
    /** Beijing hour of the daily digest (0–23). */
    digestHour: smallint('digest_hour').notNull().default(8),
    /** inbox | sms | email */
    channel: text('channel').notNull().default('inbox'),
    paused: boolean('paused').notNull().default(false),
    lastDigestAt: timestamp('last_digest_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('job_alerts_user_idx').on(t.userId),
    index('job_alerts_active_idx').on(t.frequency).where(sql`not paused`),
    // Finds the searches compiled with another dictionary without a scan (recompileStaleAlerts, before every match).
    index('job_alerts_words_version_idx').on(t.wordsVersion),
  ],
);

/**
 * What was (or will be) sent: one row per subscription and job, unique, so a job reaches a subscription at most once.
 * status: pending (instant, due at `dueAt`), digest (waits for the daily digest), sent, dropped (job no longer open).
 */
export const jobAlertSends = pgTable(
  'job_alert_sends',
  {
    id: serial('id').primaryKey(),
    alertId: integer('alert_id')
      .notNull()
      .references(() => jobAlerts.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull(),
    status: text('status').notNull(),
    /** The channel it went through (sms counts toward the daily cap). */
    channel: text('channel'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('job_alert_sends_alert_job_uq').on(t.alertId, t.jobId),
    index('job_alert_sends_due_idx').on(t.status, t.dueAt),
    index('job_alert_sends_user_sent_idx').on(t.userId, t.sentAt),
  ],
);
