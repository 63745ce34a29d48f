// Owns client demand leads: a visitor's demand (phone proved by an SMS code, the duty consultant told through the
// message channel), and the staff's work on it (assign, status, notes, follow-up date), each step in its history
// and the audit log, in the transaction of the change.
import { and, eq, gte, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { leadEvents, leads, users } from '../../db/schema';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../../errors';
import { recordAudit, type Actor } from '../audit/audit.service';
import { consumeCode, verifyCode } from '../verification/verification.service';
import { LEAD_DURATIONS, LEAD_STATUSES, type HireInput, type LeadStatus } from './leads.validation';

const messages = {
  phoneLimit: '这个手机号今天已提交过多次用工需求,顾问会尽快与您联系;如有急事请直接拨打客服热线',
  notifySubject: (company: string) => `新用工需求:${company}`,
  notifyBody: (l: { id: number; companyName: string; headcount: number; category: string; district: string; startDate: string; contactName: string; phone: string; duration: string }) =>
    `新用工需求 #${l.id}:${l.companyName} 需要${l.category} ${l.headcount} 人,${l.district},${l.startDate} 开工(${l.duration})。联系人 ${l.contactName} ${l.phone}。请尽快回电,并在后台 /admin/leads/${l.id} 跟进。`,
  visitor: (name: string) => `${name}(客户)`,
  created: '客户提交了用工需求',
  status: (from: LeadStatus, to: LeadStatus) => `状态:${LEAD_STATUSES[from]} → ${LEAD_STATUSES[to]}`,
  assigned: (name: string) => `负责顾问:${name}`,
  followUp: (date: string | null) => (date ? `下次跟进:${date}` : '已清除下次跟进日期'),
  notConsultant: '请选择一位在职的顾问或管理员',
  sameStatus: '状态没有变化',
  illegal: (from: LeadStatus, to: LeadStatus) => `不能从「${LEAD_STATUSES[from]}」改为「${LEAD_STATUSES[to]}」`,
};

const DAY_MS = 86_400_000;

/** 新线索 → 跟进中 → 已签约 / 无效; a lead may also be judged 无效 at once, and an 无效 one taken up again. */
const LEAD_TRANSITIONS: Record<LeadStatus, LeadStatus[]> = {
  new: ['following', 'invalid'],
  following: ['signed', 'invalid'],
  signed: [],
  invalid: ['following'],
};

export function canMoveLead(from: LeadStatus, to: LeadStatus): boolean {
  return LEAD_TRANSITIONS[from].includes(to);
}

/**
 * Stores a visitor's demand once the SMS code proved the phone, and tells the duty consultant (SMS and/or
 * e-mail, per the settings) in the same transaction. A phone past its daily number of leads is refused (429).
 */
export async function submitLead(ctx: AppContext, input: HireInput, code: string): Promise<number> {
  const since = new Date(ctx.now().getTime() - DAY_MS);
  if ((await ctx.db.$count(leads, and(eq(leads.phone, input.phone), gte(leads.createdAt, since)))) >= ctx.limits.hirePerPhone) {
    throw new TooManyRequestsError(messages.phoneLimit);
  }
  const verified = await verifyCode(ctx, { purpose: 'hire', to: input.phone, code, fields: { to: 'phone', code: 'code' } });
  const site = await ctx.settings.get();
  return ctx.db.transaction(async (tx) => {
    await consumeCode(tx, verified);
    const now = ctx.now();
    const [lead] = await tx.insert(leads).values({ ...input, createdAt: now, updatedAt: now }).returning();
    await tx.insert(leadEvents).values({ leadId: lead!.id, actorName: messages.visitor(input.contactName), kind: 'created', text: messages.created, createdAt: now });
    const body = messages.notifyBody({ ...lead!, duration: LEAD_DURATIONS[lead!.duration] });
    if (site.dutyConsultantPhone) {
      await ctx.messaging.send(tx, { channel: 'sms', to: site.dutyConsultantPhone, kind: 'lead_new', body, params: { company: input.companyName.slice(0, 20), id: String(lead!.id) } });
    }
    if (site.dutyConsultantEmail) {
      await ctx.messaging.send(tx, { channel: 'email', to: site.dutyConsultantEmail, kind: 'lead_new', subject: messages.notifySubject(input.companyName), body });
    }
    return lead!.id;
  });
}

export type LeadRow = typeof leads.$inferSelect;

/** The lead, locked for a change by staff. */
export async function lockLead(tx: Db, id: number): Promise<LeadRow> {
  const [lead] = await tx.select().from(leads).where(eq(leads.id, id)).for('update');
  if (!lead) throw new NotFoundError();
  return lead;
}

type StaffActor = Actor & { name: string };

/** Writes the history line and the audit entry of one change by staff. */
export async function recordLeadEvent(tx: Db, actor: StaffActor, leadId: number, kind: string, text: string, audit: { before?: unknown; after?: unknown } = {}): Promise<void> {
  await tx.insert(leadEvents).values({ leadId, actorId: actor.id, actorName: actor.name, kind, text });
  await recordAudit(tx, actor, { action: `lead.${kind}`, targetType: 'lead', targetId: leadId, before: audit.before, after: audit.after ?? { text } });
}

export async function changeLeadStatus(db: Db, actor: StaffActor, id: number, to: LeadStatus): Promise<void> {
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, id);
    if (lead.status === to) throw new ConflictError(messages.sameStatus);
    if (!canMoveLead(lead.status, to)) throw new ConflictError(messages.illegal(lead.status, to));
    // Taking up a lead nobody holds makes it yours.
    const assignedTo = lead.assignedTo ?? actor.id;
    await tx.update(leads).set({ status: to, assignedTo, updatedAt: sql`now()` }).where(eq(leads.id, id));
    await recordLeadEvent(tx, actor, id, 'status', messages.status(lead.status, to), { before: { status: lead.status }, after: { status: to, assignedTo } });
  });
}

export async function addLeadNote(db: Db, actor: StaffActor, id: number, note: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockLead(tx, id);
    await tx.update(leads).set({ updatedAt: sql`now()` }).where(eq(leads.id, id));
    await recordLeadEvent(tx, actor, id, 'note', note);
  });
}

export async function setLeadFollowUp(db: Db, actor: StaffActor, id: number, date: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, id);
    await tx.update(leads).set({ nextFollowUpOn: date, updatedAt: sql`now()` }).where(eq(leads.id, id));
    await recordLeadEvent(tx, actor, id, 'follow_up', messages.followUp(date), { before: { nextFollowUpOn: lead.nextFollowUpOn }, after: { nextFollowUpOn: date } });
  });
}

/** Staff who may hold a lead: active consultants and admins. */
export function isStaffRole(role: string): boolean {
  return role === 'consultant' || role === 'admin';
}

export async function assignLead(db: Db, actor: StaffActor, id: number, consultantId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, id);
    const [consultant] = await tx.select().from(users).where(eq(users.id, consultantId));
    if (!consultant || !isStaffRole(consultant.role) || consultant.status !== 'active') throw new ValidationError({ consultantId: messages.notConsultant });
    await tx.update(leads).set({ assignedTo: consultant.id, updatedAt: sql`now()` }).where(eq(leads.id, id));
    await recordLeadEvent(tx, actor, id, 'assign', messages.assigned(consultant.displayName), { before: { assignedTo: lead.assignedTo }, after: { assignedTo: consultant.id } });
  });
}
