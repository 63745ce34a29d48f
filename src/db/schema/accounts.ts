// Owns the tables of accounts: users, sessions, rate-limit counters and consent records.
import { index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['seeker', 'employer', 'admin']);
export const userStatus = pgEnum('user_status', ['active', 'disabled']);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  /** Normalised login: a mainland mobile number (digits only) or a lower-cased email. */
  login: text('login').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: userRole('role').notNull(),
  displayName: text('display_name').notNull(),
  status: userStatus('status').notNull().default('active'),
  /** The privacy-policy version this user last accepted; a newer version asks again at login. */
  policyVersion: text('policy_version'),
  policyAcceptedAt: timestamp('policy_accepted_at', { withTimezone: true }),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    sess: jsonb('sess').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Copied out of `sess` so that disabling or deleting a user ends every session at once. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_expires_idx').on(t.expiresAt), index('sessions_user_idx').on(t.userId)],
);

/** Fixed-window counters shared by every app process (login lockout, signup, apply, report). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
});

export const consents = pgTable(
  'consents',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `privacy_policy` at signup/re-consent; `share_with_employer` at the first application to an employer. */
    kind: text('kind').notNull(),
    policyVersion: text('policy_version'),
    employerId: integer('employer_id').references(() => users.id, { onDelete: 'set null' }),
    employerName: text('employer_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consents_user_idx').on(t.userId, t.kind)],
);
