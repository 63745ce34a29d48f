// Owns the reads behind resumes: a seeker's list, one resume with its file, and who may download it.
import { and, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { applications, employerProfiles, files, jobs, resumes, users } from '../../db/schema';

export type ResumeListRow = {
  id: number;
  title: string;
  isDefault: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  originalName: string;
  mime: string;
  size: number;
  /** Applications that carry this resume (an employer can download it through each). */
  usedBy: number;
};

/** The seeker's resumes: the default first, then newest first. */
export async function listResumes(db: Db, seekerId: number): Promise<ResumeListRow[]> {
  return db
    .select({
      id: resumes.id,
      title: resumes.title,
      isDefault: resumes.isDefault,
      createdAt: resumes.createdAt,
      lastUsedAt: resumes.lastUsedAt,
      originalName: files.originalName,
      mime: files.mime,
      size: files.size,
      usedBy: sql<number>`(select count(*)::int from ${applications} where ${applications.resumeId} = ${resumes.id})`,
    })
    .from(resumes)
    .innerJoin(files, eq(files.id, resumes.fileId))
    .where(eq(resumes.seekerId, seekerId))
    .orderBy(desc(resumes.isDefault), desc(resumes.createdAt), desc(resumes.id));
}

export async function countResumes(db: Db, seekerId: number): Promise<number> {
  return db.$count(resumes, eq(resumes.seekerId, seekerId));
}

/** A resume with its stored file, whoever owns it. */
export async function findResumeWithFile(db: Db, resumeId: number) {
  const [row] = await db
    .select({
      id: resumes.id,
      seekerId: resumes.seekerId,
      title: resumes.title,
      isDefault: resumes.isDefault,
      fileId: files.id,
      storageKey: files.storageKey,
      originalName: files.originalName,
      mime: files.mime,
      size: files.size,
    })
    .from(resumes)
    .innerJoin(files, eq(files.id, resumes.fileId))
    .where(eq(resumes.id, resumeId));
  return row;
}

/**
 * The newest application through which `employerId` received this resume, with the company name to show the
 * seeker. A withdrawn application no longer opens the resume: the seeker took it back.
 */
export async function findEmployerAccess(db: Db, employerId: number, resumeId: number) {
  const [row] = await db
    .select({
      applicationId: applications.id,
      companyName: sql<string>`coalesce(${employerProfiles.companyName}, ${users.displayName})`,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(users, eq(users.id, jobs.employerId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(
      and(
        eq(applications.resumeId, resumeId),
        eq(jobs.employerId, employerId),
        isNotNull(applications.seekerId),
        ne(applications.status, 'withdrawn'),
      ),
    )
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(1);
  return row;
}

/**
 * A consultant's way to a resume (issue 22): it came with an active application to a job staff posted for a client
 * company. Logged for the seeker under the dispatch company's name, the receiver their consent named.
 */
export async function findStaffAccess(db: Db, resumeId: number) {
  const [row] = await db
    .select({ applicationId: applications.id, companyName: jobs.dispatchAgencyName })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.resumeId, resumeId), isNotNull(jobs.clientCompanyId), isNotNull(applications.seekerId), ne(applications.status, 'withdrawn')))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(1);
  return row;
}
