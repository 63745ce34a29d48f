// Owns the reads of the back office: the dashboard's counts, the user list and the employer list with their
// profiles. Drizzle only; plain rows out.
import { and, asc, count, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { applications, articles, employerProfiles, files, jobs, users } from '../../db/schema';
import { containsPattern } from '../../search/tsvector';

export type Role = 'seeker' | 'employer' | 'admin' | 'consultant';
export type UserStatus = 'active' | 'disabled';

// ---- Dashboard ----

export type UserCounts = Record<Role, { active: number; disabled: number }>;

export async function countUsersByRole(db: Db): Promise<UserCounts> {
  const rows = await db.select({ role: users.role, status: users.status, n: count() }).from(users).groupBy(users.role, users.status);
  const counts: UserCounts = { seeker: { active: 0, disabled: 0 }, employer: { active: 0, disabled: 0 }, admin: { active: 0, disabled: 0 }, consultant: { active: 0, disabled: 0 } };
  for (const r of rows) counts[r.role][r.status] = r.n;
  return counts;
}

export async function countArticlesByStatus(db: Db): Promise<{ published: number; draft: number }> {
  const rows = await db.select({ status: articles.status, n: count() }).from(articles).groupBy(articles.status);
  const counts = { published: 0, draft: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** One series of the dashboard's daily chart: rows of a table counted by the China day of a timestamp column. */
export type DailySeries = { key: string; label: string; table: PgTable; at: PgColumn; where?: SQL };

/**
 * Rows per series and China day since `sinceDay` (YYYY-MM-DD): all series in one query (UNION ALL of one
 * GROUP BY each), only the days that have rows.
 */
export async function countPerDay(db: Db, series: DailySeries[], sinceDay: string): Promise<{ series: string; day: string; n: number }[]> {
  const since = new Date(`${sinceDay}T00:00:00+08:00`);
  const parts = series.map((s) => {
    const day = sql`to_char(${s.at} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
    const where = s.where ? sql`${s.at} >= ${since} and ${s.where}` : sql`${s.at} >= ${since}`;
    return sql`(select ${s.key}::text as series, ${day} as day, count(*)::int as n from ${s.table} where ${where} group by 2)`;
  });
  // `db.execute` answers `{ rows }` on both drivers; Drizzle's shared type leaves it unknown.
  const { rows } = (await db.execute(sql.join(parts, sql` union all `))) as unknown as { rows: { series: string; day: string; n: number }[] };
  return rows.map((r) => ({ series: r.series, day: r.day, n: Number(r.n) }));
}

/** Pending jobs by how long they have waited since submission, one count per bucket of hours [from, to). */
export async function countPendingJobsByAge(db: Db, now: Date, buckets: [number, number | null][]): Promise<number[]> {
  const hours = sql`extract(epoch from (${now}::timestamptz - coalesce(${jobs.submittedAt}, ${jobs.updatedAt}))) / 3600`;
  const bucket = sql.join(
    buckets.map(([, to], i) => (to === null ? sql`else ${i}` : sql`when ${hours} < ${to} then ${i}`)),
    sql` `,
  );
  const rows = await db
    .select({ bucket: sql<number>`case ${bucket} end`.as('bucket'), n: count() })
    .from(jobs)
    .where(eq(jobs.status, 'pending'))
    .groupBy(sql`1`);
  const out = buckets.map(() => 0);
  for (const r of rows) out[Number(r.bucket)] = r.n;
  return out;
}

// ---- Users ----

export type UserListFilter = { q?: string; role?: Role; status?: UserStatus };

export type UserListRow = {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  createdAt: Date;
  lastLoginAt: Date | null;
  companyName: string | null;
};

/** A login or display name containing the words; a phone typed with spaces or dashes still matches its digits. */
function userSearch(q: string): SQL {
  const digits = q.replace(/[\s\-()]/g, '');
  const parts = [ilike(users.login, containsPattern(q.toLowerCase())), ilike(users.displayName, containsPattern(q))];
  if (/^\+?\d{3,}$/.test(digits)) parts.push(ilike(users.login, containsPattern(digits.replace(/^\+?86(?=1\d{10}$)/, ''))));
  return or(...parts)!;
}

export async function listUsersForAdmin(db: Db, filter: UserListFilter, page: number, pageSize: number): Promise<{ rows: UserListRow[]; total: number }> {
  const where: SQL[] = [];
  if (filter.q) where.push(userSearch(filter.q));
  if (filter.role) where.push(eq(users.role, filter.role));
  if (filter.status) where.push(eq(users.status, filter.status));
  const cond = where.length ? and(...where) : undefined;
  const [rows, total] = await Promise.all([
    db
      .select({
        id: users.id,
        login: users.login,
        displayName: users.displayName,
        role: users.role,
        status: users.status,
        createdAt: users.createdAt,
        lastLoginAt: users.lastLoginAt,
        companyName: employerProfiles.companyName,
      })
      .from(users)
      .leftJoin(employerProfiles, eq(employerProfiles.userId, users.id))
      .where(cond)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.$count(users, cond),
  ]);
  return { rows, total };
}

export type UserDetail = typeof users.$inferSelect & { companyName: string | null; jobCount: number; applicationCount: number };

export async function findUserForAdmin(db: Db, id: number): Promise<UserDetail | undefined> {
  const [row] = await db
    .select({
      id: users.id,
      login: users.login,
      passwordHash: users.passwordHash,
      phone: users.phone,
      phoneVerifiedAt: users.phoneVerifiedAt,
      phonePromptedAt: users.phonePromptedAt,
      email: users.email,
      emailVerifiedAt: users.emailVerifiedAt,
      role: users.role,
      displayName: users.displayName,
      status: users.status,
      policyVersion: users.policyVersion,
      policyAcceptedAt: users.policyAcceptedAt,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
      companyName: employerProfiles.companyName,
      jobCount: sql<number>`(select count(*)::int from ${jobs} where ${jobs.employerId} = ${users.id})`,
      applicationCount: sql<number>`(select count(*)::int from ${applications} where ${applications.seekerId} = ${users.id})`,
    })
    .from(users)
    .leftJoin(employerProfiles, eq(employerProfiles.userId, users.id))
    .where(eq(users.id, id));
  return row;
}

// ---- Employers ----

export type EmployerFilter = 'all' | 'verified' | 'unverified' | 'incomplete';

/** A profile with every required item filled in: what an admin can check against the business license. */
const profileComplete = sql`(${employerProfiles.userId} is not null and ${employerProfiles.companyName} <> '' and ${employerProfiles.creditCode} <> ''
  and ${employerProfiles.contactName} <> '' and ${employerProfiles.contactPhone} <> '' and ${employerProfiles.address} <> '' and ${employerProfiles.intro} <> '')`;

function employerFilterCondition(filter: EmployerFilter): SQL | undefined {
  switch (filter) {
    case 'verified':
      return isNotNull(employerProfiles.verifiedAt);
    case 'unverified':
      // The verification queue: waiting accounts only (a disabled account is not waiting for anything).
      return and(profileComplete, isNull(employerProfiles.verifiedAt), eq(users.status, 'active'));
    case 'incomplete':
      return sql`not ${profileComplete}`;
    default:
      return undefined;
  }
}

function employerSearch(q: string): SQL {
  const pattern = containsPattern(q);
  return or(
    ilike(employerProfiles.companyName, pattern),
    ilike(employerProfiles.creditCode, containsPattern(q.toUpperCase().replace(/[\s-]/g, ''))),
    ilike(users.login, containsPattern(q.toLowerCase().replace(/[\s\-()]/g, ''))),
    ilike(users.displayName, pattern),
  )!;
}

export type EmployerListRow = {
  id: number;
  login: string;
  displayName: string;
  status: UserStatus;
  createdAt: Date;
  companyName: string | null;
  creditCode: string | null;
  licenseNo: string | null;
  hasLicenseFile: boolean;
  complete: boolean;
  verifiedAt: Date | null;
  profileUpdatedAt: Date | null;
  jobCount: number;
};

export async function listEmployersForAdmin(
  db: Db,
  opts: { q?: string; filter: EmployerFilter },
  page: number,
  pageSize: number,
): Promise<{ rows: EmployerListRow[]; total: number }> {
  const where: SQL[] = [eq(users.role, 'employer')];
  const byFilter = employerFilterCondition(opts.filter);
  if (byFilter) where.push(byFilter);
  if (opts.q) where.push(employerSearch(opts.q));
  const cond = and(...where);
  // The verification queue is first come, first served; the other lists show the newest first.
  const order = opts.filter === 'unverified' ? [asc(employerProfiles.updatedAt), asc(users.id)] : [desc(users.createdAt), desc(users.id)];
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        id: users.id,
        login: users.login,
        displayName: users.displayName,
        status: users.status,
        createdAt: users.createdAt,
        companyName: employerProfiles.companyName,
        creditCode: employerProfiles.creditCode,
        licenseNo: employerProfiles.licenseNo,
        hasLicenseFile: sql<boolean>`${employerProfiles.licenseFileId} is not null`,
        complete: sql<boolean>`${profileComplete}`,
        verifiedAt: employerProfiles.verifiedAt,
        profileUpdatedAt: employerProfiles.updatedAt,
        jobCount: sql<number>`(select count(*)::int from ${jobs} where ${jobs.employerId} = ${users.id} and ${jobs.status} <> 'draft')`,
      })
      .from(users)
      .leftJoin(employerProfiles, eq(employerProfiles.userId, users.id))
      .where(cond)
      .orderBy(...order)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(users).leftJoin(employerProfiles, eq(employerProfiles.userId, users.id)).where(cond),
  ]);
  return { rows, total: totalRow?.n ?? 0 };
}

export type EmployerDetail = {
  user: Pick<typeof users.$inferSelect, 'id' | 'login' | 'displayName' | 'status' | 'createdAt' | 'lastLoginAt'>;
  profile: typeof employerProfiles.$inferSelect | null;
  license: { mime: string; originalName: string; size: number } | null;
  verifiedByLogin: string | null;
};

/** An employer account with its profile; undefined when the id is not an employer. */
export async function findEmployerForAdmin(db: Db, id: number): Promise<EmployerDetail | undefined> {
  const [user] = await db
    .select({ id: users.id, login: users.login, displayName: users.displayName, status: users.status, createdAt: users.createdAt, lastLoginAt: users.lastLoginAt })
    .from(users)
    .where(and(eq(users.id, id), eq(users.role, 'employer')));
  if (!user) return undefined;
  const [profile] = await db.select().from(employerProfiles).where(eq(employerProfiles.userId, id));
  const [license] = profile?.licenseFileId
    ? await db.select({ mime: files.mime, originalName: files.originalName, size: files.size }).from(files).where(eq(files.id, profile.licenseFileId))
    : [];
  const [verifier] = profile?.verifiedBy ? await db.select({ login: users.login }).from(users).where(eq(users.id, profile.verifiedBy)) : [];
  return { user, profile: profile ?? null, license: license ?? null, verifiedByLogin: verifier?.login ?? null };
}

/** The employer accounts waiting for verification: the dashboard's count of the queue. */
export async function countEmployersAwaitingVerification(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .leftJoin(employerProfiles, eq(employerProfiles.userId, users.id))
    .where(and(eq(users.role, 'employer'), employerFilterCondition('unverified')));
  return row?.n ?? 0;
}
