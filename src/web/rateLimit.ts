// Owns request rate limits whose counters live in the database, so they hold across processes and restarts.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimits } from '../db/schema';
import { TooManyRequestsError } from '../errors';

/** A fixed-window counter per key: one atomic upsert per hit. */
export class DbRateLimitStore implements Store {
  private windowMs = 60_000;
  prefix: string;

  constructor(
    private readonly db: Db,
    prefix: string,
  ) {
    this.prefix = `${prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const k = this.prefix + key;
    const windowEnd = sql`now() + ${`${this.windowMs} milliseconds`}::interval`;
    const [row] = await this.db
      .insert(rateLimits)
      .values({ key: k, hits: 1, resetAt: windowEnd })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${rateLimits.resetAt} <= now() then 1 else ${rateLimits.hits} + 1 end`,
          resetAt: sql`case when ${rateLimits.resetAt} <= now() then ${windowEnd} else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt });
    return { totalHits: row!.hits, resetTime: new Date(row!.resetAt) };
  }

  async get(key: string): Promise<IncrementResponse | undefined> {
    const rows = await this.db
      .select()
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${this.prefix + key} and ${rateLimits.resetAt} > now()`);
    const row = rows[0];
    return row ? { totalHits: row.hits, resetTime: new Date(row.resetAt) } : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.db
      .update(rateLimits)
      .set({ hits: sql`greatest(${rateLimits.hits} - 1, 0)` })
      .where(sql`${rateLimits.key} = ${this.prefix + key}`);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(sql`${rateLimits.key} = ${this.prefix + key}`);
  }
}

/** The key of a limit counted per signed-in user (`key: signedInUserKey`). */
export function signedInUserKey(req: Request): string | undefined {
  return req.user ? userCounterKey(req.user.id) : undefined;
}

function userCounterKey(userId: number): string {
  return `u${userId}`;
}

/**
 * Deletes every limiter's counters for one account, by login and by user id (counters are `<limiter>:<key>`):
 * a deleted account leaves no trace of its login behind.
 */
export async function deleteAccountCounters(db: Db, account: { id: number; login: string }): Promise<void> {
  for (const key of [account.login, userCounterKey(account.id)]) {
    const suffix = `:${key}`;
    await db.delete(rateLimits).where(sql`right(${rateLimits.key}, ${suffix.length}) = ${suffix}`);
  }
}

/** Clears one limiter's counters for these keys (a password reset lifts the login lockout of the account's logins). */
export async function clearLimiterKeys(db: Db, limiter: string, keys: string[]): Promise<void> {
  for (const key of keys) await db.delete(rateLimits).where(sql`${rateLimits.key} = ${`${limiter}:${key}`}`);
}

export type LimitOptions = {
  name: string;
  windowMs: number;
  limit: number;
  message: string;
  /** What is counted: the client IP by default. */
  key?: (req: Request) => string | undefined;
  /** Count only failures (login lockout): a request that ends below 400 is not counted. */
  onlyFailures?: boolean;
};

/** A rate limiter whose refusal is a Chinese 429 page (through the error handler). */
export function createLimiter(db: Db, opts: LimitOptions): RequestHandler {
  const keyOf = opts.key ?? ((req: Request) => req.ip ?? 'unknown');
  const limiter = rateLimit({
    windowMs: opts.windowMs,
    limit: opts.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new DbRateLimitStore(db, opts.name),
    skipSuccessfulRequests: opts.onlyFailures ?? false,
    keyGenerator: (req) => keyOf(req) ?? '',
    skip: (req) => !keyOf(req),
    // Trust-proxy and IPv6 subnet checks are ours: keys are not always IPs here.
    validate: false,
    handler: (_req: Request, _res: Response, next: NextFunction) => next(new TooManyRequestsError(opts.message)),
  });
  return limiter;
}
