// Owns where sessions live: the `sessions` table, shared by every app process, so a restart logs nobody out.
// A session ends after 14 idle days, and 30 days after it began whatever the activity.
import { and, desc, eq, gt, lt, ne, or, sql } from 'drizzle-orm';
import session from 'express-session';
import type { Db } from '../../db/client';
import { sessions } from '../../db/schema';

const DEFAULT_TTL_MS = 14 * 24 * 3600 * 1000;
/** However active, a session (one login) ends this long after it began: a stolen cookie does not live for ever. */
export const SESSION_ABSOLUTE_LIFETIME = '30 days';
/** Renewing the expiry on every request would write on every page view; renew at most this often. */
const TOUCH_INTERVAL_MS = 10 * 60 * 1000;

type StoredSession = session.SessionData & { passport?: { user?: number } };

export class DbSessionStore extends session.Store {
  constructor(private readonly db: Db) {
    super();
  }

  private expiry(sess: session.SessionData): Date {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + DEFAULT_TTL_MS);
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .select({ sess: sessions.sess })
      .from(sessions)
      .where(and(eq(sessions.sid, sid), gt(sessions.expiresAt, sql`now()`), gt(sessions.createdAt, sql`now() - ${SESSION_ABSOLUTE_LIFETIME}::interval`)))
      .then(([row]) => cb(null, row ? (row.sess as session.SessionData) : null), cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const userId = (sess as StoredSession).passport?.user ?? null;
    const expiresAt = this.expiry(sess);
    this.db
      .insert(sessions)
      .values({ sid, sess, expiresAt, userId })
      .onConflictDoUpdate({ target: sessions.sid, set: { sess, expiresAt, userId, lastSeenAt: sql`now()` } })
      .then(() => cb?.(), (err) => cb?.(err));
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.db
      .delete(sessions)
      .where(eq(sessions.sid, sid))
      .then(() => cb?.(), (err) => cb?.(err));
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const expiresAt = this.expiry(sess);
    this.db
      .update(sessions)
      .set({ expiresAt, lastSeenAt: sql`now()` })
      .where(and(eq(sessions.sid, sid), lt(sessions.expiresAt, new Date(expiresAt.getTime() - TOUCH_INTERVAL_MS))))
      .then(() => cb?.(), (err) => cb?.(err));
  }
}

/** Ends every session of a user (disabled account, deleted account, password change). */
export async function destroyUserSessions(db: Db, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Ends every session of a user but one (the one in use): "log out my other devices", a password change. */
export async function destroyOtherSessions(db: Db, userId: number, keepSid: string): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.sid, keepSid)))
    .returning({ sid: sessions.sid });
  return rows.length;
}

export type ActiveSession = { sid: string; createdAt: Date; lastSeenAt: Date; userAgent: string; ip: string };

/** A user's live sessions, most recently active first. */
export async function listUserSessions(db: Db, userId: number): Promise<ActiveSession[]> {
  const rows = await db
    .select({ sid: sessions.sid, sess: sessions.sess, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`), gt(sessions.createdAt, sql`now() - ${SESSION_ABSOLUTE_LIFETIME}::interval`)))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((r) => {
    const client = (r.sess as StoredSession).client;
    return { sid: r.sid, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, userAgent: client?.userAgent ?? '', ip: client?.ip ?? '' };
  });
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, sql`now()`), lt(sessions.createdAt, sql`now() - ${SESSION_ABSOLUTE_LIFETIME}::interval`)))
    .returning({ sid: sessions.sid });
  return rows.length;
}
