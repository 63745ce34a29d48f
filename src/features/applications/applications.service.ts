// Owns the rules of applications: applying (with consent and an optional new resume, all or nothing),
// withdrawing, an employer working applicants through the status machine, and closing a job's applications.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { applicationEvents, applications, consents, jobs, notifications, resumes } from '../../db/schema';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../domain/vocabulary';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../../errors';
import { storeUpload, type StoredFile } from '../../storage/store';
import type { UploadedFile } from '../../storage/upload';
import { dateIso } from '../../web/format';
import { recordAudit, type Actor } from '../audit/audit.service';
import { notifyUser, notifyUsers } from '../notifications/notifications.service';
import { insertResume, lockSeeker, recordResumeView } from '../resumes/resumes.service';
import { loadOnlineResume, presentResume } from '../onlineResume/onlineResume.service';
import { canTransition, OPEN_STATUSES, type StatusActor } from './applications.rules';
import { findJobSummary, hasApplied, isJobOpen, isJobVisible, lockJobForApply, type JobSummary } from './applications.queries';

export const MESSAGE_MAX = 500;

const messages = {
  alreadyApplied: '你已经投递过这个职位',
  shareConsentRequired: (company: string) => `首次向「${company}」投递,请勾选同意将你的简历及联系方式提供给该企业`,
  jobClosed: '该职位已结束招聘,不能再投递',
  phoneNeeded: '投递前请先验证手机号:企业要通过它联系你',
  notYourResume: '请选择你自己的简历',
  illegal: (from: ApplicationStatus, to: ApplicationStatus) =>
    `不能把状态从「${APPLICATION_STATUSES[from]}」改为「${APPLICATION_STATUSES[to]}」`,
  cannotWithdraw: (from: ApplicationStatus) => `该投递当前为「${APPLICATION_STATUSES[from]}」,不能撤回`,
  notify: {
    newApplicant: (title: string) => `新的求职者投递了「${title}」`,
    newApplicantBody: '打开投递查看简历和联系方式。',
    status: (title: string, to: ApplicationStatus) => `你投递的「${title}」状态更新为:${APPLICATION_STATUSES[to]}`,
    withdrawn: (title: string) => `一位求职者撤回了对「${title}」的投递`,
    closed: (title: string) => `你投递的「${title}」已结束招聘`,
    corrected: (title: string, to: ApplicationStatus) => `你投递的「${title}」状态已更正为:${APPLICATION_STATUSES[to]}`,
    correctedBody: '企业撤销了上一次的处理,请以本条为准。',
  },
  nothingToUndo: (minutes: number) => `没有可撤销的操作:只能在 ${minutes} 分钟内撤销自己最近一次的状态变更`,
};

/** The Shanghai date of the context's clock: jobs are valid through their `valid_until` day, China time. */
export function todayOf(ctx: Pick<AppContext, 'now'>): string {
  return dateIso(ctx.now());
}

// ---------------------------------------------------------------------------------------------------------
// Applying

export type ApplyInput = {
  seekerId: number;
  jobId: number;
  /**
   * An existing resume file of the seeker; `'none'` sends the online resume alone; null or absent sends the
   * default file if there is one, else the online resume alone. Ignored when `upload` is given.
   */
  resumeId?: number | 'none' | null;
  /** A new file sent with the application: it becomes one of the seeker's resumes in the same transaction. */
  upload?: UploadedFile;
  message: string;
  /** The seeker ticked 我同意将我的简历及联系方式提供给 {公司名}; required at the first application to an employer. */
  shareConsent: boolean;
};

export type ApplyResult = { applicationId: number; job: JobSummary; newResumeId: number | null };

/**
 * Applies to a published, unexpired job. Refusals: 404 for a job that does not exist or was never public,
 * 409 for a job that has ended, 409 `你已经投递过这个职位` (the unique index decides, also under double-submit),
 * 422 without a verified phone. Without a file the online resume goes alone. Everything (new resume, application, event, consent, notification)
 * commits together or not at all; a refused upload's file is removed by storeUpload.
 */
export async function submitApplication(ctx: AppContext, input: ApplyInput): Promise<ApplyResult> {
  const job = await findJobSummary(ctx.db, input.jobId);
  if (!isJobVisible(job)) throw new NotFoundError();
  const apply = (tx: Db, file: StoredFile | null) => applyWithin(tx, todayOf(ctx), job.id, input, file);
  try {
    if (input.upload) {
      return await storeUpload(ctx.db, ctx.storage, input.upload, { kind: 'resume', ownerId: input.seekerId }, apply);
    }
    return await ctx.db.transaction((tx) => apply(tx, null));
  } catch (err) {
    throw asAlreadyApplied(err);
  }
}

/** The unique index (job, seeker) refused a second application: say so (also under double-submit). */
export function asAlreadyApplied(err: unknown): unknown {
  return isUniqueViolation(err) && constraintOf(err) !== 'resumes_one_default_idx' ? new ConflictError(messages.alreadyApplied) : err;
}

/**
 * The application's writes, in the caller's transaction (quick apply makes the account in the same one).
 * The seeker must have a verified phone: the employer has to be able to call.
 */
export async function applyWithin(tx: Db, today: string, jobId: number, input: Omit<ApplyInput, 'upload' | 'jobId'>, file: StoredFile | null): Promise<ApplyResult> {
  const seeker = await lockSeeker(tx, input.seekerId);
  if (!(await lockJobForApply(tx, jobId))) throw new NotFoundError();
  // Re-read under the lock: the job may have closed since the first read.
  const current = await findJobSummary(tx, jobId);
  if (!isJobVisible(current)) throw new NotFoundError();
  if (!isJobOpen(current, today)) throw new ConflictError(messages.jobClosed);
  if (!seeker.phoneVerified) throw new ValidationError({ phone: messages.phoneNeeded }, messages.phoneNeeded);
  const employerId = current.employerId!;
  // First, so a refusal writes nothing (the rollback would undo it anyway, and storeUpload removes the file).
  const consentGiven = await hasShareConsent(tx, input.seekerId, employerId);
  if (!consentGiven && !input.shareConsent) {
    const msg = messages.shareConsentRequired(current.companyName);
    throw new ValidationError({ shareConsent: msg }, msg);
  }

  let resumeId: number | null;
  let newResumeId: number | null = null;
  if (file) {
    newResumeId = resumeId = (await insertResume(tx, input.seekerId, file)).id;
  } else {
    resumeId = input.resumeId === 'none' ? null : await chooseResume(tx, input.seekerId, input.resumeId ?? null);
  }

  const [application] = await tx
    .insert(applications)
    .values({ jobId, seekerId: input.seekerId, resumeId, hasAttachment: resumeId !== null, message: input.message })
    .returning({ id: applications.id });
  const applicationId = application!.id;
  await tx.insert(applicationEvents).values({ applicationId, fromStatus: null, toStatus: 'new', actorId: input.seekerId });
  if (resumeId !== null) await tx.update(resumes).set({ lastUsedAt: sql`now()` }).where(eq(resumes.id, resumeId));
  if (!consentGiven) await tx.insert(consents).values({ userId: input.seekerId, kind: 'share_with_employer', employerId, employerName: current.companyName });
  await notifyUser(tx, employerId, {
    kind: 'application.new',
    title: messages.notify.newApplicant(current.title),
    body: messages.notify.newApplicantBody,
    // The staff member who posted a client company's job works it in the staff inbox.
    link: current.clientCompanyId === null ? `/employer/applications/${applicationId}` : `/admin/applicants/${applicationId}`,
  });
  return { applicationId, job: current, newResumeId };
}

function constraintOf(err: unknown): string | undefined {
  let e = err as { constraint?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.constraint === 'string') return e.constraint;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The chosen resume file (it must be the seeker's), or the default one, or none: the online resume goes alone. */
async function chooseResume(tx: Db, seekerId: number, resumeId: number | null): Promise<number | null> {
  if (resumeId !== null) {
    const [own] = await tx
      .select({ id: resumes.id })
      .from(resumes)
      .where(and(eq(resumes.id, resumeId), eq(resumes.seekerId, seekerId)));
    if (!own) throw new ValidationError({ resumeId: messages.notYourResume }, messages.notYourResume);
    return own.id;
  }
  const [fallback] = await tx
    .select({ id: resumes.id })
    .from(resumes)
    .where(eq(resumes.seekerId, seekerId))
    .orderBy(sql`${resumes.isDefault} desc`, sql`${resumes.createdAt} desc`)
    .limit(1);
  return fallback?.id ?? null;
}

/**
 * PIPL art. 23: a seeker's resume and contact details go to a third party only with separate consent. The first
 * application to an employer carries a ticked box naming the company, and records it in the same transaction.
 */
export async function hasShareConsent(db: Db, seekerId: number, employerId: number): Promise<boolean> {
  const given = await db.$count(
    consents,
    and(eq(consents.userId, seekerId), eq(consents.kind, 'share_with_employer'), eq(consents.employerId, employerId)),
  );
  return given > 0;
}

// ---------------------------------------------------------------------------------------------------------
// Status changes

type LockedApplication = {
  id: number;
  status: ApplicationStatus;
  seekerId: number | null;
  resumeId: number | null;
  viewedAt: Date | null;
  jobId: number;
  jobTitle: string;
  employerId: number | null;
  /** Set on a job staff posted for a client company (issue 22): staff handle its applications, not an employer. */
  clientCompanyId: number | null;
};

async function lockApplication(tx: Db, applicationId: number): Promise<LockedApplication | undefined> {
  const [row] = await tx
    .select({
      id: applications.id,
      status: applications.status,
      seekerId: applications.seekerId,
      resumeId: applications.resumeId,
      viewedAt: applications.viewedAt,
      jobId: jobs.id,
      jobTitle: jobs.title,
      employerId: jobs.employerId,
      clientCompanyId: jobs.clientCompanyId,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(applications.id, applicationId))
    .for('update', { of: applications });
  return row;
}

/** Moves one application and writes its event; the caller has locked it and checked the rule. */
async function moveStatus(tx: Db, app: LockedApplication, to: ApplicationStatus, actorId: number | null, event: { notificationId?: number | null; undoOf?: number } = {}): Promise<void> {
  await tx
    .update(applications)
    .set({ status: to, updatedAt: sql`now()`, viewedAt: to === 'viewed' ? sql`coalesce(${applications.viewedAt}, now())` : undefined })
    .where(eq(applications.id, app.id));
  await tx.insert(applicationEvents).values({ applicationId: app.id, fromStatus: app.status, toStatus: to, actorId, ...event });
}

function requireTransition(actor: StatusActor, from: ApplicationStatus, to: ApplicationStatus): void {
  if (!canTransition(actor, from, to)) {
    throw new InvalidTransitionError(actor === 'seeker' ? messages.cannotWithdraw(from) : messages.illegal(from, to));
  }
}

async function notifySeekerOfStatus(tx: Db, app: LockedApplication, to: ApplicationStatus, body?: string): Promise<number | null> {
  if (app.seekerId === null) return null;
  return notifyUser(tx, app.seekerId, { kind: 'application.status', title: messages.notify.status(app.jobTitle, to), body, link: '/me/applications' });
}

/**
 * An employer moves an applicant of one of their jobs; other employers' applications do not exist for them.
 * `body` goes into the seeker's message (a rejection template). The event keeps the message's id for an undo.
 */
export async function changeApplicationStatus(db: Db, employerId: number, applicationId: number, to: ApplicationStatus, body?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    if (!app || app.employerId !== employerId) throw new NotFoundError();
    await moveAsEmployer(tx, app, to, employerId, body);
  });
}

/**
 * The employer's pipeline rules, the seeker's notification (its id kept on the event, for an undo) and the event:
 * the same for staff on client jobs.
 */
async function moveAsEmployer(tx: Db, app: LockedApplication, to: ApplicationStatus, actorId: number, body?: string): Promise<void> {
  requireTransition('employer', app.status, to);
  const notificationId = await notifySeekerOfStatus(tx, app, to, body);
  await moveStatus(tx, app, to, actorId, { notificationId });
}

/** How long an employer may take back a status change (issue 18). */
export const UNDO_MINUTES = 10;
/** The employer's decisions that may be taken back: not the automatic 已查看, not a closed job. */
const UNDOABLE_MOVES: readonly ApplicationStatus[] = ['shortlisted', 'hired', 'rejected'];

export type UndoableChange = { applicationId: number; eventId: number; from: ApplicationStatus; to: ApplicationStatus };

/**
 * The change an undo would revert, per application: its latest event, when the employer made it (a manual
 * decision, not itself an undo) less than UNDO_MINUTES ago by the database clock, and the application is still
 * where it left it. Applications of other employers never qualify (the event's actor is the employer).
 */
export async function findUndoableChanges(db: Db, employerId: number, applicationIds: number[]): Promise<Map<number, UndoableChange>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([applicationEvents.applicationId], {
      applicationId: applicationEvents.applicationId,
      eventId: applicationEvents.id,
      from: applicationEvents.fromStatus,
      to: applicationEvents.toStatus,
      actorId: applicationEvents.actorId,
      undoOf: applicationEvents.undoOf,
      recent: sql<boolean>`${applicationEvents.createdAt} > now() - make_interval(mins => ${UNDO_MINUTES})`,
      current: applications.status,
    })
    .from(applicationEvents)
    .innerJoin(applications, eq(applications.id, applicationEvents.applicationId))
    .where(inArray(applicationEvents.applicationId, applicationIds))
    .orderBy(applicationEvents.applicationId, sql`${applicationEvents.id} desc`);
  const found = new Map<number, UndoableChange>();
  for (const r of rows) {
    const undoable = r.actorId === employerId && r.undoOf === null && r.recent && r.from !== null && r.current === r.to && UNDOABLE_MOVES.includes(r.to);
    if (undoable) found.set(r.applicationId, { applicationId: r.applicationId, eventId: r.eventId, from: r.from!, to: r.to });
  }
  return found;
}

/**
 * Takes back the employer's last status change (within UNDO_MINUTES): the application returns to where it was,
 * with an event marking the undo. The seeker is not told twice: the message about the change is deleted while
 * unread, so the seeker never sees either; once read, one correction (状态已更正) replaces it.
 */
export async function undoStatusChange(db: Db, employerId: number, applicationId: number): Promise<ApplicationStatus> {
  return db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    if (!app || app.employerId !== employerId) throw new NotFoundError();
    const change = (await findUndoableChanges(tx, employerId, [applicationId])).get(applicationId);
    if (!change) throw new ConflictError(messages.nothingToUndo(UNDO_MINUTES));
    const [event] = await tx.select({ notificationId: applicationEvents.notificationId }).from(applicationEvents).where(eq(applicationEvents.id, change.eventId));
    await moveStatus(tx, app, change.from, employerId, { undoOf: change.eventId });
    if (event?.notificationId != null) {
      const removed = await tx
        .delete(notifications)
        .where(and(eq(notifications.id, event.notificationId), isNull(notifications.readAt)))
        .returning({ id: notifications.id });
      if (removed.length === 0 && app.seekerId !== null) {
        await notifyUser(tx, app.seekerId, { kind: 'application.status', title: messages.notify.corrected(app.jobTitle, change.from), body: messages.notify.correctedBody, link: '/me/applications' });
      }
    }
    return change.from;
  });
}

/**
 * Staff (admins and consultants) move an applicant of a job posted for a client company, with the employer's
 * rules; audited. Applications to employers' own jobs do not exist for them here.
 */
export async function changeClientApplicationStatus(db: Db, actor: Actor, applicationId: number, to: ApplicationStatus): Promise<void> {
  await db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    if (!app || app.clientCompanyId === null) throw new NotFoundError();
    await moveAsEmployer(tx, app, to, actor.id!);
    await recordAudit(tx, actor, { action: 'application.status', targetType: 'application', targetId: app.id, before: { status: app.status }, after: { status: to } });
  });
}

/**
 * Staff open an application to a client company's job: as for an employer, the first open moves new → viewed and
 * is a `view` in the seeker's 谁看过我的简历, under the dispatch company's name (the receiver their consent named).
 */
export async function openClientApplication(db: Db, actor: Actor, applicationId: number, agencyName: string): Promise<void> {
  await db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    if (!app || app.clientCompanyId === null) throw new NotFoundError();
    await firstOpen(tx, app, actor.id!, agencyName);
  });
}

/**
 * The employer opens an application. The first open is what the seeker is told about: new → viewed, and a
 * `view` line in the seeker's 谁看过我的简历. Later opens change nothing.
 */
export async function openApplicationAsEmployer(db: Db, employer: { id: number }, applicationId: number, companyName: string): Promise<void> {
  await db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    if (!app || app.employerId !== employer.id) throw new NotFoundError();
    await firstOpen(tx, app, employer.id, companyName);
  });
}

async function firstOpen(tx: Db, app: LockedApplication, viewerId: number, viewerName: string): Promise<void> {
  if (app.viewedAt !== null || app.seekerId === null) return;
  if (app.status === 'new') {
    await moveStatus(tx, app, 'viewed', viewerId);
    await notifySeekerOfStatus(tx, app, 'viewed');
  } else {
    await tx.update(applications).set({ viewedAt: sql`now()` }).where(eq(applications.id, app.id));
  }
  await recordResumeView(tx, { seekerId: app.seekerId, resumeId: app.resumeId, viewerId, viewerName, action: 'view', applicationId: app.id });
}

/** The seeker takes an open application back; the employer is told. */
export async function withdrawApplication(db: Db, seekerId: number, applicationId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    if (!app || app.seekerId !== seekerId) throw new NotFoundError();
    requireTransition('seeker', app.status, 'withdrawn');
    await moveStatus(tx, app, 'withdrawn', seekerId);
    if (app.employerId !== null) {
      await notifyUser(tx, app.employerId, {
        kind: 'application.withdrawn',
        title: messages.notify.withdrawn(app.jobTitle),
        link: app.clientCompanyId === null ? `/employer/jobs/${app.jobId}/applications` : `/admin/applicants?job=${app.jobId}`,
      });
    }
  });
}

/**
 * For the jobs feature, inside its own transaction when a job is closed or taken down: every open application
 * (new, viewed, shortlisted) becomes `closed`, with its event, and each applicant is told once. Hired, rejected
 * and withdrawn applications are left as they are. `actorId` (the employer or admin who closed the job) goes
 * into the events; null for the system. Returns how many were closed.
 */
export async function closeApplicationsOfJob(tx: Db, jobId: number, reason: string, actorId: number | null = null): Promise<number> {
  const open = await tx
    .select({ id: applications.id, status: applications.status, seekerId: applications.seekerId })
    .from(applications)
    .where(and(eq(applications.jobId, jobId), inArray(applications.status, [...OPEN_STATUSES])))
    .for('update');
  if (open.length === 0) return 0;
  const [job] = await tx.select({ title: jobs.title }).from(jobs).where(eq(jobs.id, jobId));
  await tx
    .update(applications)
    .set({ status: 'closed', updatedAt: sql`now()` })
    .where(inArray(applications.id, open.map((a) => a.id)));
  await tx.insert(applicationEvents).values(open.map((a) => ({ applicationId: a.id, fromStatus: a.status, toStatus: 'closed' as const, actorId })));
  const seekerIds = [...new Set(open.map((a) => a.seekerId).filter((id): id is number => id !== null))];
  await notifyUsers(tx, seekerIds, { kind: 'application.closed', title: messages.notify.closed(job?.title ?? ''), body: reason, link: '/me/applications' });
  return open.length;
}

// ---------------------------------------------------------------------------------------------------------
// For pages

/** The apply form's locals for a reader who is not a seeker: nothing to offer (one object; pages only read it). */
export const NO_APPLY_FORM = Object.freeze({ resumes: [], alreadyApplied: false, needsShareConsent: false, online: null, phoneVerified: false } as const);

/** What the apply form of a job page needs for the signed-in user (NO_APPLY_FORM for others). */
export async function applyFormLocals(db: Db, user: Express.User | null | undefined, jobId: number, now = new Date()) {
  if (!user || user.role !== 'seeker') return NO_APPLY_FORM;
  const job = await findJobSummary(db, jobId);
  const [own, applied, consented, online] = await Promise.all([
    db
      .select({ id: resumes.id, title: resumes.title, isDefault: resumes.isDefault })
      .from(resumes)
      .where(eq(resumes.seekerId, user.id))
      .orderBy(sql`${resumes.isDefault} desc`, sql`${resumes.createdAt} desc`),
    hasApplied(db, user.id, jobId),
    job?.employerId ? hasShareConsent(db, user.id, job.employerId) : true,
    loadOnlineResume(db, user.id),
  ]);
  return {
    resumes: own,
    alreadyApplied: applied,
    needsShareConsent: !consented,
    // What the employer will receive: the online resume, shown on the form as it will be sent.
    online: online ? presentResume(online, now) : null,
    phoneVerified: Boolean(online?.phoneVerified),
  };
}

