// Owns the tables of the message channel (every SMS and e-mail the site sends) and of one-time codes.
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts';

/**
 * Every SMS and e-mail, written by the sender inside its own transaction (a rolled-back change sends nothing);
 * the queue worker delivers it and records how that went. With the outbox driver this table is the outbox.
 */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    /** A mainland mobile number (11 digits) or a lower-cased e-mail address. */
    recipient: text('recipient').notNull(),
    /** What it is (`code`, `security_notice`, ...): names the SMS template and the label on the outbox page. */
    kind: text('kind').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    /** The template's variables, for SMS providers that only send registered templates. */
    params: jsonb('params').$type<Record<string, string>>().notNull().default({}),
    /** A one-time code inside body/params: hidden on the outbox page when a real driver sends, wiped once sent. */
    secret: text('secret'),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** queued → sent | stored (outbox driver: kept here, nothing left the site) | retrying → failed. */
    status: text('status', { enum: ['queued', 'sent', 'stored', 'retrying', 'failed'] }).notNull().default('queued'),
    driver: text('driver'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Past this the message is not sent any more (a code that expired while the provider was down). */
    validUntil: timestamp('valid_until', { withTimezone: true }),
    /** The provider's id for the message (Aliyun BizId, SMTP Message-ID). */
    providerId: text('provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('messages_created_idx').on(t.createdAt), index('messages_recipient_idx').on(t.recipient, t.createdAt)],
);

/**
 * One-time codes (6 digits, stored as an HMAC, never in clear). Rows are also the counters of the sending limits
 * (per recipient, per IP, site-wide per day), so they are kept two days and then deleted.
 */
export const verificationCodes = pgTable(
  'verification_codes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    purpose: text('purpose').notNull(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    recipient: text('recipient').notNull(),
    codeHash: text('code_hash').notNull(),
    ip: text('ip').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('verification_codes_recipient_idx').on(t.recipient, t.createdAt),
    index('verification_codes_ip_idx').on(t.ip, t.createdAt),
    index('verification_codes_created_idx').on(t.createdAt),
  ],
);
