// Owns job alert subscriptions (a seeker's saved searches: create, rename, pause, delete, channel and frequency),
// the signed one-click unsubscribe token, and the delivery of due instant alerts through the message queue.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, gte, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { queryRows, type Db } from '../../db/client';
import { jobAlertSends, jobAlerts, jobs, users, type AlertSearch } from '../../db/schema';
import { chinaDate, startOfChinaDay } from '../../domain/dates';
import { BENEFITS, JOB_TYPES, SETTLEMENTS, type JobType, type Settlement } from '../../domain/vocabulary';
import { NotFoundError, ValidationError } from '../../errors';
import type { JobListQuery } from '../jobs/jobs.validation';
import { notifyUser } from '../notifications/notifications.service';
import { ensureDictionary } from '../../search/dictionary';
import { compileWords, isQuietHour } from './alerts.matching';
import type { AlertSettings } from './alerts.validation';

export const MAX_ALERTS_PER_ACCOUNT = 10;
/** Instant SMS alerts per account per China day; the rest wait for the next digest. */
export const SMS_PER_DAY = 3;

export const messages = {
  tooMany: `最多只能订阅 ${MAX_ALERTS_PER_ACCOUNT} 个搜索,请先删除不需要的订阅`,
  smsUnverified: '短信提醒需要先验证手机号,请在账号安全中验证',
  noEmail: '邮件提醒需要先绑定邮箱,请在账号安全中绑定',
  allJobs: '全部职位',
  created: (name: string) => `已订阅「${name}」,有新职位时会提醒你`,
  already: (name: string) => `你已经订阅过「${name}」,不会重复提醒`,
  alertTitle: (name: string, title: string) => `职位提醒「${name}」:${title}`,
  alertBody: (title: string) => `有新职位符合你的订阅:${title}。`,
  smsBody: (title: string, link: string, unsubscribe: string) => `【职位提醒】新职位:${title},查看 ${link} 退订 ${unsubscribe}`,
  emailSubject: (title: string) => `职位提醒:${title}`,
  emailBody: (name: string, title: string, link: string, unsubscribe: string) =>
    `你订阅的「${name}」有新职位:\n\n${title}\n${link}\n\n不想再收到此订阅的提醒?一键退订:${unsubscribe}\n`,
};

export type AlertRow = typeof jobAlerts.$inferSelect;

/** A short name for a saved search: the words and the filters, e.g. 普工 · 宝安区 · 日结. */
export function describeSearch(s: AlertSearch): string {
  const parts = [
    s.q,
    s.type ? JOB_TYPES[s.type as JobType] : '',
    s.district ?? '',
    s.settlement ? SETTLEMENTS[s.settlement as Settlement] : '',
    s.category ?? '',
    s.payMin ? `${s.payMin}元/天以上` : '',
    ...s.benefits,
  ].filter(Boolean);
  return (parts.join(' · ') || messages.allJobs).slice(0, 40);
}

/** The saved form of a search; benefits in the vocabulary's order, so the same search saved twice is the same value. */
export function searchOf(q: JobListQuery): AlertSearch {
  const order = (b: string) => (BENEFITS as readonly string[]).indexOf(b);
  const benefits = [...new Set(q.benefits)].sort((a, b) => order(a) - order(b));
  return { q: q.q, type: q.type, district: q.district, settlement: q.settlement, category: q.category, payMin: q.payMin, benefits };
}

export async function listAlerts(db: Db, userId: number): Promise<AlertRow[]> {
  return db.select().from(jobAlerts).where(eq(jobAlerts.userId, userId)).orderBy(asc(jobAlerts.id));
}

/** The seeker's subscription to exactly this search (the saved jsonb compared), if any. */
export async function findSubscription(db: Db, userId: number, search: AlertSearch): Promise<AlertRow | undefined> {
  const [same] = await db.select().from(jobAlerts).where(and(eq(jobAlerts.userId, userId), sql`${jobAlerts.search} = ${JSON.stringify(search)}::jsonb`)).limit(1);
  return same;
}

/**
 * Saves the search; refuses the 11th. The same search saved again is not a second subscription (it would send
 * every job twice): the existing one is returned with `created: false`. Both checks run under a lock of the
 * account, so two tabs cannot pass together.
 */
export async function createAlert(db: Db, userId: number, search: AlertSearch, now: Date): Promise<{ alert: AlertRow; created: boolean }> {
  // The database's dictionary as it is now (read outside the transaction: it reads generations on `db`).
  const dictionary = await ensureDictionary(db);
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    const same = await findSubscription(tx, userId, search);
    if (same) return { alert: same, created: false };
    const [row] = await tx.select({ n: count() }).from(jobAlerts).where(eq(jobAlerts.userId, userId));
    if ((row?.n ?? 0) >= MAX_ALERTS_PER_ACCOUNT) throw new ValidationError({ alert: messages.tooMany });
    const [created] = await tx
      .insert(jobAlerts)
      .values({
        userId,
        name: describeSearch(search),
        search,
        words: compileWords(search.q, dictionary),
        wordsVersion: dictionary.version,
        type: search.type ?? null,
        district: search.district ?? null,
        settlement: search.settlement ?? null,
        category: search.category ?? null,
        payMin: search.payMin ?? null,
        benefits: search.benefits,
        createdAt: now,
      })
      .returning();
    return { alert: created!, created: true };
  });
}

async function ownAlert(db: Db, userId: number, id: number): Promise<AlertRow> {
  const [row] = await db.select().from(jobAlerts).where(and(eq(jobAlerts.id, id), eq(jobAlerts.userId, userId)));
  if (!row) throw new NotFoundError();
  return row;
}

/** Name, frequency, hour, channel and pause; SMS only to a verified phone, e-mail only to a bound address. */
export async function updateAlert(db: Db, userId: number, id: number, settings: AlertSettings): Promise<AlertRow> {
  await ownAlert(db, userId, id);
  const [user] = await db.select({ phoneVerifiedAt: users.phoneVerifiedAt, phone: users.phone, email: users.email }).from(users).where(eq(users.id, userId));
  if (settings.channel === 'sms' && !(user?.phone && user.phoneVerifiedAt)) throw new ValidationError({ channel: messages.smsUnverified });
  if (settings.channel === 'email' && !user?.email) throw new ValidationError({ channel: messages.noEmail });
  const [updated] = await db.update(jobAlerts).set(settings).where(and(eq(jobAlerts.id, id), eq(jobAlerts.userId, userId))).returning();
  return updated!;
}

export async function deleteAlert(db: Db, userId: number, id: number): Promise<void> {
  await ownAlert(db, userId, id);
  await db.delete(jobAlerts).where(and(eq(jobAlerts.id, id), eq(jobAlerts.userId, userId)));
}

// ---- Unsubscribe ----

/**
 * Two signed forms per subscription: the e-mail's link carries 27 characters of HMAC; the SMS's short link
 * (`/u/<id>.<sig>`, issue 20: an SMS is paid per 70 characters) carries 10 (60 bits, under its own key
 * domain, so one form's signature never verifies as the other's). Guessing 60 bits over HTTP is out of reach.
 */
const TOKEN_FORMS = {
  link: { domain: 'job-alert-unsubscribe', chars: 27 },
  sms: { domain: 'job-alert-unsubscribe-sms', chars: 10 },
} as const;
export type UnsubscribeTokenForm = keyof typeof TOKEN_FORMS;

function signature(secret: string, id: number, form: UnsubscribeTokenForm): string {
  const { domain, chars } = TOKEN_FORMS[form];
  return createHmac('sha256', secret).update(`${domain}:${id}`).digest('base64url').slice(0, chars);
}

export function unsubscribeToken(secret: string, id: number, form: UnsubscribeTokenForm = 'link'): string {
  return `${id}.${signature(secret, id, form)}`;
}

/** The subscription id a token was signed for, or null for a malformed or tampered one. */
export function verifyUnsubscribeToken(secret: string, token: unknown, form: UnsubscribeTokenForm = 'link'): number | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const m = /^([1-9]\d{0,9})\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m || m[2]!.length !== TOKEN_FORMS[form].chars) return null;
  const id = Number(m[1]);
  const expected = Buffer.from(signature(secret, id, form));
  const given = Buffer.from(m[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** Deletes the subscription; a second click finds nothing and says so (idempotent). Returns the deleted name. */
export async function unsubscribe(db: Db, id: number): Promise<string | null> {
  const [deleted] = await db.delete(jobAlerts).where(eq(jobAlerts.id, id)).returning({ name: jobAlerts.name });
  return deleted?.name ?? null;
}

export const unsubscribeUrl = (ctx: AppContext, id: number) => `${ctx.config.publicUrl}/alerts/unsubscribe?token=${unsubscribeToken(ctx.config.sessionSecret, id)}`;
/** The SMS's short form of the same one-click unsubscribe. */
export const smsUnsubscribeUrl = (ctx: AppContext, id: number) => `${ctx.config.publicUrl}/u/${unsubscribeToken(ctx.config.sessionSecret, id, 'sms')}`;

// ---- Delivery ----

const BATCH = 100;

type Due = { sendId: number; alertId: number; userId: number; jobId: number; name: string; channel: string; title: string; listed: boolean; phone: string | null; phoneVerified: boolean; email: string | null };

/**
 * Sends the instant alerts that are due: each row claimed with FOR UPDATE SKIP LOCKED (several processes never take
 * the same one), sent through notifyUser and the message queue in the transaction that marks it sent. A job no
 * longer open is dropped, never sent; an SMS past the day's cap waits for the next digest (status digest).
 * Returns how many alerts were sent.
 */
export async function dispatchDueAlerts(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  if (isQuietHour(now)) return 0;
  let sent = 0;
  for (;;) {
    const handled = await ctx.db.transaction(async (tx) => {
      const rows = await queryRows<Due>(tx, sql`
        select s.id as "sendId", s.alert_id as "alertId", s.user_id as "userId", s.job_id as "jobId", a.name, a.channel, j.title,
               (j.status = 'published' and j.valid_until >= ${chinaDate(now)} and e.status = 'active' and not a.paused) as listed,
               u.phone, (u.phone_verified_at is not null) as "phoneVerified", u.email
        from ${jobAlertSends} s
        join ${jobAlerts} a on a.id = s.alert_id
        join ${jobs} j on j.id = s.job_id
        join ${users} e on e.id = j.employer_id
        join ${users} u on u.id = s.user_id
        where s.status = 'pending' and s.due_at <= ${now.toISOString()}::timestamptz
        order by s.id
        limit ${BATCH}
        for update of s skip locked`);
      for (const row of rows) sent += await deliver(ctx, tx, row, now);
      return rows.length;
    });
    if (handled < BATCH) return sent;
  }
}

async function smsSentToday(tx: Db, userId: number, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(jobAlertSends)
    .where(and(eq(jobAlertSends.userId, userId), eq(jobAlertSends.channel, 'sms'), gte(jobAlertSends.sentAt, startOfChinaDay(now))));
  return row?.n ?? 0;
}

async function deliver(ctx: AppContext, tx: Db, row: Due, now: Date): Promise<number> {
  const mark = (status: string, channel: string | null = null) =>
    tx.update(jobAlertSends).set({ status, channel, sentAt: status === 'sent' ? now : null }).where(eq(jobAlertSends.id, row.sendId));
  if (!row.listed) {
    await mark('dropped');
    return 0;
  }
  const link = `${ctx.config.publicUrl}/jobs/${row.jobId}`;
  let channel = 'inbox';
  if (row.channel === 'sms' && row.phone && row.phoneVerified) {
    channel = 'sms';
    if ((await smsSentToday(tx, row.userId, now)) >= SMS_PER_DAY) {
      await mark('digest');
      return 0;
    }
    await ctx.messaging.send(tx, { channel: 'sms', to: row.phone, kind: 'job_alert', body: messages.smsBody(row.title, link, smsUnsubscribeUrl(ctx, row.alertId)), params: { title: row.title.slice(0, 20), id: String(row.jobId) }, userId: row.userId });
  } else if (row.channel === 'email' && row.email) {
    channel = 'email';
    await ctx.messaging.send(tx, { channel: 'email', to: row.email, kind: 'job_alert', subject: messages.emailSubject(row.title), body: messages.emailBody(row.name, row.title, link, unsubscribeUrl(ctx, row.alertId)), userId: row.userId });
  }
  // The inbox always gets it: the site is where the seeker applies.
  await notifyUser(tx, row.userId, { kind: 'job.alert', title: messages.alertTitle(row.name, row.title), body: messages.alertBody(row.title), link: `/jobs/${row.jobId}` });
  await mark('sent', channel);
  return 1;
}

/** After an approval: send the instant alerts now, off the admin's error path (the maintenance task retries). */
export async function sendDueAlertsNow(ctx: AppContext): Promise<void> {
  await dispatchDueAlerts(ctx).catch((err: unknown) => ctx.logger.warn({ err }, 'job alerts: dispatch failed, the maintenance task retries'));
}
