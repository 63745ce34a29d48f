// Owns the audit trail: every admin action is written here, in the same transaction as the change it records.
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { articles, auditLog, employerProfiles, jobs, users } from '../../db/schema';
import type { AuditNames } from './audit.present';

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

/**
 * Today's names of the people and records a page of entries mentions: the admins who acted, the users, jobs
 * (also those of reports), articles and companies acted on. One query per kind, only for the ids on the page.
 */
export async function loadAuditNames(db: Db, rows: AuditRow[]): Promise<AuditNames> {
  const ids = { user: new Set<number>(), job: new Set<number>(), article: new Set<number>(), employer: new Set<number>() };
  for (const r of rows) {
    if (r.actorId !== null) ids.user.add(r.actorId);
    const id = r.targetId && /^\d{1,9}$/.test(r.targetId) ? Number(r.targetId) : null;
    if (id !== null && (r.targetType === 'user' || r.targetType === 'job' || r.targetType === 'article' || r.targetType === 'employer')) ids[r.targetType].add(id);
    for (const side of [r.before, r.after]) {
      const jobId = (side as { jobId?: unknown } | null)?.jobId;
      if (typeof jobId === 'number') ids.job.add(jobId);
      const verifier = (side as { verifiedBy?: unknown } | null)?.verifiedBy;
      if (typeof verifier === 'number') ids.user.add(verifier);
    }
  }
  const list = (set: Set<number>) => [...set];
  const [people, jobRows, articleRows, companies] = await Promise.all([
    ids.user.size ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list(ids.user))) : [],
    ids.job.size ? db.select({ id: jobs.id, name: jobs.title }).from(jobs).where(inArray(jobs.id, list(ids.job))) : [],
    ids.article.size ? db.select({ id: articles.id, name: articles.title }).from(articles).where(inArray(articles.id, list(ids.article))) : [],
    ids.employer.size ? db.select({ id: employerProfiles.userId, name: employerProfiles.companyName }).from(employerProfiles).where(inArray(employerProfiles.userId, list(ids.employer))) : [],
  ]);
  const targets = new Map<string, string>();
  // A record deleted since is named by what the entries on this page remember of it: the newest name (rows come
  // newest first, and an entry's `after` is newer than its `before`).
  for (const r of rows) {
    for (const side of [r.after, r.before]) {
      const name = (side as { title?: unknown; companyName?: unknown; word?: unknown } | null)?.[r.targetType === 'employer' ? 'companyName' : r.targetType === 'search_term' ? 'word' : 'title'];
      const key = `${r.targetType}:${r.targetId}`;
      if (typeof name === 'string' && name && r.targetId && !targets.has(key)) targets.set(key, name);
    }
  }
  for (const p of people) targets.set(`user:${p.id}`, p.name);
  for (const j of jobRows) targets.set(`job:${j.id}`, j.name);
  for (const a of articleRows) targets.set(`article:${a.id}`, a.name);
  for (const c of companies) targets.set(`employer:${c.id}`, c.name);
  return { actors: new Map(people.map((p) => [p.id, p.name])), targets };
}
