// Owns the tables of accounts: users, sessions, rate-limit counters and consent records.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['seeker', 'employer', 'admin', 'consultant']);
export const userStatus = pgEnum('user_status', ['active', 'disabled']);

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    /**
     * Normalised login: a mainland mobile number (digits only) or a lower-cased email (an ADMIN_LOGIN may be
     * anything). Shown in lists and the audit log; signing in also works with `phone` or `email`.
     */
    login: text('login').notNull().unique(),
    /** Null for an account made with a code only (quick apply); it signs in with a code until it sets one. */
    passwordHash: text('password_hash'),
    /** The account's mobile number: signs in with a password or an SMS code, receives SMS. */
    phone: text('phone').unique(),
    /** When an SMS code proved the phone is the user's; null for numbers from before phone checks (asked once). */
    phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true }),
    /** When the user was asked, at login, to verify their phone (asked once). */
    phonePromptedAt: timestamp('phone_prompted_at', { withTimezone: true }),
    email: text('email').unique(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    role: userRole('role').notNull(),
    displayName: text('display_name').notNull(),
    status: userStatus('status').notNull().default('active'),
    /** The privacy-policy version this user last accepted; a newer version asks again at login. */
    policyVersion: text('policy_version'),
    policyAcceptedAt: timestamp('policy_accepted_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A login that is a phone or an email is also in that column, whose unique index then keeps one account per
    // number or address, whichever column a sign-in looks it up by.
    // (`is not distinct from`: a null phone must fail the check, where `=` would give null and let it pass.)
    check(
      'users_login_is_phone_or_email',
      sql`(${t.login} !~ '^1[3-9][0-9]{9}$' or ${t.phone} is not distinct from ${t.login}) and (position('@' in ${t.login}) = 0 or ${t.email} is not distinct from ${t.login})`,
    ),
    // The search's walks keep only jobs of active employers, one probe per walked job: answered by this index alone.
    index('users_active_idx').on(t.id).where(sql`${t.status} = 'active'`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    sess: jsonb('sess').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Copied out of `sess` so that disabling or deleting a user ends every session at once. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** A session lives at most 30 days from here, however active (login makes a new row). */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last request seen, to within the store's touch interval: shown on /me/security. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
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
