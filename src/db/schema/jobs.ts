// Owns job postings and the reports (举报) made against them.
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { clientCompanies } from './employers';
import { tsvector } from './types';

export const jobType = pgEnum('job_type', ['temp', 'parttime', 'dispatch', 'fulltime']);
export const payUnit = pgEnum('pay_unit', ['hour', 'day', 'month', 'piece']);
export const settlement = pgEnum('settlement', ['daily', 'weekly', 'monthly', 'completion']);
export const jobStatus = pgEnum('job_status', ['draft', 'pending', 'published', 'rejected', 'closed', 'expired']);

export const jobs = pgTable(
  'jobs',
  {
    id: serial('id').primaryKey(),
    /** Null once the employer account is deleted; the posting itself is company data, not personal data. */
    employerId: integer('employer_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    type: jobType('type').notNull(),
    category: text('category').notNull(),
    city: text('city').notNull().default('深圳'),
    district: text('district').notNull(),
    /** Kind of workplace (vocabulary WORKPLACES): chosen in the form, or inferred from the text (issue 19). */
    workplace: text('workplace').notNull().default('其他'),
    address: text('address').notNull(),
    payMin: numeric('pay_min', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    payMax: numeric('pay_max', { precision: 10, scale: 2, mode: 'number' }),
    payUnit: payUnit('pay_unit').notNull(),
    /** Pay converted to 元/天 (8-hour day, 21.75-day month) so that jobs of different units sort and filter together. */
    payDaily: numeric('pay_daily', { precision: 10, scale: 2, mode: 'number' }),
    settlement: settlement('settlement').notNull(),
    headcount: integer('headcount').notNull(),
    shift: text('shift').notNull().default(''),
    startDate: date('start_date'),
    endDate: date('end_date'),
    ageMin: integer('age_min'),
    ageMax: integer('age_max'),
    requirements: text('requirements').notNull().default(''),
    benefits: text('benefits').array().notNull().default(sql`'{}'::text[]`),
    description: text('description').notNull(),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    /** 派遣单位 and 用工单位: required when type = dispatch. */
    dispatchAgencyName: text('dispatch_agency_name'),
    dispatchAgencyLicense: text('dispatch_agency_license'),
    worksiteEmployerName: text('worksite_employer_name'),
    /**
     * Set on a job staff posted for a client company (issue 22): the site owner is the 派遣单位, this company the
     * 用工单位. `employerId` is then the staff member who posted it; the client company never sees its applicants.
     */
    clientCompanyId: integer('client_company_id').references(() => clientCompanies.id, { onDelete: 'set null' }),
    /** The employer ticked 本职位不向求职者收取任何费用. */
    feeAttested: boolean('fee_attested').notNull().default(false),
    status: jobStatus('status').notNull().default('draft'),
    rejectReason: text('reject_reason'),
    /** Discrimination words found in the text, shown to the admin in the review queue. */
    flaggedWords: text('flagged_words').array().notNull().default(sql`'{}'::text[]`),
    validUntil: date('valid_until').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /**
     * When the job went into the newest-first lists: the publication, or the last refresh (issue 18). Every list
     * index sorts on it, so a refresh moves the job to the top without a new sort key.
     */
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /**
     * The real publication time once the employer has refreshed the job (null until then): the job page keeps
     * showing it as 发布于, and the refresh time (published_at) shows as 更新于. A new approval clears it.
     */
    firstPublishedAt: timestamp('first_published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** jieba-segmented words of title, category, district, type, benefits and description. */
    searchVector: tsvector('search_vector'),
    /** The same text unsegmented, for pg_trgm matching of short or unknown terms. */
    searchText: text('search_text').notNull().default(''),
  },
  (t) => [
    index('jobs_search_idx').using('gin', t.searchVector),
    index('jobs_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('jobs_status_published_idx').on(t.status, t.publishedAt.desc()),
    index('jobs_employer_idx').on(t.employerId, t.status),
    // The public lists walk these newest-first and stop at a page; the field ones also serve the search
    // words that name a field (南山 → district), which the text index alone cannot answer.
    index('jobs_listed_idx').on(t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.status} = 'published'`),
    // After the walk's order, every column a search's walk reads (issue 21): the walk is an index-only scan, with the
    // validity and a settlement filter tested on the index entries instead of a heap visit per job passed over.
    index('jobs_listed_category_idx').on(t.category, t.publishedAt.desc().nullsFirst(), t.id, t.employerId, t.validUntil, t.settlement, t.district, t.type).where(sql`${t.status} = 'published'`),
    index('jobs_listed_district_idx').on(t.district, t.publishedAt.desc().nullsFirst(), t.id, t.employerId, t.validUntil, t.settlement, t.type, t.category).where(sql`${t.status} = 'published'`),
    index('jobs_listed_type_idx').on(t.type, t.publishedAt.desc().nullsFirst(), t.id, t.employerId, t.validUntil, t.settlement, t.district, t.category).where(sql`${t.status} = 'published'`),
    // A search word that names a workplace or a benefit (issue 19) is an arm of the match's OR: each arm needs an index.
    index('jobs_listed_workplace_idx').on(t.workplace, t.publishedAt.desc().nullsFirst()).where(sql`${t.status} = 'published'`),
    index('jobs_listed_benefits_idx').using('gin', t.benefits).where(sql`${t.status} = 'published'`),
    // Similar jobs: the newest few of each (category, district, type) group, a short walk per group (issue 21).
    index('jobs_listed_group_idx').on(t.category, t.district, t.type, t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.status} = 'published'`),
  ],
);

export const reportReason = pgEnum('report_reason', ['fee', 'fake_pay', 'impersonation', 'scam', 'discrimination', 'other']);
export const reportStatus = pgEnum('report_status', ['open', 'upheld', 'dismissed']);

export const jobReports = pgTable(
  'job_reports',
  {
    id: serial('id').primaryKey(),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    reporterId: integer('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reason: reportReason('reason').notNull(),
    text: text('text').notNull().default(''),
    status: reportStatus('status').notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_reports_status_idx').on(t.status, t.createdAt)],
);
