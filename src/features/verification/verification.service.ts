// Owns one-time codes: sending a 6-digit code for a purpose through the message channel, within the limits that
// keep SMS pumping from costing money, and checking it (5 minutes, 5 tries, used once). See docs/accounts.md.
import crypto from 'node:crypto';
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { messages as sentMessages, users, verificationCodes } from '../../db/schema';
import { startOfChinaDay } from '../../domain/dates';
import { maskLogin, normalizeText } from '../../domain/text';
import { AppError, ValidationError } from '../../errors';
import { normalizeRecipient, InvalidRecipientError, type Channel } from '../../messaging/messaging';

/**
 * What a code may be used for, with the words the message uses. A code only works for the purpose it was sent
 * for. Add a line here for a new flow (quick apply, a lead's phone check ...).
 */
export const CODE_PURPOSES = {
  signup: '注册',
  login: '登录',
  reset: '重置密码',
  change_phone: '绑定手机号',
  change_email: '绑定邮箱',
  quick_apply: '快速报名',
  hire: '提交用工需求',
} as const satisfies Record<string, string>;

export type CodePurpose = keyof typeof CODE_PURPOSES;

export const CODE_TTL_MS = 5 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
/** Code rows are the counters of the daily limits; after that they are deleted. */
const CODE_KEPT_MS = 2 * 86_400_000;
/** One lock for every code request: counting and inserting cannot interleave, so no limit is overrun by a race. */
const ISSUE_LOCK = 72707370;

const messages = {
  recipientSms: '请输入正确的手机号(1 开头的 11 位数字)',
  recipientEmail: '请输入正确的邮箱地址',
  wait: (s: number) => `验证码已发送,请 ${s} 秒后再重新获取`,
  recipientDay: '该号码今天获取验证码的次数已达上限,请明天再试',
  ipDay: '今天获取验证码的次数过多,请明天再试',
  budget: (hotline: string) => `验证码发送量已达今日上限,请稍后再试或联系客服 ${hotline}`,
  codeFormat: '请输入 6 位数字验证码',
  codeNone: '验证码错误或已失效,请重新获取',
  codeExpired: '验证码已过期,请重新获取',
  codeLocked: '验证码错误次数过多,请重新获取',
  codeWrong: (left: number) => (left > 0 ? `验证码错误,还可再试 ${left} 次` : '验证码错误次数过多,请重新获取'),
  codeUsed: '验证码已使用,请重新获取',
  smsBody: (code: string, purpose: string) => `验证码 ${code},用于${purpose},5 分钟内有效。请勿告诉他人。`,
  emailSubject: (site: string) => `${site}验证码`,
  emailBody: (code: string, purpose: string, site: string) =>
    `你好:\n\n你的验证码是 ${code},用于${purpose},5 分钟内有效。\n\n如非本人操作,请忽略本邮件,不要把验证码告诉任何人。\n\n${site}`,
  budgetAlertSubject: '验证码已达今日发送上限',
  budgetAlertBody: (budget: number) => `今日验证码已发送 ${budget} 条,达到 CODE_DAILY_BUDGET 上限,新的验证码已暂停发送,明天 0 点恢复。如属正常增长,请调高上限;如是恶意刷短信,请检查日志。`,
};

/** A refused code request; `field` is the form field the refusal is shown beside. */
export class CodeRequestRefused extends AppError {
  constructor(
    message: string,
    readonly reason: 'interval' | 'recipient_day' | 'ip_day' | 'budget',
    readonly retryAfterSeconds?: number,
  ) {
    super(message, 429);
  }
}

export function channelOf(to: string): Channel {
  return to.includes('@') ? 'email' : 'sms';
}

/** The recipient as stored, or a ValidationError on `field`. */
export function recipientOrInvalid(to: string, field: string, channel = channelOf(to)): string {
  try {
    return normalizeRecipient(channel, to);
  } catch (err) {
    if (err instanceof InvalidRecipientError) throw new ValidationError({ [field]: channel === 'sms' ? messages.recipientSms : messages.recipientEmail });
    throw err;
  }
}

function hashKey(ctx: AppContext): Buffer {
  return crypto.createHmac('sha256', ctx.config.sessionSecret).update('verification-codes').digest();
}

/** An HMAC, not a plain hash: a million codes are quick to try against a stolen table, not without the key. */
function hashCode(ctx: AppContext, purpose: string, recipient: string, code: string): string {
  return crypto.createHmac('sha256', hashKey(ctx)).update(`${purpose}|${recipient}|${code}`).digest('hex');
}

export type CodeRequest = {
  purpose: CodePurpose;
  /** A phone number or e-mail address as typed; the channel follows from it unless given. */
  to: string;
  channel?: Channel;
  /** The requester's IP, for the per-IP limit. */
  ip: string;
  /** The form field the recipient was typed in (where a refusal is shown). */
  field?: string;
};

export type SentCode = { channel: Channel; recipient: string; maskedRecipient: string; expiresAt: Date; /** Seconds before another code may go to it. */ waitSeconds: number };

/**
 * Sends a code. The answer is the same whether or not the number has an account: the flows that use the code
 * say so only once the code proved the number is the requester's. Throws ValidationError for a malformed
 * recipient and CodeRequestRefused (429) past a limit.
 */
export async function requestCode(ctx: AppContext, request: CodeRequest): Promise<SentCode> {
  const channel = request.channel ?? channelOf(request.to);
  const recipient = recipientOrInvalid(request.to, request.field ?? 'to', channel);
  const now = ctx.now();
  const dayStart = startOfChinaDay(now);
  const site = await ctx.settings.get();
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
  const purposeLabel = CODE_PURPOSES[request.purpose];
  const refusal = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ISSUE_LOCK})`);
    const [last] = await tx
      .select({ createdAt: verificationCodes.createdAt })
      .from(verificationCodes)
      .where(eq(verificationCodes.recipient, recipient))
      .orderBy(desc(verificationCodes.createdAt))
      .limit(1);
    const interval = ctx.limits.codeIntervalSeconds * 1000;
    if (last && now.getTime() - last.createdAt.getTime() < interval) {
      const wait = Math.ceil((interval - (now.getTime() - last.createdAt.getTime())) / 1000);
      return new CodeRequestRefused(messages.wait(wait), 'interval', wait);
    }
    const today = gte(verificationCodes.createdAt, dayStart);
    if ((await tx.$count(verificationCodes, and(eq(verificationCodes.recipient, recipient), today))) >= ctx.limits.codePerRecipient) {
      return new CodeRequestRefused(messages.recipientDay, 'recipient_day');
    }
    if ((await tx.$count(verificationCodes, and(eq(verificationCodes.ip, request.ip), today))) >= ctx.limits.codePerIp) {
      return new CodeRequestRefused(messages.ipDay, 'ip_day');
    }
    if ((await tx.$count(verificationCodes, today)) >= ctx.config.codeDailyBudget) {
      await alertAdminsOfBudget(ctx, tx, dayStart);
      return new CodeRequestRefused(messages.budget(site.hotline), 'budget');
    }
    await tx.insert(verificationCodes).values({
      purpose: request.purpose,
      channel,
      recipient,
      codeHash: hashCode(ctx, request.purpose, recipient, code),
      ip: request.ip,
      createdAt: now,
      expiresAt,
    });
    await ctx.messaging.send(tx, {
      channel,
      to: recipient,
      kind: 'code',
      subject: channel === 'email' ? messages.emailSubject(site.siteName) : undefined,
      body: channel === 'sms' ? messages.smsBody(code, purposeLabel) : messages.emailBody(code, purposeLabel, site.siteName),
      params: { code },
      secret: code,
      validUntil: expiresAt,
    });
    return null;
  });
  if (refusal) {
    ctx.logger.warn({ reason: refusal.reason, purpose: request.purpose, recipient: maskLogin(recipient) }, 'code request refused');
    throw refusal;
  }
  return { channel, recipient, maskedRecipient: maskLogin(recipient), expiresAt, waitSeconds: ctx.limits.codeIntervalSeconds };
}

/**
 * The first refusal of the day past the budget tells every active admin with a verified e-mail or phone
 * (an e-mail where there is one); the admin dashboard shows it too.
 */
async function alertAdminsOfBudget(ctx: AppContext, tx: Db, dayStart: Date): Promise<void> {
  const told = await tx.$count(sentMessages, and(eq(sentMessages.kind, 'budget_alert'), gte(sentMessages.createdAt, dayStart)));
  if (told > 0) return;
  ctx.logger.error({ budget: ctx.config.codeDailyBudget }, 'daily code budget reached: no more codes are sent today');
  const admins = await tx
    .select({ id: users.id, phone: users.phone, phoneVerifiedAt: users.phoneVerifiedAt, email: users.email, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active'), or(sql`${users.emailVerifiedAt} is not null`, sql`${users.phoneVerifiedAt} is not null`)));
  for (const admin of admins) {
    const byEmail = Boolean(admin.emailVerifiedAt && admin.email);
    await ctx.messaging.send(tx, {
      channel: byEmail ? 'email' : 'sms',
      to: byEmail ? admin.email! : admin.phone!,
      kind: 'budget_alert',
      subject: messages.budgetAlertSubject,
      body: messages.budgetAlertBody(ctx.config.codeDailyBudget),
      params: { budget: String(ctx.config.codeDailyBudget) },
      userId: admin.id,
    });
  }
}

/** Codes sent since midnight (China time), for the admin dashboard. */
export async function codesSentToday(ctx: AppContext): Promise<number> {
  return ctx.db.$count(verificationCodes, gte(verificationCodes.createdAt, startOfChinaDay(ctx.now())));
}

export type CodeCheck = {
  purpose: CodePurpose;
  to: string;
  code: string;
  channel?: Channel;
  /** Form fields for the errors: the recipient's and the code's. */
  fields?: { to?: string; code?: string };
};

/** A code that matched, not yet used: `consumeCode(tx, it)` inside the transaction of the change it allows. */
export type VerifiedCode = { id: number; purpose: CodePurpose; channel: Channel; recipient: string };

/**
 * Checks a code against the latest one sent to that recipient for that purpose (an earlier one, another
 * purpose's, a used or an expired one never matches). A wrong code counts against the 5 tries in its own
 * transaction, so the count holds even though the caller's form then fails. Throws ValidationError on the
 * code field; returns the code without using it.
 */
export async function verifyCode(ctx: AppContext, check: CodeCheck): Promise<VerifiedCode> {
  const channel = check.channel ?? channelOf(check.to);
  const codeField = check.fields?.code ?? 'code';
  const recipient = recipientOrInvalid(check.to, check.fields?.to ?? 'to', channel);
  const code = normalizeText(check.code ?? '');
  if (!/^\d{6}$/.test(code)) throw new ValidationError({ [codeField]: messages.codeFormat });
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(verificationCodes)
      .where(and(eq(verificationCodes.recipient, recipient), eq(verificationCodes.purpose, check.purpose), eq(verificationCodes.channel, channel)))
      .orderBy(desc(verificationCodes.createdAt), desc(verificationCodes.id))
      .limit(1)
      .for('update');
    if (!row || row.usedAt) return { error: messages.codeNone };
    if (row.expiresAt <= now) return { error: messages.codeExpired };
    if (row.attempts >= CODE_MAX_ATTEMPTS) return { error: messages.codeLocked };
    const expected = Buffer.from(row.codeHash, 'hex');
    const given = Buffer.from(hashCode(ctx, check.purpose, recipient, code), 'hex');
    if (!crypto.timingSafeEqual(expected, given)) {
      await tx.update(verificationCodes).set({ attempts: sql`${verificationCodes.attempts} + 1` }).where(eq(verificationCodes.id, row.id));
      return { error: messages.codeWrong(CODE_MAX_ATTEMPTS - row.attempts - 1) };
    }
    return { verified: { id: row.id, purpose: check.purpose, channel, recipient } satisfies VerifiedCode };
  });
  if ('error' in outcome) throw new ValidationError({ [codeField]: outcome.error! });
  return outcome.verified;
}

/** Uses the code up, inside the caller's transaction: if that change rolls back, the code still works. */
export async function consumeCode(tx: Db, verified: VerifiedCode, field = 'code'): Promise<void> {
  const used = await tx
    .update(verificationCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(verificationCodes.id, verified.id), isNull(verificationCodes.usedAt)))
    .returning({ id: verificationCodes.id });
  if (used.length === 0) throw new ValidationError({ [field]: messages.codeUsed });
}

/** verifyCode, then `work` in one transaction that also uses the code up. */
export async function withVerifiedCode<T>(ctx: AppContext, check: CodeCheck, work: (tx: Db, verified: VerifiedCode) => Promise<T>): Promise<T> {
  const verified = await verifyCode(ctx, check);
  return ctx.db.transaction(async (tx) => {
    await consumeCode(tx, verified, check.fields?.code);
    return work(tx, verified);
  });
}

/** Forgets the codes sent to these phones or addresses (a deleted account). */
export async function deleteCodesTo(tx: Db, recipients: string[]): Promise<void> {
  if (recipients.length) await tx.delete(verificationCodes).where(inArray(verificationCodes.recipient, recipients));
}

/** Housekeeping: code rows older than the daily windows they count in. */
export async function deleteOldCodes(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .delete(verificationCodes)
    .where(lt(verificationCodes.createdAt, new Date(ctx.now().getTime() - CODE_KEPT_MS)))
    .returning({ id: verificationCodes.id });
  return rows.length;
}

