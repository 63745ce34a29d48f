// Owns reading leads for the staff: the filtered list, one lead with its history, and the staff who may hold one.
import { and, asc, count, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { clientCompanies, leadEvents, leads, users } from '../../db/schema';
import { addDays } from '../../domain/dates';
import type { LeadFilter } from './leads.validation';

/** The start of a China date as an instant. */
const chinaDayStart = (date: string) => new Date(`${date}T00:00:00+08:00`);

const assignee = alias(users, 'assignee');

/** The list's filters as a condition: the page and the export select the same leads. */
function leadWhere(filter: Omit<LeadFilter, 'page'>): SQL | undefined {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(leads.status, filter.status));
  if (filter.consultantId) where.push(eq(leads.assignedTo, filter.consultantId));
  if (filter.from) where.push(gte(leads.createdAt, chinaDayStart(filter.from)));
  if (filter.to) where.push(lt(leads.createdAt, chinaDayStart(addDays(filter.to, 1))));
  return where.length ? and(...where) : undefined;
}

export async function listLeads(db: Db, filter: LeadFilter, pageSize: number) {
  const condition = leadWhere(filter);
  const [rows, [total]] = await Promise.all([
    db
      .select({ lead: leads, consultantName: assignee.displayName })
      .from(leads)
      .leftJoin(assignee, eq(assignee.id, leads.assignedTo))
      .where(condition)
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(pageSize)
      .offset((filter.page - 1) * pageSize),
    db.select({ n: count() }).from(leads).where(condition),
  ]);
  return { rows, total: total!.n };
}

/** The next batch of matching leads below `beforeId` (newest first, by id): the export reads a batch at a time. */
export function leadsBatch(db: Db, filter: Omit<LeadFilter, 'page'>, beforeId: number | null, size: number) {
  return db
    .select({ lead: leads, consultantName: assignee.displayName })
    .from(leads)
    .leftJoin(assignee, eq(assignee.id, leads.assignedTo))
    .where(and(leadWhere(filter), beforeId === null ? undefined : lt(leads.id, beforeId)))
    .orderBy(desc(leads.id))
    .limit(size);
}

export async function findLead(db: Db, id: number) {
  const [row] = await db
    .select({ lead: leads, consultantName: assignee.displayName, company: clientCompanies })
    .from(leads)
    .leftJoin(assignee, eq(assignee.id, leads.assignedTo))
    .leftJoin(clientCompanies, eq(clientCompanies.id, leads.clientCompanyId))
    .where(eq(leads.id, id));
  return row;
}

export function listLeadEvents(db: Db, leadId: number) {
  return db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId)).orderBy(asc(leadEvents.createdAt), asc(leadEvents.id));
}

/** Active consultants and admins, for the assignee list and the consultant filter. */
export function listStaff(db: Db) {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(inArray(users.role, ['consultant', 'admin']), eq(users.status, 'active')))
    .orderBy(asc(users.displayName));
}
