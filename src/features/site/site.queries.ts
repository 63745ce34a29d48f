// Owns the reads behind the home page: the newest published jobs and articles.
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { articles, employerProfiles, jobs } from '../../db/schema';

/** Columns a job card shows; shared by every job list. */
export const jobCardColumns = {
  id: jobs.id,
  title: jobs.title,
  type: jobs.type,
  category: jobs.category,
  district: jobs.district,
  payMin: jobs.payMin,
  payMax: jobs.payMax,
  payUnit: jobs.payUnit,
  settlement: jobs.settlement,
  benefits: jobs.benefits,
  headcount: jobs.headcount,
  publishedAt: jobs.publishedAt,
  status: jobs.status,
  companyName: employerProfiles.companyName,
  verified: sql<boolean>`${employerProfiles.verifiedAt} is not null`,
};

export type JobCard = {
  id: number;
  title: string;
  type: 'temp' | 'parttime' | 'dispatch' | 'fulltime';
  category: string;
  district: string;
  payMin: number;
  payMax: number | null;
  payUnit: 'hour' | 'day' | 'month' | 'piece';
  settlement: 'daily' | 'weekly' | 'monthly' | 'completion';
  benefits: string[];
  headcount: number;
  publishedAt: Date | null;
  status: string;
  companyName: string | null;
  verified: boolean;
};

export async function listLatestPublishedJobs(db: Db, limit: number): Promise<JobCard[]> {
  return db
    .select(jobCardColumns)
    .from(jobs)
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(and(eq(jobs.status, 'published'), gte(jobs.validUntil, sql`current_date`)))
    .orderBy(desc(jobs.publishedAt), desc(jobs.id))
    .limit(limit);
}

export async function listLatestArticles(db: Db, limit: number) {
  return db
    .select({ id: articles.id, title: articles.title, publishedAt: articles.publishedAt, category: articles.category })
    .from(articles)
    .where(eq(articles.status, 'published'))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
}
