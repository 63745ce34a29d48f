// Owns a seeker's own area: the profile, the dashboard figures, saved jobs (收藏) and recently viewed jobs.
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { jobViews, savedJobs, seekerProfiles, users } from '../../db/schema';
import { isMobile } from '../../domain/text';
import type { ApplicationStatus } from '../../domain/vocabulary';
import { ConflictError, NotFoundError } from '../../errors';
import { countUnread } from '../notifications/notifications.service';
import { applicationsOfSeeker, countApplicationsByStatus, findJobSummary, isJobOpen, isJobVisible } from '../applications/applications.queries';
import { todayOf } from '../applications/applications.service';
import { countResumes } from '../resumes/resumes.queries';
import { findSeekerProfile, listRecentlyViewedJobs, type SeekerProfileRow } from './seekers.queries';
import { refreshTalentDocument } from '../workspace/talent.search';
import type { ProfileInput } from './seekers.validation';

/** How many viewed jobs are kept per seeker; older ones are dropped as new ones come in. */
export const RECENT_VIEWS_KEPT = 30;

const messages = {
  cannotSave: '该职位已结束招聘,不能收藏',
  missing: {
    realName: '真实姓名',
    phone: '手机号',
    birthYear: '出生年份',
    district: '所在区',
    intro: '自我介绍',
    desiredTypes: '求职意向',
    resume: '上传简历',
  },
};

/** The profile form's starting values: the saved profile, or the account's name. The phone is the account's. */
export function profileFormValues(profile: SeekerProfileRow | undefined, user: { displayName: string }) {
  if (!profile) return { realName: user.displayName, gender: '', birthYear: '', district: '', intro: '', desiredTypes: [] as string[] };
  return {
    realName: profile.realName,
    gender: profile.gender ?? '',
    birthYear: profile.birthYear ? String(profile.birthYear) : '',
    district: profile.district,
    intro: profile.intro,
    desiredTypes: profile.desiredTypes,
  };
}

/**
 * Saves the profile. Its phone is the account's (verified at signup or at /me/security): the form has no phone
 * field, and employers call the number the seeker proved is theirs. `phone` is given only by fixtures and the
 * phone change (syncProfilePhone).
 */
export async function saveSeekerProfile(db: Db, userId: number, input: ProfileInput & { phone?: string }): Promise<void> {
  const phone = input.phone ?? (await accountPhone(db, userId));
  const values = {
    realName: input.realName,
    gender: input.gender,
    birthYear: input.birthYear,
    phone,
    district: input.district,
    intro: input.intro,
    desiredTypes: input.desiredTypes,
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(seekerProfiles)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: seekerProfiles.userId, set: { ...values, updatedAt: sql`now()` } });
    // A public resume is searchable as saved, at once (the talent pool's document).
    await refreshTalentDocument(tx, userId);
  });
}

async function accountPhone(db: Db, userId: number): Promise<string> {
  const [row] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, userId));
  return row?.phone ?? '';
}

/** The account's phone changed (/me/security): the profile employers see follows. */
export async function syncProfilePhone(db: Db, userId: number, phone: string): Promise<void> {
  await db.update(seekerProfiles).set({ phone, updatedAt: sql`now()` }).where(eq(seekerProfiles.userId, userId));
}

export type Completeness = { percent: number; missing: { key: string; label: string; href: string }[] };

/**
 * What share of the things an employer looks at the seeker has filled in (gender is optional and not counted).
 * The phone counts once the account's phone is verified (a phone signup has it from the start).
 */
export function profileCompleteness(profile: SeekerProfileRow | undefined, resumeCount: number, phoneVerified: boolean): Completeness {
  const checks: [keyof typeof messages.missing, boolean, string][] = [
    ['realName', Boolean(profile?.realName), '/me/profile'],
    ['phone', phoneVerified, '/me/security/phone'],
    ['birthYear', Boolean(profile?.birthYear), '/me/profile'],
    ['district', Boolean(profile?.district), '/me/profile'],
    ['desiredTypes', Boolean(profile?.desiredTypes.length), '/me/profile'],
    ['intro', Boolean(profile?.intro), '/me/profile'],
    ['resume', resumeCount > 0, '/me/resumes'],
  ];
  const done = checks.filter(([, ok]) => ok).length;
  return {
    percent: Math.round((done / checks.length) * 100),
    missing: checks.filter(([, ok]) => !ok).map(([key, , href]) => ({ key, label: messages.missing[key], href })),
  };
}

export async function seekerDashboard(ctx: AppContext, userId: number, phoneVerified: boolean) {
  const [profile, resumeCount, byStatus, unread, saved, recent] = await Promise.all([
    findSeekerProfile(ctx.db, userId),
    countResumes(ctx.db, userId),
    countApplicationsByStatus(ctx.db, applicationsOfSeeker(userId)),
    countUnread(ctx.db, userId),
    ctx.db.$count(savedJobs, eq(savedJobs.userId, userId)),
    listRecentlyViewedJobs(ctx.db, userId, 6),
  ]);
  const totalApplications = Object.values(byStatus).reduce((a, b) => a + (b ?? 0), 0);
  return {
    completeness: profileCompleteness(profile, resumeCount, phoneVerified),
    resumeCount,
    byStatus: byStatus as Partial<Record<ApplicationStatus, number>>,
    totalApplications,
    unread,
    saved,
    recent,
  };
}

/**
 * For the job page: a signed-in seeker opened a job. One row per seeker and job, its time moved to now;
 * only the newest RECENT_VIEWS_KEPT are kept.
 */
export async function recordJobView(db: Db, userId: number, jobId: number): Promise<void> {
  await db
    .insert(jobViews)
    .values({ userId, jobId })
    .onConflictDoUpdate({ target: [jobViews.userId, jobViews.jobId], set: { viewedAt: sql`now()` } });
  const keep = db
    .select({ jobId: jobViews.jobId })
    .from(jobViews)
    .where(eq(jobViews.userId, userId))
    .orderBy(sql`${jobViews.viewedAt} desc`)
    .limit(RECENT_VIEWS_KEPT);
  await db.delete(jobViews).where(and(eq(jobViews.userId, userId), notInArray(jobViews.jobId, keep)));
}

/** For the job page's 收藏 button. */
export async function isJobSaved(db: Db, userId: number, jobId: number): Promise<boolean> {
  return (await db.$count(savedJobs, and(eq(savedJobs.userId, userId), eq(savedJobs.jobId, jobId)))) > 0;
}

/**
 * Saves a job, or un-saves it when it was saved. Only a published, unexpired job can be newly saved;
 * a saved job that has ended can still be removed. A job that was never public does not exist here.
 */
export async function toggleSavedJob(ctx: AppContext, userId: number, jobId: number): Promise<'saved' | 'unsaved'> {
  const removed = await ctx.db
    .delete(savedJobs)
    .where(and(eq(savedJobs.userId, userId), eq(savedJobs.jobId, jobId)))
    .returning({ jobId: savedJobs.jobId });
  if (removed.length > 0) return 'unsaved';
  const job = await findJobSummary(ctx.db, jobId);
  if (!isJobVisible(job)) throw new NotFoundError();
  if (!isJobOpen(job, todayOf(ctx))) throw new ConflictError(messages.cannotSave);
  await ctx.db.insert(savedJobs).values({ userId, jobId }).onConflictDoNothing();
  return 'saved';
}

/** The name and the mobile number an employer sees: the profile's, else the account's name and mobile login. */
export function contactOf(row: { realName: string | null; displayName: string | null; phone: string | null; login: string | null }): { name: string; phone: string } {
  return { name: row.realName || row.displayName || '', phone: row.phone || (row.login && isMobile(row.login) ? row.login : '') };
}

export async function seekerContact(db: Db, userId: number): Promise<{ name: string; phone: string }> {
  const [row] = await db
    .select({ displayName: users.displayName, login: users.login, realName: seekerProfiles.realName, phone: seekerProfiles.phone })
    .from(users)
    .leftJoin(seekerProfiles, eq(seekerProfiles.userId, users.id))
    .where(eq(users.id, userId));
  if (!row) throw new NotFoundError();
  return contactOf(row);
}
