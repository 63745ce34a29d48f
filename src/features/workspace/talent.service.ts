// Owns the talent pool (人才库): seekers opt in (off by default; off again hides them at once), verified employers
// search the opted-in profiles without name, phone or photo, every profile view is logged for the seeker, and an
// employer invites a seeker to apply to one of its open jobs (50 a day, one per seeker per job). The name and
// phone reach the employer only through the application the seeker then chooses to send.
import { and, count, desc, eq, gte, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { applications, employerProfiles, jobs, resumeViews, seekerProfiles, talentInvitations, talentPoolMembers, users } from '../../db/schema';
import { isUniqueViolation } from '../../db/errors';
import { AVAILABILITY, JOB_TYPES, PREFERRED_SETTLEMENTS, RESUME_PAY_UNITS, type Availability, type PreferredSettlement } from '../../domain/vocabulary';
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError } from '../../errors';
import { dateIso } from '../../web/format';
import { ageOf } from '../applications/applications.present';
import { isJobOpen } from '../applications/applications.queries';
import { notifyUser } from '../notifications/notifications.service';
import { labelOf } from '../onlineResume/onlineResume.service';
import type { KeywordMatch } from '../../search/keywordMatch';
import { containsPattern } from '../../search/tsvector';
import { sumFits, talentKeyword, wishFilter, writeTalentMember, type SoftFilter } from './talent.search';

export const TALENT_INVITES_PER_DAY = 50;

const messages = {
  notVerified: '人才库仅向已认证的企业开放:请先完善企业资料并等待管理员认证',
  tooMany: `每天最多发出 ${TALENT_INVITES_PER_DAY} 个投递邀请,请明天再试`,
  already: '已经邀请过这位求职者投递这个职位',
  jobNotOpen: '请选择你正在招聘的职位',
  invitedTitle: (company: string, job: string) => `「${company}」邀请你投递:${job}`,
  invitedBody: '企业在人才库中看到了你的简历。投递后,企业才会看到你的姓名和联系方式。',
  mr: '先生',
  ms: '女士',
  anonymous: '求职者',
};

// ----- The seeker's choice -----------------------------------------------------------------------------

export async function isInTalentPool(db: Db, seekerId: number): Promise<boolean> {
  return (await db.$count(talentPoolMembers, eq(talentPoolMembers.userId, seekerId))) > 0;
}

/** Opting in writes the resume's search document with the row (talent.search.ts); opting out deletes both. */
export async function setTalentPool(db: Db, seekerId: number, optIn: boolean): Promise<void> {
  if (optIn) await db.transaction((tx) => writeTalentMember(tx, seekerId));
  else await db.delete(talentPoolMembers).where(eq(talentPoolMembers.userId, seekerId));
}

/**
 * The invitations a seeker received, newest first, with the job (to apply in one tap) and whether the seeker has
 * applied to it since; `canApply`: the account's phone is verified, which applying needs.
 */
export async function listTalentInvitations(db: Db, seekerId: number) {
  const [account] = await db.select({ phoneVerifiedAt: users.phoneVerifiedAt }).from(users).where(eq(users.id, seekerId));
  const invitations = await db
    .select({
      id: talentInvitations.id,
      createdAt: talentInvitations.createdAt,
      jobId: jobs.id,
      jobTitle: jobs.title,
      companyName: employerProfiles.companyName,
      applied: sql<boolean>`exists (select 1 from ${applications} where ${applications.jobId} = ${jobs.id} and ${applications.seekerId} = ${seekerId})`,
    })
    .from(talentInvitations)
    .innerJoin(jobs, eq(jobs.id, talentInvitations.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, talentInvitations.employerId))
    .where(eq(talentInvitations.seekerId, seekerId))
    .orderBy(desc(talentInvitations.createdAt));
  return { invitations, canApply: Boolean(account?.phoneVerifiedAt) };
}

// ----- The employer's search ---------------------------------------------------------------------------

/** The pool is for verified employers only; returns the company name. */
export async function requireVerifiedEmployer(db: Db, employerId: number): Promise<string> {
  const [row] = await db
    .select({ companyName: employerProfiles.companyName, verifiedAt: employerProfiles.verifiedAt })
    .from(employerProfiles)
    .where(eq(employerProfiles.userId, employerId));
  if (!row?.verifiedAt) throw new ForbiddenError(messages.notVerified);
  return row.companyName;
}

export type TalentFilters = {
  district?: string;
  type?: keyof typeof JOB_TYPES;
  /** One of CATEGORIES, among the seeker's wished categories. */
  category?: string;
  settlement?: PreferredSettlement;
  /** One of CERTIFICATES, on the online resume. */
  certificate?: string;
  availability?: Availability;
  q?: string;
};

const cardColumns = {
  id: users.id,
  realName: seekerProfiles.realName,
  gender: seekerProfiles.gender,
  birthYear: seekerProfiles.birthYear,
  district: seekerProfiles.district,
  desiredTypes: seekerProfiles.desiredTypes,
  desiredCategories: seekerProfiles.desiredCategories,
  certificates: seekerProfiles.certificates,
  minPay: seekerProfiles.minPay,
  minPayUnit: seekerProfiles.minPayUnit,
  preferredSettlement: seekerProfiles.preferredSettlement,
  availability: seekerProfiles.availability,
  updatedAt: seekerProfiles.updatedAt,
};
type CardRow = {
  id: number;
  realName: string;
  gender: string | null;
  birthYear: number | null;
  district: string;
  desiredTypes: string[];
  desiredCategories: string[];
  certificates: string[];
  minPay: number | null;
  minPayUnit: string | null;
  preferredSettlement: string | null;
  availability: string | null;
  updatedAt: Date;
};

/**
 * Only opted-in, active seekers (the join on the pool is what hides one the moment they opt out), and the filters:
 * the home district, certificate and availability are facts, matched exactly; a job type, category or settlement is
 * a wish, met by a seeker who wished it or left it 不限 (ranked below, `fits`). A district the seeker also wishes to
 * work in fits better.
 */
function poolFilters(f: TalentFilters): { where: SQL; fits: SQL[] } {
  const where: (SQL | undefined)[] = [eq(users.status, 'active'), eq(users.role, 'seeker')];
  const fits: SQL[] = [];
  const wish = (filter: SoftFilter) => {
    where.push(filter.where);
    fits.push(filter.fit);
  };
  if (f.district) {
    where.push(eq(seekerProfiles.district, f.district));
    fits.push(sql`(case when ${f.district} = any(${seekerProfiles.desiredDistricts}) then 1 else 0 end)`);
  }
  if (f.type) wish(wishFilter(sql`${f.type} = any(${seekerProfiles.desiredTypes})`, sql`cardinality(${seekerProfiles.desiredTypes}) = 0`));
  if (f.category) wish(wishFilter(sql`${f.category} = any(${seekerProfiles.desiredCategories})`, sql`cardinality(${seekerProfiles.desiredCategories}) = 0`));
  if (f.settlement) wish(wishFilter(eq(seekerProfiles.preferredSettlement, f.settlement), isNull(seekerProfiles.preferredSettlement)));
  if (f.certificate) where.push(sql`${f.certificate} = any(${seekerProfiles.certificates})`);
  if (f.availability) where.push(eq(seekerProfiles.availability, f.availability));
  return { where: and(...where)!, fits };
}

const poolWhere = (f: TalentFilters) => poolFilters(f).where;

function withPoolJoins<T extends PgSelect>(qb: T) {
  return qb.innerJoin(users, eq(users.id, talentPoolMembers.userId)).innerJoin(seekerProfiles, eq(seekerProfiles.userId, talentPoolMembers.userId));
}

/** 期望 日结 250元/天起: the wished settlement and the lowest pay, as the card says it ('' when neither is given). */
function expectedPay(row: Pick<CardRow, 'minPay' | 'minPayUnit' | 'preferredSettlement'>): string {
  const settlement = labelOf(PREFERRED_SETTLEMENTS, row.preferredSettlement);
  const pay = row.minPay !== null ? `${row.minPay}${labelOf(RESUME_PAY_UNITS, row.minPayUnit)}起` : '';
  return [settlement, pay].filter(Boolean).join(' ');
}

/** 王先生, 28岁, 宝安区, 叉车证, 期望 日结 250元/天起: never the full name, the phone or a photo. */
export function presentTalent(row: CardRow, now: Date) {
  const surname = [...row.realName][0] ?? '';
  const title = row.gender === 'male' ? messages.mr : row.gender === 'female' ? messages.ms : '';
  return {
    id: row.id,
    label: surname && title ? `${surname}${title}` : messages.anonymous,
    age: ageOf(row.birthYear, now),
    district: row.district,
    desiredLabels: row.desiredTypes.filter((t) => t in JOB_TYPES).map((t) => JOB_TYPES[t as keyof typeof JOB_TYPES]),
    categories: row.desiredCategories,
    certificates: row.certificates,
    expectedPay: expectedPay(row),
    availabilityLabel: labelOf(AVAILABILITY, row.availability),
    updatedAt: row.updatedAt,
  };
}

/** The keyword's match: its words (as job search matches them), else the fallback; only symbols: as typed. */
async function keywordOf(db: Db, q: string | undefined, where: SQL): Promise<KeywordMatch | undefined> {
  if (!q) return undefined;
  const keyword = talentKeyword(q);
  if (!keyword) {
    const asTyped = sql`${talentPoolMembers.searchText} ilike ${containsPattern(q.replace(/\s+/g, '').toLowerCase())}`;
    return { where: asTyped, all: asTyped, score: sql`0` };
  }
  const exact = keyword.exactMatch();
  const [anyRow] = await withPoolJoins(db.select({ one: sql`1` }).from(talentPoolMembers).$dynamic()).where(and(where, exact.where)).limit(1);
  return anyRow ? exact : keyword.fuzzyMatch();
}

/**
 * The pool's search, ranked as job search is (docs/workspace.md): with a keyword, the seekers matching every word
 * first, then by the words' score (a wish or certificate above the self-introduction); then how well the filters'
 * wishes fit; then the freshest profile. `exact`: how many match every word (the rest are `partial`).
 */
export async function searchTalent(db: Db, f: TalentFilters, page: number, pageSize: number, now: Date) {
  const { where: filters, fits } = poolFilters(f);
  const match = await keywordOf(db, f.q, filters);
  const where = match ? and(filters, match.where)! : filters;
  const allWords = match ? sql`coalesce(${match.all}, false)` : sql`true`;
  const [rows, [counts]] = await Promise.all([
    withPoolJoins(db.select({ ...cardColumns, partial: sql<boolean>`not ${allWords}` }).from(talentPoolMembers).$dynamic())
      .where(where)
      .orderBy(
        ...(match ? [sql`(case when ${allWords} then 0 else 1 end)`, sql`${match.score} desc`] : []),
        sql`${sumFits(fits)} desc`,
        desc(seekerProfiles.updatedAt),
        desc(users.id),
      )
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    withPoolJoins(db.select({ n: count(), exact: sql<number>`(count(*) filter (where ${allWords}))::int` }).from(talentPoolMembers).$dynamic()).where(where),
  ]);
  return {
    rows: (rows as (CardRow & { partial: boolean })[]).map((r) => ({ ...presentTalent(r, now), partial: r.partial })),
    total: counts?.n ?? 0,
    exact: counts?.exact ?? 0,
  };
}

/** One pooled profile, as a verified employer opens it; the view is logged for the seeker's 谁看过我的简历. */
export async function viewTalent(db: Db, employerId: number, companyName: string, seekerId: number, now: Date) {
  const [row] = await withPoolJoins(db.select(cardColumns).from(talentPoolMembers).$dynamic()).where(and(poolWhere({}), eq(users.id, seekerId)));
  if (!row) throw new NotFoundError();
  await db.insert(resumeViews).values({ seekerId, resumeId: null, viewerId: employerId, viewerName: companyName, action: 'talent_view', applicationId: null });
  return presentTalent(row as CardRow, now);
}

/** The ids of the employer's jobs this seeker was already invited to (the profile marks them 已邀请). */
export async function invitedJobIds(db: Db, employerId: number, seekerId: number): Promise<Set<number>> {
  const rows = await db
    .select({ jobId: talentInvitations.jobId })
    .from(talentInvitations)
    .where(and(eq(talentInvitations.employerId, employerId), eq(talentInvitations.seekerId, seekerId)));
  return new Set(rows.map((r) => r.jobId));
}

/** The employer's jobs a seeker can be invited to: published and still open. */
export async function openJobsOf(db: Db, employerId: number, today: string) {
  const rows = await db
    .select({ id: jobs.id, title: jobs.title, status: jobs.status, validUntil: jobs.validUntil, employerId: jobs.employerId })
    .from(jobs)
    .where(and(eq(jobs.employerId, employerId), eq(jobs.status, 'published')))
    .orderBy(desc(jobs.id));
  return rows.filter((j) => isJobOpen(j, today));
}

/**
 * Invites a pooled seeker to apply to one of the employer's open jobs. Refused: a seeker not (or no longer) in the
 * pool (404), a job that is not the employer's open one (422), more than 50 today (429), the same seeker and job
 * twice (409). The seeker is told in the site inbox with a link to the apply page.
 */
export async function inviteTalent(ctx: AppContext, employerId: number, seekerId: number, jobId: number): Promise<void> {
  const companyName = await requireVerifiedEmployer(ctx.db, employerId);
  const now = ctx.now();
  const today = dateIso(now);
  try {
    await ctx.db.transaction(async (tx) => {
      // One employer's invitations are counted one at a time: the limit holds under parallel requests.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, employerId)).for('update');
      if (!(await tx.$count(talentPoolMembers, eq(talentPoolMembers.userId, seekerId)))) throw new NotFoundError();
      const job = (await openJobsOf(tx, employerId, today)).find((j) => j.id === jobId);
      if (!job) throw new ConflictError(messages.jobNotOpen);
      const dayStart = new Date(`${today}T00:00:00+08:00`);
      const sent = await tx.$count(talentInvitations, and(eq(talentInvitations.employerId, employerId), gte(talentInvitations.createdAt, dayStart)));
      if (sent >= TALENT_INVITES_PER_DAY) throw new TooManyRequestsError(messages.tooMany);
      await tx.insert(talentInvitations).values({ employerId, seekerId, jobId });
      await notifyUser(tx, seekerId, { kind: 'talent.invited', title: messages.invitedTitle(companyName, job.title), body: messages.invitedBody, link: `/jobs/${job.id}/apply` });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(messages.already);
    throw err;
  }
}
