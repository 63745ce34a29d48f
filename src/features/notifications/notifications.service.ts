// Owns the in-site inbox (站内信): other features call notifyUser inside their own transaction.
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { notifications } from '../../db/schema';

export type NotificationInput = {
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
};

/** Pass the caller's `tx` so the message commits (or not) with the change it announces. */
/** Returns the message's id (an undone status change removes its unread message). */
export async function notifyUser(tx: Db, userId: number, input: NotificationInput): Promise<number> {
  const [row] = await tx
    .insert(notifications)
    .values({ userId, kind: input.kind, title: input.title, body: input.body ?? '', link: input.link ?? null })
    .returning({ id: notifications.id });
  return row!.id;
}

export async function notifyUsers(tx: Db, userIds: number[], input: NotificationInput): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insert(notifications)
    .values(userIds.map((userId) => ({ userId, kind: input.kind, title: input.title, body: input.body ?? '', link: input.link ?? null })));
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function listNotifications(db: Db, userId: number, page: number, pageSize = 20) {
  const rows = await db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const total = await db.$count(notifications, eq(notifications.userId, userId));
  return { rows, total };
}

export async function markAllRead(db: Db, userId: number): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}

/** Marks the given messages of the user read (the ones an inbox page has just shown). */
export async function markRead(db: Db, userId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), inArray(notifications.id, ids), isNull(notifications.readAt)));
}
