// Owns the audit trail: every admin action is written here, in the same transaction as the change it records.
import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema';

/**
 * Who is acting: enough to attribute the entry even after the account is gone.
 * `id` is null for an operator at the command line (`login` then says who, e.g. `cli:root`).
 */
export type Actor = { id: number | null; login: string };

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
};

/** Call with the transaction `tx` of the change, so the entry and the change commit together. */
export async function recordAudit(tx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    actorLogin: actor.login,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export type AuditFilter = { action?: string; actor?: string; targetType?: string; from?: Date; to?: Date };

export async function listAuditEntries(db: Db, filter: AuditFilter, page: number, pageSize = 50) {
  const where: SQL[] = [];
  if (filter.action) where.push(sql`${auditLog.action} like ${filter.action.replace(/[%_\\]/g, '\\$&') + '%'}`);
  if (filter.actor) where.push(eq(auditLog.actorLogin, filter.actor));
  if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
  if (filter.from) where.push(gte(auditLog.createdAt, filter.from));
  if (filter.to) where.push(lte(auditLog.createdAt, filter.to));
  const cond = where.length ? and(...where) : undefined;
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(cond)
      .orderBy(desc(auditLog.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.$count(auditLog, cond),
  ]);
  return { rows, total };
}
