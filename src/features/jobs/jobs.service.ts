// Owns the rules of job postings: creating and editing (screened for fees and discrimination, search words
// rebuilt), the lifecycle (submit, review, close, re-open, duplicate, expiry) and reports (举报).
// Plain values in and out; every status change goes through jobs.lifecycle.ts.
import { recordAlertMatches } from '../alerts/alerts.matching';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbHandle } from '../../db/client';
import { jobReports, jobs } from '../../db/schema';
import { addDays, chinaDate } from '../../domain/dates';
import { normalizeText } from '../../domain/text';
import { dailyPay, JOB_TYPES, SETTLEMENTS, type ReportReason } from '../../domain/vocabulary';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError, type FieldErrors } from '../../errors';
import { ensureDictionary } from '../../search/dictionary';
import { DISTRICT_SHORT_NAMES, inferWorkplace } from '../../search/jobTerms';
import { weightedTsvector } from '../../search/tsvector';
import { recordAudit, type Actor } from '../audit/audit.service';
import { findEmployerProfile, type EmployerProfile } from '../employers/employers.queries';
import { closeApplicationsOfJob } from '../applications/applications.service';
import { notifyUser, notifyUsers } from '../notifications/notifications.service';
import { nextStatus, type JobAction } from './jobs.lifecycle';
import type { JobRow } from './jobs.queries';
import { pastValidityCondition, warmSearchStatements } from './jobs.queries';
import { allFeeWords, screenText } from './jobs.screening';
import { DEFAULT_VALID_DAYS, type JobInput } from './jobs.validation';

const messages = {
  feeRefused: (words: string[]) => `职位信息含有向求职者收费的内容:「${words.join('」「')}」。本站禁止以任何名义向求职者收费,请删除后再提交。`,
  feeField: (words: string[]) => `含有收费内容:「${words.join('」「')}」`,
  profileIncomplete: '请先完善企业资料,再发布职位',
  notAttested: '请在职位表单中确认本职位不向求职者收取任何费用',
  validityPast: '有效期已过,请先修改有效期',
  approvePast: '该职位的有效期已过,不能通过审核;请驳回并请企业修改有效期',
  approved: (title: string) => `职位「${title}」已通过审核`,
  approvedBody: '职位已发布,求职者现在可以看到它了。',
  rejected: (title: string) => `职位「${title}」未通过审核`,
  rejectedBody: (reason: string) => `原因:${reason}\n请按原因修改后重新提交审核。`,
  takenDown: (title: string) => `职位「${title}」已被下架`,
  takenDownBody: (reason: string) => `经核实,该职位被举报的问题属实。下架原因:${reason}`,
  applicationClosedBody: '该职位已停止招聘,你的投递已自动结束。看看其他职位吧。',
  applicationTakenDownBody: '该职位已被平台下架,你的投递已自动结束。如曾被要求交钱,请联系客服。',
  reportUpheld: '你举报的职位已被下架',
  reportDismissed: '你的举报已处理',
  reportUpheldBody: (title: string) => `感谢举报!职位「${title}」经核实存在问题,已下架。`,
  reportDismissedBody: (title: string, note: string) => `职位「${title}」经核实暂未发现违规。${note ? `说明:${note}` : ''}`,
  reportClosed: '该举报已处理',
  refreshNotListed: '只有正在招聘(已发布且在有效期内)的职位才能刷新',
  refreshedToday: '该职位今天已刷新过,每个职位每天可刷新一次,明天再来吧',
};

/** The word lists of the site settings that screen a posting. */
export type ScreenLists = { feeWords: string[]; discriminationWords: string[]; contactWords: string[] };

/** What the screen reads of a posting: the form's input or a stored job. */
export type ScreenSource = Partial<
  Pick<JobRow, 'title' | 'address' | 'shift' | 'requirements' | 'description' | 'contactName' | 'benefits' | 'dispatchAgencyName' | 'worksiteEmployerName'>
>;

/** Text fields a seeker reads, by form field name: each is screened. */
function screenedFields(input: ScreenSource): Record<string, string | null | undefined> {
  return {
    title: input.title,
    address: input.address,
    shift: input.shift,
    requirements: input.requirements,
    description: input.description,
    contactName: input.contactName,
    benefits: input.benefits?.join(' '),
    dispatchAgencyName: input.dispatchAgencyName,
    worksiteEmployerName: input.worksiteEmployerName,
  };
}

/**
 * Refuses text that asks seekers for money (ValidationError naming the words, beside each field), and
 * returns the discrimination words to flag for the reviewer.
 */
export function screenPosting(input: ScreenSource, lists: ScreenLists): string[] {
  const result = screenText(screenedFields(input), lists);
  const words = allFeeWords(result);
  if (words.length) {
    const errors: FieldErrors = { _form: messages.feeRefused(words) };
    for (const [field, found] of Object.entries(result.feeWordsByField)) errors[field] = messages.feeField(found);
    throw new ValidationError(errors, messages.feeRefused(words));
  }
  return result.flaggedWords;
}

export function isProfileComplete(p: EmployerProfile | undefined): p is EmployerProfile {
  return !!p && !!(p.companyName && p.creditCode && p.contactName && p.contactPhone && p.address && p.intro);
}

type SearchSource = Pick<
  JobRow,
  'title' | 'type' | 'category' | 'district' | 'workplace' | 'address' | 'settlement' | 'benefits' | 'description' | 'requirements' | 'shift' | 'dispatchAgencyName' | 'worksiteEmployerName'
>;

/**
 * The text behind a job's search columns. Title words weigh most (A); then the facts people search by:
 * category, district (with and without 区), type, settlement, benefits and company names (B); then the body (C).
 */
export function searchTexts(job: SearchSource, companyName: string | null | undefined): { sections: { A: string; B: string; C: string }; text: string } {
  const facts = [
    job.category,
    job.district,
    DISTRICT_SHORT_NAMES[job.district] ?? '',
    job.workplace === '其他' ? '' : job.workplace,
    JOB_TYPES[job.type],
    SETTLEMENTS[job.settlement],
    ...job.benefits,
    // People search 包吃住 for a job that gives both.
    job.benefits.includes('包吃') && job.benefits.includes('包住') ? '包吃住' : '',
    companyName ?? '',
    job.worksiteEmployerName ?? '',
    job.dispatchAgencyName ?? '',
  ].join(' ');
  const body = [job.description, job.requirements, job.shift, job.address].join('\n');
  return { sections: { A: job.title, B: facts, C: body }, text: normalizeText([job.title, facts, body].join(' ')).toLowerCase() };
}

/** The search columns of a job (see searchTexts). */
export function searchColumns(job: SearchSource, companyName: string | null | undefined) {
  const { sections, text } = searchTexts(job, companyName);
  return { searchVector: weightedTsvector(sections), searchText: text };
}

export function jobColumns(input: JobInput) {
  return {
    title: input.title,
    type: input.type,
    category: input.category,
    district: input.district,
    workplace: input.workplace ?? inferWorkplace([input.title, input.worksiteEmployerName ?? '', input.address, input.description].join(' ')),
    address: input.address,
    payMin: input.payMin,
    payMax: input.payMax,
    payUnit: input.payUnit,
    // The minimum pay, as 元/天: the payMin filter and the pay sort promise at least this much.
    payDaily: dailyPay(input.payMin, input.payUnit),
    settlement: input.settlement,
    headcount: input.headcount,
    shift: input.shift,
    startDate: input.startDate,
    endDate: input.endDate,
    ageMin: input.ageMin,
    ageMax: input.ageMax,
    requirements: input.requirements,
    benefits: input.benefits,
    description: input.description,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    dispatchAgencyName: input.dispatchAgencyName,
    dispatchAgencyLicense: input.dispatchAgencyLicense,
    worksiteEmployerName: input.worksiteEmployerName,
    validUntil: input.validUntil,
    feeAttested: input.feeAttested,
  };
}

async function requireCompleteProfile(tx: Db, employerId: number): Promise<EmployerProfile> {
  const profile = await findEmployerProfile(tx, employerId);
  if (!isProfileComplete(profile)) throw new ConflictError(messages.profileIncomplete);
  return profile;
}

/** The employer's own job, locked for the change; someone else's job does not exist for them (404). */
async function lockOwnJob(tx: Db, employerId: number, jobId: number): Promise<JobRow> {
  const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
  if (!job || job.employerId !== employerId) throw new NotFoundError();
  return job;
}

async function lockJob(tx: Db, jobId: number): Promise<JobRow> {
  const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
  if (!job) throw new NotFoundError();
  return job;
}

export type SaveAction = 'draft' | 'submit';
const lifecycleActionOf = (action: SaveAction): JobAction => (action === 'submit' ? 'submit' : 'save');

/**
 * Creates (jobId null) or edits the employer's job. `submit` sends it to review; `draft` keeps an edited
 * job's status, except that a published job always goes back to review (nothing unreviewed is public).
 */
async function saveJob(db: Db, lists: ScreenLists, employerId: number, jobId: number | null, input: JobInput, action: SaveAction, now: Date): Promise<JobRow> {
  const flaggedWords = screenPosting(input, lists);
  return db.transaction(async (tx) => {
    const before = jobId === null ? undefined : await lockOwnJob(tx, employerId, jobId);
    const profile = await requireCompleteProfile(tx, employerId);
    return writeJob(tx, before, { employerId }, input, profile.companyName, flaggedWords, action, now);
  });
}

/** Inserts (no `before`) or updates a job with the form's content, moving its status for `action`. */
async function writeJob(tx: Db, before: JobRow | undefined, owner: { employerId: number | null; clientCompanyId?: number }, input: JobInput, companyName: string, flaggedWords: string[], action: SaveAction, now: Date): Promise<JobRow> {
  const status = nextStatus(before?.status ?? 'draft', lifecycleActionOf(action));
  const toReview = status === 'pending' && before?.status !== 'pending';
  const content = jobColumns(input);
  const columns = {
    ...content,
    ...searchColumns(content, companyName),
    status,
    flaggedWords,
    submittedAt: toReview ? now : (before?.submittedAt ?? null),
    updatedAt: now,
  };
  const [row] = before
    ? await tx.update(jobs).set(columns).where(eq(jobs.id, before.id)).returning()
    : await tx.insert(jobs).values({ ...columns, ...owner, createdAt: now }).returning();
  return row!;
}

/** A job staff posted for a client company (issue 22), locked for a change; any other job is a 404 here. */
export async function lockClientJob(tx: Db, jobId: number): Promise<JobRow> {
  const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
  if (!job || job.clientCompanyId === null) throw new NotFoundError();
  return job;
}

/**
 * Staff (consultants, admins) create or edit a job for a client company: the site owner is the 派遣单位 and the
 * client the 用工单位 (the caller puts both names in `input`); the posting staff member owns the row, the client
 * company never does. `submit` sends it to the same review queue as every job. Audited.
 */
export async function saveClientJob(db: Db, lists: ScreenLists, actor: Actor, target: { jobId: number } | { clientCompanyId: number }, input: JobInput, action: SaveAction, now: Date): Promise<JobRow> {
  const flaggedWords = screenPosting(input, lists);
  return db.transaction(async (tx) => {
    const before = 'jobId' in target ? await lockClientJob(tx, target.jobId) : undefined;
    // A new job is the poster's; an edit keeps its owner (an update never writes the owner columns).
    const owner = { employerId: actor.id, clientCompanyId: 'clientCompanyId' in target ? target.clientCompanyId : undefined };
    const row = await writeJob(tx, before, owner, input, input.dispatchAgencyName ?? '', flaggedWords, action, now);
    await recordAudit(tx, actor, {
      action: before ? 'job.update' : 'job.create',
      targetType: 'job',
      targetId: row.id,
      before: before ? { status: before.status, title: before.title } : undefined,
      after: { status: row.status, title: row.title, clientCompanyId: row.clientCompanyId },
    });
    return row;
  });
}

export function createJob(db: Db, lists: ScreenLists, employerId: number, input: JobInput, action: SaveAction, now: Date): Promise<JobRow> {
  return saveJob(db, lists, employerId, null, input, action, now);
}

export function updateJob(db: Db, lists: ScreenLists, employerId: number, jobId: number, input: JobInput, action: SaveAction, now: Date): Promise<JobRow> {
  return saveJob(db, lists, employerId, jobId, input, action, now);
}

/** Checks, at submit time, what the form checked at save time: the word lists or the date may have changed since. */
function assertSubmittable(job: JobRow, lists: ScreenLists, today: string): string[] {
  if (!job.feeAttested) throw new ValidationError({ feeAttested: messages.notAttested }, messages.notAttested);
  if (job.validUntil < today) throw new ValidationError({ validUntil: messages.validityPast }, messages.validityPast);
  return screenPosting(job, lists);
}

async function moveToReview(db: Db, lists: ScreenLists, employerId: number, jobId: number, action: 'submit' | 'reopen', now: Date): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const job = await lockOwnJob(tx, employerId, jobId);
    const status = nextStatus(job.status, action);
    await requireCompleteProfile(tx, employerId);
    const flaggedWords = assertSubmittable(job, lists, chinaDate(now));
    const [updated] = await tx
      .update(jobs)
      .set({ status, flaggedWords, submittedAt: job.status === 'pending' ? job.submittedAt : now, updatedAt: now })
      .where(eq(jobs.id, jobId))
      .returning();
    return updated!;
  });
}

/** Draft, rejected, closed or expired → pending. */
export function submitJob(db: Db, lists: ScreenLists, employerId: number, jobId: number, now: Date): Promise<JobRow> {
  return moveToReview(db, lists, employerId, jobId, 'submit', now);
}

/** Closed or expired → pending: a re-opened job is reviewed again before it is public. */
export function reopenJob(db: Db, lists: ScreenLists, employerId: number, jobId: number, now: Date): Promise<JobRow> {
  return moveToReview(db, lists, employerId, jobId, 'reopen', now);
}

/** A new draft with the same content; the employer must tick the no-fee promise again. */
export async function duplicateJob(db: Db, employerId: number, jobId: number, now: Date): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const source = await lockOwnJob(tx, employerId, jobId);
    const profile = await requireCompleteProfile(tx, employerId);
    const today = chinaDate(now);
    const {
      id: _id,
      status: _s,
      rejectReason: _r,
      submittedAt: _sa,
      publishedAt: _pa,
      firstPublishedAt: _fpa,
      closedAt: _ca,
      createdAt: _c,
      updatedAt: _u,
      searchVector: _v,
      searchText: _t,
      ...content
    } = source;
    const [copy] = await tx
      .insert(jobs)
      .values({
        ...content,
        ...searchColumns(source, profile.companyName),
        status: 'draft',
        feeAttested: false,
        validUntil: source.validUntil >= today ? source.validUntil : addDays(today, DEFAULT_VALID_DAYS),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return copy!;
  });
}

/**
 * Moves a listed job to the top of the newest-first lists (刷新), once a China day per job. The publication
 * time is kept in `first_published_at` (shown as 发布于); `published_at`, which every list sorts on, becomes the
 * refresh time (shown as 更新于). The update raises the 'listed_jobs' generation (trigger), so cached lists go at once.
 */
export async function refreshJob(db: Db, employerId: number, jobId: number, now: Date): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const job = await lockOwnJob(tx, employerId, jobId);
    const today = chinaDate(now);
    if (job.status !== 'published' || !job.publishedAt || job.validUntil < today) throw new ConflictError(messages.refreshNotListed);
    if (job.firstPublishedAt && chinaDate(job.publishedAt) === today) throw new TooManyRequestsError(messages.refreshedToday);
    const [updated] = await tx
      .update(jobs)
      .set({ firstPublishedAt: job.firstPublishedAt ?? job.publishedAt, publishedAt: now })
      .where(eq(jobs.id, jobId))
      .returning();
    return updated!;
  });
}

export type CloseOptions = { now: Date; actorId: number | null; action?: 'close' | 'takeDown'; reason?: string };

/**
 * Closes a job inside the caller's transaction, and with it every open application: each becomes
 * `closed` with an event, and each applicant is told. Employers closing, admins taking down, and later
 * features (e.g. account deletion) all close jobs through here.
 */
export async function closeJob(tx: Db, jobId: number, opts: CloseOptions): Promise<{ job: JobRow; closedApplications: number }> {
  const job = await lockJob(tx, jobId);
  const action = opts.action ?? 'close';
  const status = nextStatus(job.status, action);
  const [updated] = await tx
    .update(jobs)
    .set({ status, closedAt: opts.now, updatedAt: opts.now, ...(action === 'takeDown' ? { rejectReason: opts.reason ?? null } : {}) })
    .where(eq(jobs.id, jobId))
    .returning();
  const reason = action === 'takeDown' ? messages.applicationTakenDownBody : messages.applicationClosedBody;
  const closedApplications = await closeApplicationsOfJob(tx, jobId, reason, opts.actorId);
  return { job: updated!, closedApplications };
}

/** The employer ends a published job. */
export async function closeOwnJob(db: Db, employerId: number, jobId: number, now: Date): Promise<{ job: JobRow; closedApplications: number }> {
  return db.transaction(async (tx) => {
    await lockOwnJob(tx, employerId, jobId);
    return closeJob(tx, jobId, { now, actorId: employerId });
  });
}

// ---- Review ----

const reviewState = (j: JobRow) => ({ status: j.status, rejectReason: j.rejectReason, title: j.title, flaggedWords: j.flaggedWords });

async function approveInTx(tx: Db, actor: Actor, job: JobRow, now: Date): Promise<JobRow> {
  const status = nextStatus(job.status, 'approve');
  if (job.validUntil < chinaDate(now)) throw new ConflictError(messages.approvePast);
  const [updated] = await tx
    .update(jobs)
    .set({ status, rejectReason: null, publishedAt: now, firstPublishedAt: null, closedAt: null, updatedAt: now })
    .where(eq(jobs.id, job.id))
    .returning();
  await recordAudit(tx, actor, { action: 'job.approve', targetType: 'job', targetId: job.id, before: reviewState(job), after: reviewState(updated!) });
  // Job alerts (issue 20): only the first publication; an approved edit of a published job alerts nobody.
  if (!job.publishedAt) await recordAlertMatches(tx, job.id, now);
  if (job.employerId) {
    await notifyUser(tx, job.employerId, { kind: 'job.approved', title: messages.approved(job.title), body: messages.approvedBody, link: `/jobs/${job.id}` });
  }
  return updated!;
}

export async function approveJob(db: Db, actor: Actor, jobId: number, now: Date): Promise<JobRow> {
  // The alerts' match uses this process's dictionary: bring it up to date with the admins' latest synonyms first.
  await ensureDictionary(db);
  return db.transaction(async (tx) => approveInTx(tx, actor, await lockJob(tx, jobId), now));
}

export async function rejectJob(db: Db, actor: Actor, jobId: number, reason: string, now: Date): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const job = await lockJob(tx, jobId);
    const status = nextStatus(job.status, 'reject');
    const [updated] = await tx.update(jobs).set({ status, rejectReason: reason, updatedAt: now }).where(eq(jobs.id, jobId)).returning();
    await recordAudit(tx, actor, { action: 'job.reject', targetType: 'job', targetId: jobId, before: reviewState(job), after: reviewState(updated!) });
    if (job.employerId) {
      await notifyUser(tx, job.employerId, {
        kind: 'job.rejected',
        title: messages.rejected(job.title),
        body: messages.rejectedBody(reason),
        link: '/employer/jobs?status=rejected',
      });
    }
    return updated!;
  });
}

export type BulkResult = { approved: number[]; skipped: number[] };

/**
 * Approves each pending, unflagged job of `ids` in one transaction. Flagged jobs need a person to read
 * them one by one, and jobs no longer pending (someone else acted) are skipped, not failed.
 */
export async function bulkApproveJobs(db: Db, actor: Actor, ids: number[], now: Date): Promise<BulkResult> {
  const today = chinaDate(now);
  await ensureDictionary(db);
  return db.transaction(async (tx) => {
    const result: BulkResult = { approved: [], skipped: [] };
    const rows = ids.length ? await tx.select().from(jobs).where(inArray(jobs.id, ids)).orderBy(jobs.id).for('update') : [];
    const found = new Set(rows.map((r) => r.id));
    result.skipped.push(...ids.filter((id) => !found.has(id)));
    for (const job of rows) {
      if (job.status !== 'pending' || job.flaggedWords.length > 0 || job.validUntil < today) {
        result.skipped.push(job.id);
        continue;
      }
      await approveInTx(tx, actor, job, now);
      result.approved.push(job.id);
    }
    return result;
  });
}

// ---- Expiry ----

/** Published jobs past their validity become `expired`. Lists already hide them from the day after. */
export async function expireJobs(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ status: nextStatus('published', 'expire'), updatedAt: now })
    .where(pastValidityCondition(chinaDate(now)))
    .returning({ id: jobs.id });
  return rows.length;
}

// ---- Search index ----

/** Rebuilds the search columns of an employer's jobs (their company name is part of the words). */
export async function reindexEmployerJobs(tx: Db, employerId: number, companyName: string): Promise<void> {
  const rows = await tx.select().from(jobs).where(eq(jobs.employerId, employerId));
  for (const job of rows) await tx.update(jobs).set(searchColumns(job, companyName)).where(eq(jobs.id, job.id));
}

// ---- Reports ----

export type ReportInput = { reason: ReportReason; text: string };

/** Whether the public can see the job's page (and so report it). */
export function isPubliclyVisible(job: Pick<JobRow, 'status' | 'publishedAt' | 'rejectReason'> & { employerActive: boolean }): boolean {
  if (!job.employerActive || !job.publishedAt) return false;
  if (job.status === 'published' || job.status === 'expired') return true;
  // A job taken down by an admin (closed with a reason) is gone; one its employer closed keeps its page.
  return job.status === 'closed' && !job.rejectReason;
}

/** Files a report; a second open report by the same person on the same job is not filed again. */
export async function reportJob(db: Db, reporterId: number, jobId: number, input: ReportInput, now: Date): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    const [open] = await tx
      .select({ id: jobReports.id })
      .from(jobReports)
      .where(and(eq(jobReports.jobId, jobId), eq(jobReports.reporterId, reporterId), eq(jobReports.status, 'open')));
    if (open) return { created: false };
    await tx.insert(jobReports).values({ jobId, reporterId, reason: input.reason, text: input.text, createdAt: now });
    return { created: true };
  });
}

async function lockOpenReport(tx: Db, reportId: number) {
  const [report] = await tx.select().from(jobReports).where(eq(jobReports.id, reportId)).for('update');
  if (!report) throw new NotFoundError();
  if (report.status !== 'open') throw new ConflictError(messages.reportClosed);
  return report;
}

/**
 * Upholds a report: the job is taken down (closed, with the reason shown to its employer) unless it has
 * already ended, and every open report on that job is resolved with it.
 */
export async function upholdReport(db: Db, actor: Actor, reportId: number, resolution: string, now: Date): Promise<{ jobId: number; resolved: number }> {
  return db.transaction(async (tx) => {
    const report = await lockOpenReport(tx, reportId);
    const before = await lockJob(tx, report.jobId);
    let after = before;
    if (before.status === 'published' || before.status === 'pending') {
      after = (await closeJob(tx, before.id, { now, actorId: actor.id, action: 'takeDown', reason: resolution })).job;
      if (before.employerId) {
        await notifyUser(tx, before.employerId, { kind: 'job.taken_down', title: messages.takenDown(before.title), body: messages.takenDownBody(resolution), link: '/employer/jobs?status=closed' });
      }
    }
    const resolved = await tx
      .update(jobReports)
      .set({ status: 'upheld', resolution, resolvedBy: actor.id, resolvedAt: now })
      .where(and(eq(jobReports.jobId, report.jobId), eq(jobReports.status, 'open')))
      .returning({ id: jobReports.id, reporterId: jobReports.reporterId });
    await recordAudit(tx, actor, {
      action: 'report.uphold',
      targetType: 'job',
      targetId: before.id,
      before: { ...reviewState(before), reports: resolved.map((r) => r.id) },
      after: { ...reviewState(after), reportStatus: 'upheld', resolution },
    });
    const reporters = [...new Set(resolved.map((r) => r.reporterId).filter((id): id is number => id !== null))];
    await notifyUsers(tx, reporters, { kind: 'report.resolved', title: messages.reportUpheld, body: messages.reportUpheldBody(before.title) });
    return { jobId: before.id, resolved: resolved.length };
  });
}

export async function dismissReport(db: Db, actor: Actor, reportId: number, resolution: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const report = await lockOpenReport(tx, reportId);
    await tx.update(jobReports).set({ status: 'dismissed', resolution, resolvedBy: actor.id, resolvedAt: now }).where(eq(jobReports.id, reportId));
    await recordAudit(tx, actor, {
      action: 'report.dismiss',
      targetType: 'report',
      targetId: reportId,
      before: { status: report.status, jobId: report.jobId, reason: report.reason },
      after: { status: 'dismissed', resolution },
    });
    if (report.reporterId) {
      const [job] = await tx.select({ title: jobs.title }).from(jobs).where(eq(jobs.id, report.jobId));
      await notifyUser(tx, report.reporterId, { kind: 'report.resolved', title: messages.reportDismissed, body: messages.reportDismissedBody(job?.title ?? '', resolution) });
    }
  });
}

/**
 * Warms `count` of the pool's connections with the search's statements, each on its own connection; the pool keeps
 * them open (DB_POOL_WARM), so the first search of a new process, or after a quiet night, meets backends that have
 * run them (issue 21).
 */
export async function warmSearchConnections(dbHandle: DbHandle, count: number, now: Date): Promise<void> {
  await dbHandle.warmConnections(count, (db) => warmSearchStatements(db, chinaDate(now)));
}
