// Owns sharing a client job's shortlist with the client company's contact (issue 22). The client company has no
// account here and never sees the staff inbox: staff choose shortlisted applicants and the site texts the contact
// their name, age and phone, nothing else. Every share is logged (shortlist_shares), audited, and shown to each
// shared seeker in 谁看过我的简历, in the transaction that queues the message.
import { desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { clientCompanies, resumeViews, shortlistShares } from '../../db/schema';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { InvalidRecipientError } from '../../messaging/messaging';
import { ageOf } from '../applications/applications.present';
import { contactOf } from '../seekers/seekers.service';
import { recordAudit } from '../audit/audit.service';
import type { StaffActor } from './leads.convert';
import { findStaffApplicantsOfJob, type StaffInboxRow } from './clientApplicants.queries';

/** At most this many applicants per share: the list must fit a text message a site manager reads on a phone. */
export const SHARE_MAX = 10;

const messages = {
  none: '请勾选要分享的求职者',
  tooMany: `一次最多分享 ${SHARE_MAX} 位求职者`,
  notShortlisted: '只能分享“初筛通过”的求职者,请刷新页面后重新勾选',
  noMobile: (phone: string) => `用工单位联系电话 ${phone} 不是手机号,无法发送短信,请先电话告知`,
  line: (a: { name: string; age: number | null; phone: string }) => `${a.name}${a.age ? ` ${a.age}岁` : ''} ${a.phone}`,
  body: (o: { agency: string; job: string; list: string; hotline: string }) =>
    `【${o.agency}】您好,「${o.job}」初筛通过的求职者:${o.list}。请直接联系,如有疑问请拨打 ${o.hotline}。`,
};

/** Shares the chosen shortlisted applicants of a client job with its client company's contact (SMS). */
export async function shareShortlist(ctx: AppContext, actor: StaffActor, jobId: number, applicationIds: number[]): Promise<{ count: number; recipient: string }> {
  const ids = [...new Set(applicationIds)];
  if (ids.length === 0) throw new ValidationError({ ids: messages.none }, messages.none);
  if (ids.length > SHARE_MAX) throw new ValidationError({ ids: messages.tooMany }, messages.tooMany);
  const site = await ctx.settings.get();
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const rows: StaffInboxRow[] = await findStaffApplicantsOfJob(tx, jobId, ids);
    if (rows.length === 0) throw new NotFoundError();
    if (rows.length !== ids.length || rows.some((r) => r.status !== 'shortlisted' || r.seekerId === null)) {
      throw new ValidationError({ ids: messages.notShortlisted }, messages.notShortlisted);
    }
    const [company] = await tx.select().from(clientCompanies).where(eq(clientCompanies.id, rows[0]!.clientCompanyId));
    const shared = rows.map((r) => ({ ...contactOf(r), age: ageOf(r.birthYear, now) }));
    const list = shared.map(messages.line).join(';');
    const agency = rows[0]!.agencyName || site.companyName;
    try {
      await ctx.messaging.send(tx, {
        channel: 'sms',
        to: company!.contactPhone,
        kind: 'shortlist_share',
        body: messages.body({ agency, job: rows[0]!.jobTitle, list, hotline: site.hotline }),
        params: { job: rows[0]!.jobTitle.slice(0, 20), list },
      });
    } catch (err) {
      if (err instanceof InvalidRecipientError) throw new ConflictError(messages.noMobile(company!.contactPhone));
      throw err;
    }
    const [share] = await tx
      .insert(shortlistShares)
      .values({ jobId, clientCompanyId: company!.id, clientCompanyName: company!.name, sharedBy: actor.id, sharedByName: actor.name, channel: 'sms', recipient: company!.contactPhone, applicationIds: rows.map((r) => r.id) })
      .returning({ id: shortlistShares.id });
    // The seeker sees who received their details: the client company, through the dispatch company.
    await tx.insert(resumeViews).values(rows.map((r) => ({ seekerId: r.seekerId!, resumeId: r.resumeId, viewerId: actor.id, viewerName: company!.name, action: 'share', applicationId: r.id })));
    await recordAudit(tx, actor, { action: 'application.share', targetType: 'job', targetId: jobId, after: { shareId: share!.id, clientCompanyId: company!.id, recipient: company!.contactPhone, applicationIds: rows.map((r) => r.id) } });
    return { count: rows.length, recipient: company!.contactPhone };
  });
}

/** A client job's shares, newest first, for the staff inbox. */
export function listSharesOfJob(ctx: AppContext, jobId: number) {
  return ctx.db.select().from(shortlistShares).where(eq(shortlistShares.jobId, jobId)).orderBy(desc(shortlistShares.createdAt), desc(shortlistShares.id));
}
