// Owns the daily digests: one message per subscription listing the new matching jobs still open since the last
// digest (the daily subscriptions, and the instant ones whose SMS went past the day's cap). None when none.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { queryRows, type Db } from '../../db/client';
import { jobAlertSends, jobAlerts } from '../../db/schema';
import { chinaClock, chinaDate } from '../../domain/dates';
import { notifyUser } from '../notifications/notifications.service';
import { smsUnsubscribeUrl, unsubscribeUrl } from './alerts.service';

const messages = {
  title: (name: string, n: number) => `职位订阅「${name}」今日汇总:${n} 个新职位`,
  sms: (name: string, n: number, link: string, unsubscribe: string) => `【职位提醒】「${name}」有 ${n} 个新职位,查看 ${link} 退订 ${unsubscribe}`,
  emailBody: (name: string, lines: string[], unsubscribe: string) => `你订阅的「${name}」有新职位:\n\n${lines.join('\n')}\n\n一键退订:${unsubscribe}\n`,
};

const MAX_LISTED = 20;

type DueAlert = { id: number; userId: number; name: string; channel: string; phone: string | null; phoneVerified: boolean; email: string | null };
type Waiting = { sendId: number; jobId: number; title: string; listed: boolean };

/**
 * Sends the digests due at this hour. Each subscription is its own transaction, claimed with SKIP LOCKED and
 * stamped `last_digest_at`: a second process skips it, and a run stopped half-way finishes the rest next time.
 */
export async function sendDigests(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const hour = Number(chinaClock(now).h);
  const todayStart = `${chinaDate(now)}T00:00:00+08:00`;
  let sent = 0;
  for (;;) {
    const done = await ctx.db.transaction(async (tx) => {
      const [alert] = await queryRows<DueAlert>(tx, sql`
        select a.id, a.user_id as "userId", a.name, a.channel, u.phone, (u.phone_verified_at is not null) as "phoneVerified", u.email
        from ${jobAlerts} a join users u on u.id = a.user_id
        where not a.paused and a.digest_hour <= ${hour}
          and (a.last_digest_at is null or a.last_digest_at < (${todayStart}::timestamptz + make_interval(hours => a.digest_hour)))
          and exists (select 1 from ${jobAlertSends} s where s.alert_id = a.id and s.status = 'digest')
        order by a.id limit 1
        for update of a skip locked`);
      if (!alert) return false;
      sent += await sendOne(ctx, tx, alert, now);
      return true;
    });
    if (!done) return sent;
  }
}

async function sendOne(ctx: AppContext, tx: Db, alert: DueAlert, now: Date): Promise<number> {
  const waiting = await queryRows<Waiting>(tx, sql`
    select s.id as "sendId", s.job_id as "jobId", j.title,
           (j.status = 'published' and j.valid_until >= ${chinaDate(now)} and e.status = 'active') as listed
    from ${jobAlertSends} s join jobs j on j.id = s.job_id join users e on e.id = j.employer_id
    where s.alert_id = ${alert.id} and s.status = 'digest' order by s.id`);
  const open = waiting.filter((w) => w.listed);
  const closed = waiting.filter((w) => !w.listed).map((w) => w.sendId);
  if (closed.length) await tx.update(jobAlertSends).set({ status: 'dropped' }).where(inArray(jobAlertSends.id, closed));
  await tx.update(jobAlerts).set({ lastDigestAt: now }).where(eq(jobAlerts.id, alert.id));
  if (!open.length) return 0;
  const link = `${ctx.config.publicUrl}/me/notifications`;
  const lines = open.slice(0, MAX_LISTED).map((w) => `${w.title} ${ctx.config.publicUrl}/jobs/${w.jobId}`);
  let channel = 'inbox';
  if (alert.channel === 'sms' && alert.phone && alert.phoneVerified) {
    channel = 'sms';
    await ctx.messaging.send(tx, { channel: 'sms', to: alert.phone, kind: 'job_alert_digest', body: messages.sms(alert.name, open.length, link, smsUnsubscribeUrl(ctx, alert.id)), params: { name: alert.name.slice(0, 20), count: String(open.length) }, userId: alert.userId });
  } else if (alert.channel === 'email' && alert.email) {
    channel = 'email';
    await ctx.messaging.send(tx, { channel: 'email', to: alert.email, kind: 'job_alert_digest', subject: messages.title(alert.name, open.length), body: messages.emailBody(alert.name, lines, unsubscribeUrl(ctx, alert.id)), userId: alert.userId });
  }
  await notifyUser(tx, alert.userId, { kind: 'job.alert.digest', title: messages.title(alert.name, open.length), body: open.slice(0, MAX_LISTED).map((w) => w.title).join('、'), link: `/me/alerts` });
  await tx
    .update(jobAlertSends)
    .set({ status: 'sent', channel, sentAt: now })
    .where(and(eq(jobAlertSends.alertId, alert.id), inArray(jobAlertSends.id, open.map((w) => w.sendId))));
  return 1;
}
