// Owns interviews: the employer invites (time, place or phone, contact, note), the seeker accepts, declines or asks
// for another time, the employer marks a past one held or missed, and the 2-hour reminder. Each step tells the
// other side in the site inbox; the invitation and the reminder also go out by SMS or e-mail (the message channel).
import { and, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { applications, employerProfiles, interviews, jobs, seekerProfiles, users } from '../../db/schema';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { dateTime } from '../../web/format';
import { isOpenStatus } from '../applications/applications.rules';
import { notifyUser } from '../notifications/notifications.service';
import { contactOf } from '../seekers/seekers.service';

export const INTERVIEW_STATUSES = {
  invited: '待回复',
  accepted: '已接受',
  declined: '已拒绝',
  reschedule: '希望改期',
  held: '已面试',
  missed: '未到场',
} as const;
export type InterviewStatus = keyof typeof INTERVIEW_STATUSES;

/** The seeker's answers to an invitation. */
export const INTERVIEW_ANSWERS = ['accepted', 'declined', 'reschedule'] as const satisfies readonly InterviewStatus[];
/** What the employer records once the time has passed. */
export const INTERVIEW_OUTCOMES = ['held', 'missed'] as const satisfies readonly InterviewStatus[];

export const INTERVIEW_MODES = { onsite: '现场面试', phone: '电话面试' } as const;
export type InterviewMode = keyof typeof INTERVIEW_MODES;

/** Shown to the employer for an interview whose time has passed and that nobody marked held or missed. */
export const PAST_DUE_LABEL = '待确认';

const REMINDER_AHEAD_MS = 2 * 3600_000;

const messages = {
  notOpen: '该投递已结束,不能再邀请面试',
  inPast: '面试时间必须晚于现在',
  alreadyAnswered: '这次面试邀请已经回复过了',
  notPast: '只有已过面试时间的邀请才能标记结果',
  place: (i: InterviewInput) => (i.mode === 'phone' ? '电话面试' : i.place),
  invitedTitle: (company: string, job: string) => `「${company}」邀请你面试:${job}`,
  invitedBody: (when: string, where: string, contact: string) => `时间:${when};地点:${where};联系人:${contact}。请在“我的面试”中回复。`,
  subject: (company: string) => `${company}面试邀请`,
  answeredTitle: (name: string, label: string, job: string) => `${name}${label}面试邀请:${job}`,
  reminderTitle: (job: string) => `面试提醒:${job}`,
  reminderBody: (when: string, where: string) => `你的面试将于 ${when} 开始,地点:${where}。`,
};

export type InterviewInput = {
  startsAt: Date;
  mode: InterviewMode;
  place: string;
  contactName: string;
  contactPhone: string;
  note: string;
};

type InvitationTarget = {
  id: number;
  status: (typeof applications.$inferSelect)['status'];
  seekerId: number | null;
  jobId: number;
  jobTitle: string;
  employerId: number | null;
  companyName: string;
  seekerPhone: string | null;
  seekerEmail: string | null;
};

async function lockTarget(tx: Db, applicationId: number): Promise<InvitationTarget | undefined> {
  const [row] = await tx
    .select({
      id: applications.id,
      status: applications.status,
      seekerId: applications.seekerId,
      jobId: jobs.id,
      jobTitle: jobs.title,
      employerId: jobs.employerId,
      companyName: sql<string>`coalesce(${employerProfiles.companyName}, '')`,
      seekerPhone: users.phone,
      seekerEmail: users.email,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .leftJoin(users, eq(users.id, applications.seekerId))
    .where(eq(applications.id, applicationId))
    .for('update', { of: applications });
  return row;
}

/** Where the interview is, in words: the address, or 电话面试. */
export function placeOf(i: Pick<InterviewInput, 'mode' | 'place'>): string {
  return messages.place(i as InterviewInput);
}

/** The seeker's phone (SMS) or else e-mail: the channel the invitation and the reminder go through. */
function channelOf(target: { seekerPhone: string | null; seekerEmail: string | null }) {
  if (target.seekerPhone) return { channel: 'sms' as const, to: target.seekerPhone };
  if (target.seekerEmail) return { channel: 'email' as const, to: target.seekerEmail };
  return null;
}

/**
 * The employer invites the applicant of one of their jobs. Refused: another employer's application (404), an
 * application that is no longer open or whose seeker left (409), a time in the past (422 on the date field).
 * The row, the seeker's inbox message and the SMS or e-mail commit together.
 */
export async function inviteToInterview(ctx: AppContext, employerId: number, applicationId: number, input: InterviewInput): Promise<number> {
  if (input.startsAt.getTime() <= ctx.now().getTime()) throw new ValidationError({ date: messages.inPast }, messages.inPast);
  return ctx.db.transaction(async (tx) => {
    const target = await lockTarget(tx, applicationId);
    if (!target || target.employerId !== employerId) throw new NotFoundError();
    if (target.seekerId === null || !isOpenStatus(target.status)) throw new ConflictError(messages.notOpen);
    const [row] = await tx
      .insert(interviews)
      .values({ applicationId, ...input, place: input.mode === 'phone' ? '' : input.place, createdBy: employerId })
      .returning({ id: interviews.id });
    const when = dateTime(input.startsAt);
    const where = placeOf(input);
    const body = messages.invitedBody(when, where, `${input.contactName} ${input.contactPhone}`);
    await notifyUser(tx, target.seekerId, { kind: 'interview.invited', title: messages.invitedTitle(target.companyName, target.jobTitle), body, link: '/me/interviews' });
    const channel = channelOf(target);
    if (channel) {
      await ctx.messaging.send(tx, {
        ...channel,
        kind: 'interview_invitation',
        subject: channel.channel === 'email' ? messages.subject(target.companyName) : undefined,
        body: `${messages.invitedTitle(target.companyName, target.jobTitle)}。${body}`,
        params: { company: target.companyName, job: target.jobTitle, time: when, place: where },
        userId: target.seekerId,
        validUntil: input.startsAt,
      });
    }
    return row!.id;
  });
}

/** One interview with its application, job, company and both parties, locked for a change. */
async function lockInterview(tx: Db, interviewId: number) {
  const [row] = await tx
    .select({
      id: interviews.id,
      status: interviews.status,
      startsAt: interviews.startsAt,
      applicationId: interviews.applicationId,
      seekerId: applications.seekerId,
      employerId: jobs.employerId,
      jobTitle: jobs.title,
    })
    .from(interviews)
    .innerJoin(applications, eq(applications.id, interviews.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(interviews.id, interviewId))
    .for('update', { of: interviews });
  return row;
}

/** The seeker answers an invitation once (a new time is a new invitation); the employer is told in the site inbox. */
export async function answerInterview(
  db: Db,
  seekerId: number,
  interviewId: number,
  answer: (typeof INTERVIEW_ANSWERS)[number],
  reply: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockInterview(tx, interviewId);
    if (!row || row.seekerId !== seekerId) throw new NotFoundError();
    if (row.status !== 'invited') throw new ConflictError(messages.alreadyAnswered);
    await tx.update(interviews).set({ status: answer, reply, answeredAt: sql`now()` }).where(eq(interviews.id, row.id));
    if (row.employerId === null) return;
    const [who] = await tx
      .select({ realName: seekerProfiles.realName, displayName: users.displayName, phone: seekerProfiles.phone, login: users.login })
      .from(users)
      .leftJoin(seekerProfiles, eq(seekerProfiles.userId, users.id))
      .where(eq(users.id, seekerId));
    await notifyUser(tx, row.employerId, {
      kind: 'interview.answered',
      title: messages.answeredTitle(who ? contactOf(who).name : '', INTERVIEW_STATUSES[answer], row.jobTitle),
      body: reply,
      link: `/employer/applications/${row.applicationId}#interviews`,
    });
  });
}

/** The employer records, after the time, whether the interview took place. */
export async function recordInterviewOutcome(ctx: AppContext, employerId: number, interviewId: number, outcome: (typeof INTERVIEW_OUTCOMES)[number]): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockInterview(tx, interviewId);
    if (!row || row.employerId !== employerId) throw new NotFoundError();
    if (row.startsAt.getTime() > ctx.now().getTime()) throw new ConflictError(messages.notPast);
    await tx.update(interviews).set({ status: outcome }).where(eq(interviews.id, row.id));
    return row.applicationId;
  });
}

export type InterviewRow = typeof interviews.$inferSelect;

/** An interview as either side's page shows it: its status label, and 待确认 once it is past and not settled. */
export function presentInterview<R extends InterviewRow>(row: R, now: Date) {
  const status = row.status as InterviewStatus;
  const past = row.startsAt.getTime() <= now.getTime();
  const pastDue = past && (status === 'invited' || status === 'accepted');
  return {
    ...row,
    modeLabel: INTERVIEW_MODES[row.mode as InterviewMode] ?? row.mode,
    where: placeOf({ mode: row.mode as InterviewMode, place: row.place }),
    statusLabel: INTERVIEW_STATUSES[status] ?? row.status,
    past,
    pastDue,
  };
}

/** The interviews of one application, newest first. */
export async function listInterviewsOf(db: Db, applicationId: number): Promise<InterviewRow[]> {
  return db.select().from(interviews).where(eq(interviews.applicationId, applicationId)).orderBy(desc(interviews.startsAt), desc(interviews.id));
}

/** The newest interview of each of some applications (for the inbox rows). */
export async function latestInterviewsOf(db: Db, applicationIds: number[]): Promise<Map<number, InterviewRow>> {
  const out = new Map<number, InterviewRow>();
  if (applicationIds.length === 0) return out;
  const rows = await db
    .select()
    .from(interviews)
    .where(inArray(interviews.applicationId, applicationIds))
    .orderBy(desc(interviews.createdAt), desc(interviews.id));
  for (const row of rows) if (!out.has(row.applicationId)) out.set(row.applicationId, row);
  return out;
}

/** A seeker's interviews, newest first, with the job and company. */
export async function listSeekerInterviews(db: Db, seekerId: number) {
  return db
    .select({
      interview: interviews,
      jobId: jobs.id,
      jobTitle: jobs.title,
      companyName: sql<string>`coalesce(${employerProfiles.companyName}, '')`,
    })
    .from(interviews)
    .innerJoin(applications, eq(applications.id, interviews.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(eq(applications.seekerId, seekerId))
    .orderBy(desc(interviews.startsAt), desc(interviews.id));
}

/** One interview of the seeker's, or a 404. */
export async function findSeekerInterview(db: Db, seekerId: number, interviewId: number) {
  const rows = await db
    .select({ interview: interviews, jobTitle: jobs.title, companyName: sql<string>`coalesce(${employerProfiles.companyName}, '')` })
    .from(interviews)
    .innerJoin(applications, eq(applications.id, interviews.applicationId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
    .where(and(eq(interviews.id, interviewId), eq(applications.seekerId, seekerId)));
  if (!rows[0]) throw new NotFoundError();
  return rows[0];
}

/**
 * Sends the reminder of every interview that starts within 2 hours and that the seeker has not declined or
 * moved. Each is claimed (remindedAt) in the transaction that queues it, so two processes never send it twice.
 */
export async function sendInterviewReminders(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const due = await ctx.db
    .select({ id: interviews.id })
    .from(interviews)
    .where(
      and(
        isNull(interviews.remindedAt),
        inArray(interviews.status, ['invited', 'accepted']),
        gt(interviews.startsAt, now),
        lte(interviews.startsAt, new Date(now.getTime() + REMINDER_AHEAD_MS)),
      ),
    );
  let sent = 0;
  for (const { id } of due) {
    await ctx.db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(interviews)
        .set({ remindedAt: now })
        .where(and(eq(interviews.id, id), isNull(interviews.remindedAt)))
        .returning();
      if (!claimed) return;
      const [target] = await tx
        .select({ seekerId: applications.seekerId, jobTitle: jobs.title, seekerPhone: users.phone, seekerEmail: users.email })
        .from(applications)
        .innerJoin(jobs, eq(jobs.id, applications.jobId))
        .leftJoin(users, eq(users.id, applications.seekerId))
        .where(eq(applications.id, claimed.applicationId));
      if (!target || target.seekerId === null) return;
      const when = dateTime(claimed.startsAt);
      const where = placeOf({ mode: claimed.mode as InterviewMode, place: claimed.place });
      const body = messages.reminderBody(when, where);
      await notifyUser(tx, target.seekerId, { kind: 'interview.reminder', title: messages.reminderTitle(target.jobTitle), body, link: '/me/interviews' });
      const channel = channelOf(target);
      if (channel) {
        await ctx.messaging.send(tx, {
          ...channel,
          kind: 'interview_reminder',
          subject: channel.channel === 'email' ? messages.reminderTitle(target.jobTitle) : undefined,
          body: `${messages.reminderTitle(target.jobTitle)}。${body}`,
          params: { job: target.jobTitle, time: when, place: where },
          userId: target.seekerId,
          validUntil: claimed.startsAt,
        });
      }
      sent += 1;
    });
  }
  return sent;
}
