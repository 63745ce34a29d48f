// Owns what a job seeker keeps on the site: profile, resumes, applications, saved and viewed jobs, and who saw their resumes.
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { files } from './files';
import { notifications } from './notifications';
import { jobs } from './jobs';

/** One job of the online resume; months are `YYYY-MM`, `to` null means 至今. */
export type ResumeExperience = { company: string; role: string; from: string; to: string | null; description: string };

export const seekerProfiles = pgTable('seeker_profiles', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  realName: text('real_name').notNull().default(''),
  gender: text('gender'),
  birthYear: integer('birth_year'),
  phone: text('phone').notNull().default(''),
  district: text('district').notNull().default(''),
  intro: text('intro').notNull().default(''),
  desiredTypes: text('desired_types').array().notNull().default(sql`'{}'::text[]`),
  // The online resume (微简历, issue 17): what the seeker wants, experience, certificates and a photo.
  desiredCategories: text('desired_categories').array().notNull().default(sql`'{}'::text[]`),
  desiredDistricts: text('desired_districts').array().notNull().default(sql`'{}'::text[]`),
  minPay: integer('min_pay'),
  minPayUnit: text('min_pay_unit'),
  preferredSettlement: text('preferred_settlement'),
  availability: text('availability'),
  experiences: jsonb('experiences').$type<ResumeExperience[]>().notNull().default([]),
  /** Tags picked from CERTIFICATES. */
  certificates: text('certificates').array().notNull().default(sql`'{}'::text[]`),
  /** The seeker's own tags. */
  skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
  photoFileId: integer('photo_file_id').references(() => files.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const resumes = pgTable(
  'resumes',
  {
    id: serial('id').primaryKey(),
    seekerId: integer('seeker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fileId: integer('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last time the resume was sent with an application; the retention sweep counts from here. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** When the owner was warned that the retention sweep will delete it. */
    retentionWarnedAt: timestamp('retention_warned_at', { withTimezone: true }),
  },
  (t) => [
    index('resumes_seeker_idx').on(t.seekerId),
    uniqueIndex('resumes_one_default_idx').on(t.seekerId).where(sql`${t.isDefault}`),
  ],
);

export const applicationStatus = pgEnum('application_status', [
  'new',
  'viewed',
  'shortlisted',
  'hired',
  'rejected',
  'withdrawn',
  'closed',
]);

export const applications = pgTable(
  'applications',
  {
    id: serial('id').primaryKey(),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /** Null once the seeker deleted the account: the row stays so the employer's counts stay right. */
    seekerId: integer('seeker_id').references(() => users.id, { onDelete: 'set null' }),
    resumeId: integer('resume_id').references(() => resumes.id, { onDelete: 'set null' }),
    message: text('message').notNull().default(''),
    /** False when the seeker applied with the online resume only: a null resume_id then means "no file", not "deleted". */
    hasAttachment: boolean('has_attachment').notNull().default(true),
    status: applicationStatus('status').notNull().default('new'),
    viewedAt: timestamp('viewed_at', { withTimezone: true }),
    anonymisedAt: timestamp('anonymised_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The database, not a prior check, refuses a second application (also under double-submit).
    uniqueIndex('applications_job_seeker_idx').on(t.jobId, t.seekerId),
    index('applications_seeker_idx').on(t.seekerId, t.createdAt),
    index('applications_job_idx').on(t.jobId, t.status),
    // A resume's newest application (the retention sweep asks it for every resume) and the FK's SET NULL on
    // delete: without it, each is a scan of all applications, minutes at 200,000 on PGlite (issue 21).
    index('applications_resume_idx').on(t.resumeId, t.createdAt),
  ],
);

export const applicationEvents = pgTable(
  'application_events',
  {
    id: serial('id').primaryKey(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    fromStatus: applicationStatus('from_status'),
    toStatus: applicationStatus('to_status').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The seeker's site-inbox message about this change: an undo removes it while it is unread (issue 18). */
    notificationId: integer('notification_id').references(() => notifications.id, { onDelete: 'set null' }),
    /** Set on the event an undo writes: the event it reverts. An undo cannot itself be undone. */
    undoOf: integer('undo_of'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_events_app_idx').on(t.applicationId)],
);

export const savedJobs = pgTable(
  'saved_jobs',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.jobId] })],
);

export const jobViews = pgTable(
  'job_views',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    viewedAt: timestamp('viewed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.jobId] }), index('job_views_user_idx').on(t.userId, t.viewedAt)],
);

/** Every employer (or admin) view or download of a seeker's resume: the seeker's 谁看过我的简历. */
export const resumeViews = pgTable(
  'resume_views',
  {
    id: serial('id').primaryKey(),
    seekerId: integer('seeker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    resumeId: integer('resume_id').references(() => resumes.id, { onDelete: 'set null' }),
    viewerId: integer('viewer_id').references(() => users.id, { onDelete: 'set null' }),
    viewerName: text('viewer_name').notNull(),
    action: text('action').notNull(),
    applicationId: integer('application_id').references(() => applications.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('resume_views_seeker_idx').on(t.seekerId, t.createdAt)],
);
