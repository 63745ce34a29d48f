// Owns the audit trail: every admin action is written here, in the same transaction as the change it records.
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
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

export type AuditFilter = {
  /** A prefix of the action: `news.` for every news action, `news.publish` for one. */
  action?: string;
  /** The actor's login, exactly as recorded (`13900000000`, `cli:root`). */
  actor?: string;
  targetType?: string;
  targetId?: string;
  /** From this instant (inclusive) ... */
  from?: Date;
  /** ... up to this instant (exclusive): the start of the day after the last day asked for. */
  until?: Date;
};

export type AuditRow = typeof auditLog.$inferSelect;

function auditConditions(filter: AuditFilter): SQL | undefined {
  const where: SQL[] = [];
  if (filter.action) where.push(sql`${auditLog.action} like ${filter.action.replace(/[%_\\]/g, '\\$&') + '%'}`);
  if (filter.actor) where.push(eq(auditLog.actorLogin, filter.actor));
  if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
  if (filter.from) where.push(gte(auditLog.createdAt, filter.from));
  if (filter.until) where.push(lt(auditLog.createdAt, filter.until));
  return where.length ? and(...where) : undefined;
}

/** Newest first. The log is append-only (a trigger refuses UPDATE and DELETE); nothing here changes it. */
export async function listAuditEntries(db: Db, filter: AuditFilter, page: number, pageSize = 50): Promise<{ rows: AuditRow[]; total: number }> {
  const cond = auditConditions(filter);
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

/** The actors and target types that occur in the log, for the filter's choices. */
export async function listAuditFacets(db: Db): Promise<{ actors: string[]; targetTypes: string[] }> {
  const [actors, targetTypes] = await Promise.all([
    db.selectDistinct({ v: auditLog.actorLogin }).from(auditLog).orderBy(auditLog.actorLogin).limit(200),
    db.selectDistinct({ v: auditLog.targetType }).from(auditLog).orderBy(auditLog.targetType).limit(100),
  ]);
  return { actors: actors.map((r) => r.v), targetTypes: targetTypes.map((r) => r.v) };
}
