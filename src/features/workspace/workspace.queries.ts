// Owns the reads of the employer's applicant inbox: every application to the employer's jobs, filtered, paged,
// counted by status and unread, and read in batches for the export.
import { and, count, desc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { applications, jobs, resumes, seekerProfiles, users } from '../../db/schema';
import type { ApplicationStatus } from '../../domain/vocabulary';
import { applicantColumns, type ApplicantRow } from '../applications/applications.queries';

/** The inbox's filters, as plain GET parameters (a filtered view is a link). */
export type InboxFilters = {
  job?: number;
  status?: ApplicationStatus;
  /** Applied on or after / on or before this Shanghai date (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** The seeker's district (现居住区). */
  district?: string;
  /** A part of the name or the phone. */
  q?: string;
  /** Only seekers whose online resume lists at least one certificate (持证). */
  certified?: boolean;
  /** Only these applications (the ticked rows of a bulk export); other employers' ids match nothing. */
  ids?: number[];
};

export type InboxRow = ApplicantRow & { jobTitle: string };

/** Contains `needle`, case-insensitively; strpos, not LIKE, so % and _ typed by the user mean themselves. */
function contains(column: SQL | typeof users.login, needle: string): SQL {
  return sql`strpos(lower(coalesce(${column}, '')), lower(${needle})) > 0`;
}

/**
 * The employer's applications that match the filters. Personal-data filters (district, name, phone) never match
 * a withdrawn application: the employer no longer sees who it was, so a search must not say it either.
 */
export function inboxWhere(employerId: number, f: InboxFilters): SQL {
  const personal = ne(applications.status, 'withdrawn');
  const digits = f.q?.replace(/\D/g, '') ?? '';
  return and(
    eq(jobs.employerId, employerId),
    f.job ? eq(applications.jobId, f.job) : undefined,
    f.status ? eq(applications.status, f.status) : undefined,
    f.from ? sql`${applications.createdAt} >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'` : undefined,
    f.to ? sql`${applications.createdAt} < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'` : undefined,
    f.district ? and(personal, eq(seekerProfiles.district, f.district)) : undefined,
    f.certified ? and(personal, sql`cardinality(${seekerProfiles.certificates}) > 0`) : undefined,
    f.ids ? (f.ids.length ? inArray(applications.id, f.ids) : sql`false`) : undefined,
    f.q
      ? and(
          personal,
          or(
            contains(sql`${seekerProfiles.realName}`, f.q),
            contains(sql`${users.displayName}`, f.q),
            digits.length >= 3 ? or(contains(sql`${seekerProfiles.phone}`, digits), contains(users.login, digits)) : undefined,
          ),
        )
      : undefined,
  )!;
}

/** The joins every inbox read needs (the job for its owner and title, the seeker's account, profile and resume). */
function withInboxJoins<T extends PgSelect>(qb: T) {
  return qb
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(users, eq(users.id, applications.seekerId))
    .leftJoin(seekerProfiles, eq(seekerProfiles.userId, applications.seekerId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId));
}

const inboxColumns = { ...applicantColumns, jobTitle: jobs.title };

/** One page of the inbox, newest first, and the number of matching applications. */
export async function listInbox(db: Db, employerId: number, f: InboxFilters, page: number, pageSize: number) {
  const where = inboxWhere(employerId, f);
  const [rows, [total]] = await Promise.all([
    withInboxJoins(db.select(inboxColumns).from(applications).$dynamic())
      .where(where)
      .orderBy(desc(applications.createdAt), desc(applications.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize) as unknown as Promise<InboxRow[]>,
    withInboxJoins(db.select({ n: count() }).from(applications).$dynamic()).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/**
 * The next batch of matching applications after `afterId` (newest first, by id): the export reads the whole
 * selection this way, a bounded batch at a time, never all of it at once.
 */
export async function inboxBatch(db: Db, employerId: number, f: InboxFilters, beforeId: number | null, size: number): Promise<InboxRow[]> {
  return (await withInboxJoins(db.select(inboxColumns).from(applications).$dynamic())
    .where(and(inboxWhere(employerId, f), beforeId === null ? undefined : lt(applications.id, beforeId)))
    .orderBy(desc(applications.id))
    .limit(size)) as unknown as InboxRow[];
}

/** Counts by status for the status tabs (within the other filters, not the status one). */
export async function countInboxByStatus(db: Db, employerId: number, f: InboxFilters): Promise<Partial<Record<ApplicationStatus, number>>> {
  const rows = await withInboxJoins(db.select({ status: applications.status, n: count() }).from(applications).$dynamic())
    .where(inboxWhere(employerId, { ...f, status: undefined }))
    .groupBy(applications.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Unread = not opened yet (and not withdrawn): per job of the employer, for the job filter and the badges. */
export async function countUnreadByJob(db: Db, employerId: number): Promise<Map<number, number>> {
  const rows = await db
    .select({ jobId: applications.jobId, n: count() })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(jobs.employerId, employerId), isNull(applications.viewedAt), ne(applications.status, 'withdrawn')))
    .groupBy(applications.jobId);
  return new Map(rows.map((r) => [r.jobId, r.n]));
}

/** The employer's jobs that have applications, for the job filter: newest first. */
export async function listJobsWithApplications(db: Db, employerId: number) {
  return db
    .select({ id: jobs.id, title: jobs.title, n: count() })
    .from(jobs)
    .innerJoin(applications, eq(applications.jobId, jobs.id))
    .where(eq(jobs.employerId, employerId))
    .groupBy(jobs.id, jobs.title)
    .orderBy(desc(jobs.id));
}
