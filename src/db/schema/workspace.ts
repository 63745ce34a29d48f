// Owns the employer's workspace: private notes on applications, interview invitations, the log of exports, and the
// talent pool (seekers who opted in, and employers' invitations to apply).
import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { tsvector } from './types';
import { jobs } from './jobs';
import { applications } from './seekers';

/** An employer's private note on one application: never shown to the seeker, never exported. */
export const applicationNotes = pgTable(
  'application_notes',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_notes_app_idx').on(t.applicationId, t.createdAt)],
);

/**
 * An interview invitation for one application. `status`: invited → accepted | declined | reschedule (the seeker's
 * answer, with `reply`); a new invitation is a new row, so the timeline keeps every round.
 */
export const interviews = pgTable(
  'interviews',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    /** onsite (at `place`) or phone. */
    mode: text('mode').notNull(),
    place: text('place').notNull().default(''),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    note: text('note').notNull().default(''),
    status: text('status').notNull().default('invited'),
    reply: text('reply').notNull().default(''),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** When the 2-hour reminder went to the seeker (sent once). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('interviews_app_idx').on(t.applicationId, t.createdAt), index('interviews_starts_idx').on(t.startsAt)],
);

/** Every applicant export: who, when, how many rows, with which filters. */
export const applicantExports = pgTable(
  'applicant_exports',
  {
    id: serial('id').primaryKey(),
    employerId: integer('employer_id').references(() => users.id, { onDelete: 'set null' }),
    rowCount: integer('row_count').notNull(),
    filters: jsonb('filters').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('applicant_exports_employer_idx').on(t.employerId, t.createdAt)],
);

/**
 * Seekers who opted into the talent pool (公开我的简历,允许认证企业找到我). Off by default: no row. Turning it
 * off deletes the row, so the seeker is out of every search at once. The row is also the public resume's search
 * document (talent.search.ts), as `jobs.search_vector` is a job's: written at the opt-in and at every save of the
 * resume, in the same transaction; null only for a row from before it existed (filled in at start).
 */
export const talentPoolMembers = pgTable(
  'talent_pool_members',
  {
    userId: integer('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    optedInAt: timestamp('opted_in_at', { withTimezone: true }).notNull().defaultNow(),
    /** Weighted words: A what the seeker wants and holds (求职意向, certificates, skills), B facts, C intro and work history. */
    searchVector: tsvector('search_vector'),
    /** The same text, lower case, for the substring fallback and for finding the rows a dictionary change concerns. */
    searchText: text('search_text'),
  },
  (t) => [index('talent_pool_search_idx').using('gin', t.searchVector)],
);

/** An employer's invitation to a seeker found in the talent pool to apply to one of its jobs: one per seeker per job. */
export const talentInvitations = pgTable(
  'talent_invitations',
  {
    id: serial('id').primaryKey(),
    employerId: integer('employer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    seekerId: integer('seeker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('talent_invitations_job_seeker_idx').on(t.jobId, t.seekerId), index('talent_invitations_employer_idx').on(t.employerId, t.createdAt)],
);
