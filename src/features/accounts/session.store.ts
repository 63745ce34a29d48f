// Owns where sessions live: the `sessions` table, shared by every app process, so a restart logs nobody out.
import { and, eq, lt, sql } from 'drizzle-orm';
import session from 'express-session';
import type { Db } from '../../db/client';
import { sessions } from '../../db/schema';

const DEFAULT_TTL_MS = 14 * 24 * 3600 * 1000;
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
      .select({ sess: sessions.sess, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.sid, sid))
      .then(([row]) => cb(null, row && row.expiresAt > new Date() ? (row.sess as session.SessionData) : null), cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const userId = (sess as StoredSession).passport?.user ?? null;
    const expiresAt = this.expiry(sess);
    this.db
      .insert(sessions)
      .values({ sid, sess, expiresAt, userId })
      .onConflictDoUpdate({ target: sessions.sid, set: { sess, expiresAt, userId } })
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
      .set({ expiresAt })
      .where(and(eq(sessions.sid, sid), lt(sessions.expiresAt, new Date(expiresAt.getTime() - TOUCH_INTERVAL_MS))))
      .then(() => cb?.(), (err) => cb?.(err));
  }
}

/** Ends every session of a user (disabled account, deleted account, password change). */
export async function destroyUserSessions(db: Db, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`)).returning({ sid: sessions.sid });
  return rows.length;
}
