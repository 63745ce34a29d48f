// Owns the company profile of an employer account.
import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { files } from './files';

export const employerProfiles = pgTable('employer_profiles', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  companyName: text('company_name').notNull(),
  /** 统一社会信用代码, 18 characters, checked against its GB 32100-2015 check character. */
  creditCode: text('credit_code').notNull(),
  contactName: text('contact_name').notNull(),
  contactPhone: text('contact_phone').notNull(),
  address: text('address').notNull(),
  intro: text('intro').notNull().default(''),
  /** 劳务派遣经营许可证 number, for dispatch agencies. */
  licenseNo: text('license_no'),
  licenseFileId: integer('license_file_id').references(() => files.id, { onDelete: 'set null' }),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  verifiedBy: integer('verified_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A client company (用工单位) of the dispatch company: made by staff when a lead is signed, it has no account.
 * Jobs posted by staff for it name the site owner as 派遣单位 and it as 用工单位 (issue 22).
 */
export const clientCompanies = pgTable('client_companies', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  /** 统一社会信用代码, checked like an employer's; one client company per code. */
  creditCode: text('credit_code').notNull().unique(),
  contactName: text('contact_name').notNull(),
  contactPhone: text('contact_phone').notNull(),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
