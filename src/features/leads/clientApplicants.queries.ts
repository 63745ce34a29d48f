// Owns the reads of the staff inbox (/admin/applicants): every application to a job staff posted for a client
// company, filtered by job, status and client company, and one application with its job and company.
import { and, asc, count, desc, eq, inArray, isNotNull, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { applications, clientCompanies, jobs, resumes, seekerProfiles, users } from '../../db/schema';
import type { ApplicationStatus } from '../../domain/vocabulary';
import { applicantColumns, type ApplicantRow } from '../applications/applications.queries';

export type StaffInboxFilters = { job?: number; status?: ApplicationStatus; company?: number };

export type StaffInboxRow = ApplicantRow & { jobTitle: string; clientCompanyId: number; clientCompanyName: string; agencyName: string | null };

const columns = {
  ...applicantColumns,
  jobTitle: jobs.title,
  clientCompanyId: clientCompanies.id,
  clientCompanyName: clientCompanies.name,
  agencyName: jobs.dispatchAgencyName,
};

function withJoins<T extends PgSelect>(qb: T) {
  return qb
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(clientCompanies, eq(clientCompanies.id, jobs.clientCompanyId))
    .leftJoin(users, eq(users.id, applications.seekerId))
    .leftJoin(seekerProfiles, eq(seekerProfiles.userId, applications.seekerId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId));
}

function whereOf(f: StaffInboxFilters): SQL {
  return and(
    isNotNull(jobs.clientCompanyId),
    f.job ? eq(applications.jobId, f.job) : undefined,
    f.status ? eq(applications.status, f.status) : undefined,
    f.company ? eq(jobs.clientCompanyId, f.company) : undefined,
  )!;
}

export async function listStaffInbox(db: Db, f: StaffInboxFilters, page: number, pageSize: number) {
  const where = whereOf(f);
  const [rows, [total]] = await Promise.all([
    withJoins(db.select(columns).from(applications).$dynamic())
      .where(where)
      .orderBy(desc(applications.createdAt), desc(applications.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize) as unknown as Promise<StaffInboxRow[]>,
    withJoins(db.select({ n: count() }).from(applications).$dynamic()).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** One application to a client company's job, or undefined (an employer's own job's application is not staff's). */
export async function findStaffApplicant(db: Db, id: number): Promise<StaffInboxRow | undefined> {
  const [row] = (await withJoins(db.select(columns).from(applications).$dynamic()).where(and(whereOf({}), eq(applications.id, id)))) as unknown as StaffInboxRow[];
  return row;
}

/** Some applications of one client job, for the shortlist share (the caller checks their status). */
export async function findStaffApplicantsOfJob(db: Db, jobId: number, ids: number[]): Promise<StaffInboxRow[]> {
  if (ids.length === 0) return [];
  return (await withJoins(db.select(columns).from(applications).$dynamic())
    .where(and(whereOf({ job: jobId }), inArray(applications.id, ids)))
    .orderBy(asc(applications.id))) as unknown as StaffInboxRow[];
}

/** The filters' choices: client jobs with applications, and client companies, by name. */
export async function staffInboxChoices(db: Db) {
  const [jobRows, companies] = await Promise.all([
    db
      .select({ id: jobs.id, title: jobs.title, companyName: clientCompanies.name, n: count() })
      .from(jobs)
      .innerJoin(clientCompanies, eq(clientCompanies.id, jobs.clientCompanyId))
      .innerJoin(applications, eq(applications.jobId, jobs.id))
      .groupBy(jobs.id, jobs.title, clientCompanies.name)
      .orderBy(desc(jobs.id)),
    db.select({ id: clientCompanies.id, name: clientCompanies.name }).from(clientCompanies).orderBy(asc(clientCompanies.name)),
  ]);
  return { jobs: jobRows, companies };
}
