// Owns account deletion (注销): the user's row and everything personal goes in one transaction; applications
// stay as anonymised rows so employers' counts stay right; stored files are unlinked after the commit.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { applicationEvents, applications, files, interviews, jobs, users } from '../../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { deleteAccountCounters } from '../../web/rateLimit';
import { verifyPassword } from '../accounts/accounts.service';
import { OPEN_STATUSES } from '../applications/applications.rules';
import { closeJob } from '../jobs/jobs.service';
import { deleteMessagesTo } from '../../messaging/messaging';
import { deleteCodesTo } from '../verification/verification.service';

const messages = {
  wrongPassword: '密码不正确,账户未注销',
  adminRefused: '管理员账号不能在这里注销,请由其他管理员停用',
};

export type DeletionResult = { filesRemoved: number; applicationsAnonymised: number; jobsClosed: number };

/**
 * Deletes the account after checking its password (422 on the password field otherwise, nothing changed).
 *
 * The users row is deleted, not kept: its foreign keys were designed for this. Cascades remove sessions,
 * consents, the seeker or company profile, resumes and every file row, saved and viewed jobs, notifications
 * and the resume-view log; links from other people's rows (events, audit actor, reports) become null.
 * Rate-limit counters keyed by the login or the user id go too, and so do the messages and codes sent to its phone
 * and e-mail address.
 * Before that, in the same transaction:
 * - the seeker's applications lose seeker, resume and message (`anonymised_at` set); open ones become
 *   `withdrawn`, so the employer has no one left to move along and no phantom new applicant;
 * - an employer's published jobs are closed through closeJob (applicants are told), jobs nobody applied
 *   to are deleted, and the jobs kept for applicants' histories lose their contact person and phone.
 */
export async function deleteAccount(ctx: AppContext, userId: number, password: string): Promise<DeletionResult> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError();
  if (user.role === 'admin') throw new ForbiddenError(messages.adminRefused);
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new ValidationError({ password: messages.wrongPassword }, messages.wrongPassword);
  }
  const now = ctx.now();

  const result = await ctx.db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    const keys = (await tx.select({ key: files.storageKey }).from(files).where(eq(files.ownerId, userId))).map((f) => f.key);

    // Seeker side: anonymise the applications.
    const open = await tx
      .select({ id: applications.id, status: applications.status })
      .from(applications)
      .where(and(eq(applications.seekerId, userId), inArray(applications.status, [...OPEN_STATUSES])))
      .for('update');
    if (open.length) {
      await tx.insert(applicationEvents).values(open.map((a) => ({ applicationId: a.id, fromStatus: a.status, toStatus: 'withdrawn' as const, actorId: null })));
      await tx.update(applications).set({ status: 'withdrawn' }).where(inArray(applications.id, open.map((a) => a.id)));
    }
    const anonymised = await tx
      .update(applications)
      .set({ seekerId: null, resumeId: null, message: '', anonymisedAt: now, updatedAt: now })
      .where(eq(applications.seekerId, userId))
      .returning({ id: applications.id });
    // The seeker's answers to interview invitations are their words too (issue 18).
    if (anonymised.length) await tx.update(interviews).set({ reply: '' }).where(inArray(interviews.applicationId, anonymised.map((a) => a.id)));

    // Employer side: end the published jobs, drop the ones nobody applied to, strip contacts from the rest.
    const published = await tx.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.employerId, userId), eq(jobs.status, 'published')));
    for (const job of published) await closeJob(tx, job.id, { now, actorId: userId });
    await tx.delete(jobs).where(
      and(eq(jobs.employerId, userId), sql`not exists (select 1 from ${applications} where ${applications.jobId} = ${jobs.id})`),
    );
    await tx.update(jobs).set({ contactName: '', contactPhone: '', updatedAt: now }).where(eq(jobs.employerId, userId));

    await tx.delete(users).where(eq(users.id, userId));
    // The SMS and e-mails to its phone and address, and the codes sent to them, go too.
    const contacts = [user.login, user.phone, user.email].filter((c): c is string => Boolean(c));
    await deleteMessagesTo(tx, contacts);
    await deleteCodesTo(tx, contacts);
    // Rate-limit counters keyed by the login (login lockout) would keep it for a while.
    await deleteAccountCounters(tx, user);
    return { keys, applicationsAnonymised: anonymised.length, jobsClosed: published.length };
  });

  // After the commit: a crash here leaves only orphan files, which the upload sweep removes.
  await ctx.storage.removeAll(result.keys);
  ctx.logger.info({ userId, role: user.role, files: result.keys.length, applications: result.applicationsAnonymised, jobsClosed: result.jobsClosed }, 'account deleted');
  return { filesRemoved: result.keys.length, applicationsAnonymised: result.applicationsAnonymised, jobsClosed: result.jobsClosed };
}

/** What the confirmation page tells the user will go. */
export async function deletionSummary(ctx: AppContext, userId: number) {
  const [counts] = await ctx.db
    .select({
      files: sql<number>`(select count(*)::int from ${files} where ${files.ownerId} = ${userId})`,
      applications: sql<number>`(select count(*)::int from ${applications} where ${applications.seekerId} = ${userId})`,
      publishedJobs: sql<number>`(select count(*)::int from ${jobs} where ${jobs.employerId} = ${userId} and ${jobs.status} = 'published')`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return counts ?? { files: 0, applications: 0, publishedJobs: 0 };
}
