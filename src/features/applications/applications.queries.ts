// Owns the reads behind applications: the job being applied to, a seeker's applications, a job's applicants.
import { and, asc, count, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import {
  applicationEvents,
  applications,
  employerProfiles,
  jobs,
  resumes,
  seekerProfiles,
  users,
} from '../../db/schema';
import type { ApplicationStatus } from '../../domain/vocabulary';

/** The company name an applicant sees: the profile's, or the account's display name when there is no profile. */
// A job staff posted for a client company (issue 22) names the dispatch company (its 派遣单位), never the staff member.
export const companyNameOf = sql<string>`coalesce(${employerProfiles.companyName}, case when ${jobs.clientCompanyId} is not null then ${jobs.dispatchAgencyName} end, ${users.displayName}, '')`;

const jobSummaryColumns = {
  id: jobs.id,
  title: jobs.title,
  type: jobs.type,
  status: jobs.status,
  validUntil: jobs.validUntil,
  employerId: jobs.employerId,
  district: jobs.district,
  payMin: jobs.payMin,
  payMax: jobs.payMax,
  payUnit: jobs.payUnit,
  settlement: jobs.settlement,
  companyName: companyNameOf,
  clientCompanyId: jobs.clientCompanyId,
  employerActive: sql<boolean>`coalesce(${users.status} = 'active', false)`,
};

export type JobSummary = {
  id: number;
  title: string;
  type: 'temp' | 'parttime' | 'dispatch' | 'fulltime';
  status: 'draft' | 'pending' | 'published' | 'rejected' | 'closed' | 'expired';
  validUntil: string;
  employerId: number | null;
  district: string;
  payMin: number;
  payMax: number | null;
  payUnit: 'hour' | 'day' | 'month' | 'piece';
  settlement: 'daily' | 'weekly' | 'monthly' | 'completion';
  companyName: string;
  /** Set on a job staff posted for a client company (issue 22): its applications are in the staff inbox. */
  clientCompanyId: number | null;
  /** False once the employer account is disabled (its jobs are hidden) or deleted. */
  employerActive: boolean;
};

/** A job with its company name, whatever its status. */
export async function findJobSummary(db: Db, jobId: number): Promise<JobSummary | undefined> {
  const [row] = await db
    .select(jobSummaryColumns)
    .from(jobs)
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .leftJoin(users, eq(users.id, jobs.employerId))
    .where(eq(jobs.id, jobId));
  return row;
}

/**
 * Takes a share lock on the job row for the rest of the transaction: closing the job (an UPDATE) waits for
 * the application to commit, or the application sees the job closed. Either way no application stays open
 * on a closed job.
 */
export async function lockJobForApply(tx: Db, jobId: number): Promise<boolean> {
  const rows = await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).for('share');
  return rows.length > 0;
}

/**
 * Whether the job has a public page: it was published at some point (it may have ended since) and its
 * employer is not disabled. Anything else does not exist for seekers (404).
 */
export function isJobVisible(job: JobSummary | undefined): job is JobSummary {
  return !!job && job.employerActive && ['published', 'closed', 'expired'].includes(job.status);
}

/**
 * Open = published and not past its validity date (`today` is the Shanghai date, YYYY-MM-DD). A job whose
 * employer account is gone (employerId null) takes no more applications.
 */
export function isJobOpen(job: { status: string; validUntil: string; employerId?: number | null }, today: string): boolean {
  return job.status === 'published' && job.validUntil >= today && job.employerId !== null;
}

export async function hasApplied(db: Db, seekerId: number, jobId: number): Promise<boolean> {
  return (await db.$count(applications, and(eq(applications.seekerId, seekerId), eq(applications.jobId, jobId)))) > 0;
}

/** The seeker's applications, newest first, each with its job and company. */
export async function listSeekerApplications(db: Db, seekerId: number, page: number, pageSize: number) {
  const where = eq(applications.seekerId, seekerId);
  const rows = await db
    .select({
      id: applications.id,
      status: applications.status,
      message: applications.message,
      createdAt: applications.createdAt,
      updatedAt: applications.updatedAt,
      resumeTitle: resumes.title,
      job: jobSummaryColumns,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .leftJoin(users, eq(users.id, jobs.employerId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId))
    .where(where)
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const total = await db.$count(applications, where);
  return { rows, total };
}

export type StatusEvent = { applicationId: number; fromStatus: ApplicationStatus | null; toStatus: ApplicationStatus; createdAt: Date };

/** The status history of some applications, oldest first, grouped by application id. */
export async function listEventsOf(db: Db, applicationIds: number[]): Promise<Map<number, StatusEvent[]>> {
  const out = new Map<number, StatusEvent[]>();
  if (applicationIds.length === 0) return out;
  const rows = await db
    .select({
      applicationId: applicationEvents.applicationId,
      fromStatus: applicationEvents.fromStatus,
      toStatus: applicationEvents.toStatus,
      createdAt: applicationEvents.createdAt,
    })
    .from(applicationEvents)
    .where(inArray(applicationEvents.applicationId, applicationIds))
    .orderBy(asc(applicationEvents.createdAt), asc(applicationEvents.id));
  for (const row of rows) {
    const list = out.get(row.applicationId) ?? [];
    list.push(row);
    out.set(row.applicationId, list);
  }
  return out;
}

/**
 * A seeker's data as the employer may read it: nothing once the application is withdrawn. The seeker took the
 * application back (docs/applications.md): from then on the employer sees that there was one, its dates and
 * statuses, never who it was, the phone, the intro, the message or the resume. Decided here, in the query, so
 * that no page or export can show what it no longer receives.
 */
function unlessWithdrawn<C extends AnyPgColumn>(column: C) {
  return sql<C['_']['data'] | null>`case when ${applications.status} = 'withdrawn' then null else ${column} end`.mapWith(column);
}

/** What an employer sees of an applicant: profile fields, the message, the resume (if it still exists). */
export const applicantColumns = {
  id: applications.id,
  jobId: applications.jobId,
  seekerId: applications.seekerId,
  status: applications.status,
  message: sql<string>`case when ${applications.status} = 'withdrawn' then '' else ${applications.message} end`,
  createdAt: applications.createdAt,
  updatedAt: applications.updatedAt,
  viewedAt: applications.viewedAt,
  resumeId: unlessWithdrawn(resumes.id),
  resumeTitle: unlessWithdrawn(resumes.title),
  hasAttachment: applications.hasAttachment,
  displayName: unlessWithdrawn(users.displayName),
  login: unlessWithdrawn(users.login),
  realName: unlessWithdrawn(seekerProfiles.realName),
  gender: unlessWithdrawn(seekerProfiles.gender),
  birthYear: unlessWithdrawn(seekerProfiles.birthYear),
  district: unlessWithdrawn(seekerProfiles.district),
  phone: unlessWithdrawn(seekerProfiles.phone),
  intro: unlessWithdrawn(seekerProfiles.intro),
  desiredTypes: unlessWithdrawn(seekerProfiles.desiredTypes),
};

export type ApplicantRow = {
  id: number;
  jobId: number;
  seekerId: number | null;
  status: ApplicationStatus;
  message: string;
  createdAt: Date;
  updatedAt: Date;
  viewedAt: Date | null;
  resumeId: number | null;
  resumeTitle: string | null;
  /** False: applied with the online resume only (a null resumeId then means no file, not a deleted one). */
  hasAttachment: boolean;
  displayName: string | null;
  login: string | null;
  realName: string | null;
  gender: string | null;
  birthYear: number | null;
  district: string | null;
  phone: string | null;
  intro: string | null;
  desiredTypes: string[] | null;
};

function applicantQuery(db: Db) {
  return db
    .select(applicantColumns)
    .from(applications)
    .leftJoin(users, eq(users.id, applications.seekerId))
    .leftJoin(seekerProfiles, eq(seekerProfiles.userId, applications.seekerId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId));
}

export async function listApplicantsOfJob(db: Db, jobId: number, status: ApplicationStatus | undefined, page: number, pageSize: number) {
  const where = and(eq(applications.jobId, jobId), status ? eq(applications.status, status) : undefined);
  const rows: ApplicantRow[] = await applicantQuery(db)
    .where(where)
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const total = await db.$count(applications, where);
  return { rows, total };
}

export async function findApplicant(db: Db, applicationId: number): Promise<ApplicantRow | undefined> {
  const [row] = await applicantQuery(db).where(eq(applications.id, applicationId));
  return row;
}

/** How many applications of a job are in each status. */
export async function countApplicationsByStatus(db: Db, where: ReturnType<typeof eq>): Promise<Partial<Record<ApplicationStatus, number>>> {
  const rows = await db.select({ status: applications.status, n: count() }).from(applications).where(where).groupBy(applications.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export const applicationsOfJob = (jobId: number) => eq(applications.jobId, jobId);
export const applicationsOfSeeker = (seekerId: number) => eq(applications.seekerId, seekerId);

