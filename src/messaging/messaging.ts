// Owns the message channel: `send(tx, message)` queues an SMS or e-mail inside the caller's transaction, and the
// worker delivers it through the configured driver, off the request path, with retries. See docs/messaging.md.
import { eq, inArray, lt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type PgBoss from 'pg-boss';
import type { Config } from '../config';
import type { Db, DbHandle } from '../db/client';
import { messages } from '../db/schema';
import { EMAIL_RE, MOBILE_RE, normalizePhone } from '../domain/text';
import type { Logger } from '../logger';
import { aliyunSmsDriver } from './drivers/aliyunSms';
import { DeliveryError, outboxDriver, type Driver, type StoredMessage } from './drivers/driver';
import { smtpDriver } from './drivers/smtp';
import { createBoss, MESSAGE_QUEUE, NOTIFY_CHANNEL, transactionalEnqueue } from './queue';

export type Channel = 'sms' | 'email';

/**
 * What a feature hands to `send`. `kind` names the message (and, for SMS providers that only send registered
 * templates, the template: ALIYUN_SMS_TEMPLATES maps kind → template code); `params` are the template's variables;
 * `body` is the full text (the e-mail body, the outbox page's text). Put a one-time code in `secret` as well: the
 * outbox page hides it when a real driver sends, and it is wiped from the row once delivered.
 */
export type OutgoingMessage = {
  channel: Channel;
  /** A mainland mobile number (any common spelling) for SMS, an e-mail address for e-mail. */
  to: string;
  kind: string;
  subject?: string;
  body: string;
  params?: Record<string, string>;
  secret?: string;
  /** The account the message is about, if any: its messages go when the account is deleted. */
  userId?: number | null;
  /** Not delivered after this (a code that would have expired on arrival). */
  validUntil?: Date;
};

export class InvalidRecipientError extends Error {
  constructor(channel: Channel) {
    super(channel === 'sms' ? 'SMS needs a mainland mobile number' : 'e-mail needs an e-mail address');
  }
}

const MASK = '******';
/** Jobs fetched per round; each is delivered and settled on its own. */
const BATCH = 10;
/** The worker looks for due messages this often; a NOTIFY at each commit wakes it sooner. */
const POLL_MS = 5_000;

/** A recipient as stored: 11 digits, or a lower-cased address. */
export function normalizeRecipient(channel: Channel, to: string): string {
  if (channel === 'sms') {
    const phone = normalizePhone(to);
    if (!MOBILE_RE.test(phone)) throw new InvalidRecipientError(channel);
    return phone;
  }
  const email = to.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) throw new InvalidRecipientError(channel);
  return email;
}

function isTransaction(db: Db): boolean {
  return db instanceof PgTransaction;
}

/** The text with the code replaced by asterisks. */
export function hideSecret(text: string, secret: string | null): string {
  return secret ? text.split(secret).join(MASK) : text;
}

/**
 * Forgets every message to these phones or addresses (a deleted account: also those sent before it existed, such
 * as its signup code, which carry no user id).
 */
export async function deleteMessagesTo(tx: Db, recipients: string[]): Promise<void> {
  if (recipients.length) await tx.delete(messages).where(inArray(messages.recipient, recipients));
}

export type MessagingOptions = {
  db: Db;
  dbHandle: DbHandle;
  config: Config['messaging'];
  logger: Logger;
  now: () => Date;
  /** Drivers to use instead of the configured ones (tests of a driver's failures). */
  drivers?: Partial<Record<Channel, Driver>>;
};

export class Messaging {
  readonly drivers: Record<Channel, Driver>;
  private readonly boss: PgBoss;
  private draining: Promise<number> | null = null;
  private wakeAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly options: MessagingOptions) {
    const { config } = options;
    this.drivers = {
      sms: options.drivers?.sms ?? (config.sms.driver === 'aliyun' ? aliyunSmsDriver(config.sms) : outboxDriver),
      email: options.drivers?.email ?? (config.email.driver === 'smtp' ? smtpDriver(config.email) : outboxDriver),
    };
    this.boss = createBoss(options.db, options.logger);
  }

  /** Connects the queue (its schema comes with the migrations). */
  async open(): Promise<void> {
    await this.boss.start();
  }

  /** The channels whose messages only go to the outbox: nothing is really sent on them. */
  get storesOnly(): Channel[] {
    return (['sms', 'email'] as const).filter((c) => this.drivers[c].storesOnly);
  }

  /**
   * Queues a message: a `messages` row and its queue job, written with `tx`, so a change that rolls back sends
   * nothing. Called with the plain handle instead of a transaction, it makes its own. Returns the message id.
   */
  async send(tx: Db, message: OutgoingMessage): Promise<number> {
    if (!isTransaction(tx)) return this.options.db.transaction((inner) => this.send(inner, message));
    const [row] = await tx
      .insert(messages)
      .values({
        channel: message.channel,
        recipient: normalizeRecipient(message.channel, message.to),
        kind: message.kind,
        subject: message.subject ?? null,
        body: message.body,
        params: message.params ?? {},
        secret: message.secret ?? null,
        userId: message.userId ?? null,
        validUntil: message.validUntil ?? null,
        createdAt: this.options.now(),
      })
      .returning({ id: messages.id });
    await transactionalEnqueue(this.boss, tx, { messageId: row!.id });
    // Delivered at commit (not before, not at all on rollback): wakes the workers at once instead of at their next poll.
    await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, '')`);
    return row!.id;
  }

  /**
   * Delivers every message that is due, one at a time, and returns how many jobs it settled. The worker calls it
   * on each wake-up; tests call it to deliver deterministically. `includeDelayed` makes one round that also takes
   * the jobs waiting for a retry's backoff: each is tried once more (a test of the retries, without waiting).
   */
  async drain(options: { includeDelayed?: boolean } = {}): Promise<number> {
    let settled = 0;
    for (;;) {
      const jobs = (await this.boss.fetch<{ messageId: number }>(MESSAGE_QUEUE, {
        batchSize: BATCH,
        includeMetadata: true,
        ignoreStartAfter: options.includeDelayed ?? false,
      })) as PgBoss.JobWithMetadata<{ messageId: number }>[];
      if (jobs.length === 0) return settled;
      for (const job of jobs) {
        const outcome = await this.deliver(job.data.messageId, job.retryCount >= job.retryLimit);
        if (outcome === 'retry') await this.boss.fail(MESSAGE_QUEUE, job.id, { reason: 'delivery failed' });
        else await this.boss.complete(MESSAGE_QUEUE, job.id);
        settled += 1;
      }
      if (options.includeDelayed) return settled;
    }
  }

  /** One delivery try; the message row says how it went. 'retry' asks the queue to try again after its backoff. */
  private async deliver(messageId: number, lastTry: boolean): Promise<'done' | 'retry'> {
    const { db, logger, now } = this.options;
    const [message] = await db.select().from(messages).where(eq(messages.id, messageId));
    // Already settled (a job retried after its worker died mid-way), or gone with its account: nothing to do.
    if (!message || message.status === 'sent' || message.status === 'stored' || message.status === 'failed') return 'done';
    const driver = this.drivers[message.channel];
    if (message.validUntil && message.validUntil <= now()) {
      await this.settle(message, driver, { status: 'failed', lastError: '已过期,未再发送' });
      return 'done';
    }
    try {
      const result = await driver.deliver(message);
      await this.settle(message, driver, { status: driver.storesOnly ? 'stored' : 'sent', providerId: result.providerId ?? null, sentAt: now(), lastError: null });
      return 'done';
    } catch (err) {
      const permanent = err instanceof DeliveryError ? err.permanent : false;
      const final = permanent || lastTry;
      const lastError = (err as Error).message.slice(0, 500);
      logger[final ? 'error' : 'warn']({ messageId, channel: message.channel, kind: message.kind, driver: driver.name, err: lastError, final }, 'message delivery failed');
      await this.settle(message, driver, { status: final ? 'failed' : 'retrying', lastError });
      return final ? 'done' : 'retry';
    }
  }

  /** Records a try. Once a real driver is done with a message, its code is wiped from the row. */
  private async settle(message: StoredMessage, driver: Driver, change: Partial<StoredMessage> & { status: StoredMessage['status'] }) {
    const done = change.status !== 'retrying';
    const wipe = done && !driver.storesOnly && message.secret;
    await this.options.db
      .update(messages)
      .set({
        ...change,
        driver: driver.name,
        attempts: sql`${messages.attempts} + 1`,
        ...(wipe
          ? {
              body: hideSecret(message.body, message.secret),
              params: Object.fromEntries(Object.entries(message.params).map(([k, v]) => [k, v === message.secret ? MASK : v])),
              secret: null,
            }
          : {}),
      })
      .where(eq(messages.id, message.id));
  }

  /** Starts delivering in this process: on every NOTIFY from a commit that queued a message, and every few seconds. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.options.dbHandle.listen(NOTIFY_CHANNEL, () => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((err) => {
        this.options.logger.warn({ err }, 'message worker round failed');
        return 0;
      })
      .finally(() => {
        this.draining = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** Retention: messages (recipients, texts) older than `days` are deleted; returns how many. */
  async deleteOlderThan(days: number): Promise<number> {
    const before = new Date(this.options.now().getTime() - days * 86_400_000);
    const rows = await this.options.db.delete(messages).where(lt(messages.createdAt, before)).returning({ id: messages.id });
    return rows.length;
  }

  /** pg-boss housekeeping: jobs whose worker died are failed (and so retried), old jobs archived and dropped. */
  async maintain(): Promise<void> {
    await this.boss.maintain();
  }

  /** Stops the worker after the message it is delivering, then closes the queue and the drivers. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
    await this.boss.stop({ graceful: false, close: false, wait: true }).catch(() => {});
    await Promise.all(Object.values(this.drivers).map((d) => d.close?.()));
  }
}
