// Owns client demand leads (企业用工需求, issue 22): what a visitor company asked for at /hire, and its history.
import { boolean, date, index, integer, numeric, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { clientCompanies } from './employers';
import { jobs, payUnit } from './jobs';

export const leadStatus = pgEnum('lead_status', ['new', 'following', 'signed', 'invalid']);
export const leadDuration = pgEnum('lead_duration', ['long', 'short', 'temp']);

export const leads = pgTable(
  'leads',
  {
    id: serial('id').primaryKey(),
    companyName: text('company_name').notNull(),
    contactName: text('contact_name').notNull(),
    /** Proved by an SMS code at submission. */
    phone: text('phone').notNull(),
    headcount: integer('headcount').notNull(),
    category: text('category').notNull(),
    district: text('district').notNull(),
    startDate: date('start_date').notNull(),
    duration: leadDuration('duration').notNull(),
    /** Days of a 短期 demand. */
    durationDays: integer('duration_days'),
    shift: text('shift').notNull().default(''),
    payAmount: numeric('pay_amount', { precision: 10, scale: 2, mode: 'number' }),
    payUnit: payUnit('pay_unit'),
    meals: boolean('meals').notNull().default(false),
    housing: boolean('housing').notNull().default(false),
    notes: text('notes').notNull().default(''),
    status: leadStatus('status').notNull().default('new'),
    assignedTo: integer('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    nextFollowUpOn: date('next_follow_up_on'),
    /** Set when the signed lead was converted: its client company and first draft job. */
    clientCompanyId: integer('client_company_id').references(() => clientCompanies.id, { onDelete: 'set null' }),
    convertedJobId: integer('converted_job_id').references(() => jobs.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('leads_status_created_idx').on(t.status, t.createdAt), index('leads_assigned_idx').on(t.assignedTo)],
);

/** A lead's history: creation, notes, status changes, assignment, follow-up dates and conversion, oldest first. */
export const leadEvents = pgTable(
  'lead_events',
  {
    id: serial('id').primaryKey(),
    leadId: integer('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** Kept beside the id: the entry still says who acted after that account is gone. */
    actorName: text('actor_name').notNull(),
    /** created | note | status | assign | follow_up | convert */
    kind: text('kind').notNull(),
    text: text('text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lead_events_lead_idx').on(t.leadId, t.createdAt)],
);

/**
 * A shortlist staff shared with a client company's contact (issue 22): which applications of which client job, to
 * whom, through which channel. Each shared seeker also gets a line in 谁看过我的简历 (resume_views, `share`).
 */
export const shortlistShares = pgTable(
  'shortlist_shares',
  {
    id: serial('id').primaryKey(),
    jobId: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    clientCompanyId: integer('client_company_id').references(() => clientCompanies.id, { onDelete: 'set null' }),
    /** Kept as text: the log still says who received what after the company row changes or goes. */
    clientCompanyName: text('client_company_name').notNull(),
    sharedBy: integer('shared_by').references(() => users.id, { onDelete: 'set null' }),
    sharedByName: text('shared_by_name').notNull(),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    applicationIds: integer('application_ids').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('shortlist_shares_job_idx').on(t.jobId, t.createdAt)],
);
