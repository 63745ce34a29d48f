// Owns the reads of a seeker's own area: profile, saved and recently viewed jobs, and who saw their resumes.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { applications, employerProfiles, jobs, jobViews, resumes, resumeViews, savedJobs, seekerProfiles } from '../../db/schema';
import { jobCardColumns, type JobCard } from '../jobs/jobs.queries';

export type SeekerProfileRow = typeof seekerProfiles.$inferSelect;

export async function findSeekerProfile(db: Db, userId: number): Promise<SeekerProfileRow | undefined> {
  const [row] = await db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, userId));
  return row;
}

/** A job card plus what a seeker's lists need to mark a job that has ended. */
export type SeekerJobCard = JobCard & { validUntil: string; at: Date };

export async function listSavedJobs(db: Db, userId: number, page: number, pageSize: number): Promise<{ rows: SeekerJobCard[]; total: number }> {
  const where = eq(savedJobs.userId, userId);
  const rows = await db
    .select({ ...jobCardColumns, validUntil: jobs.validUntil, at: savedJobs.createdAt })
    .from(savedJobs)
    .innerJoin(jobs, eq(jobs.id, savedJobs.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(where)
    .orderBy(desc(savedJobs.createdAt), desc(savedJobs.jobId))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total: await db.$count(savedJobs, where) };
}

export async function listRecentlyViewedJobs(db: Db, userId: number, limit: number): Promise<SeekerJobCard[]> {
  return db
    .select({ ...jobCardColumns, validUntil: jobs.validUntil, at: jobViews.viewedAt })
    .from(jobViews)
    .innerJoin(jobs, eq(jobs.id, jobViews.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(eq(jobViews.userId, userId))
    .orderBy(desc(jobViews.viewedAt))
    .limit(limit);
}

/** Every employer (or admin) view and download of the seeker's resumes, newest first. */
export async function listResumeViews(db: Db, seekerId: number, page: number, pageSize: number) {
  const where = eq(resumeViews.seekerId, seekerId);
  const rows = await db
    .select({
      id: resumeViews.id,
      action: resumeViews.action,
      viewerName: resumeViews.viewerName,
      createdAt: resumeViews.createdAt,
      resumeTitle: resumes.title,
      jobId: jobs.id,
      jobTitle: jobs.title,
    })
    .from(resumeViews)
    .leftJoin(resumes, eq(resumes.id, resumeViews.resumeId))
    .leftJoin(applications, eq(applications.id, resumeViews.applicationId))
    .leftJoin(jobs, eq(jobs.id, applications.jobId))
    .where(where)
    .orderBy(desc(resumeViews.createdAt), desc(resumeViews.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total: await db.$count(resumeViews, where) };
}
