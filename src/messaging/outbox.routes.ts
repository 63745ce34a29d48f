// Owns GET /admin/outbox: every SMS and e-mail the site sent or tried, newest first, with its delivery status.
// With a real driver a code's digits are never shown: staff must not be able to sign in as a user.
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import type { AppContext } from '../context';
import type { Db } from '../db/client';
import { messages as messageRows } from '../db/schema';
import { maskLogin, normalizePhone } from '../domain/text';
import { adminPage } from '../features/admin/admin.view';
import { requireRole } from '../web/guards';
import { pagingLocals, parsePage } from '../web/pagination';
import { hideSecret, type Channel } from './messaging';

const messages = {
  title: '发件箱',
};

export const CHANNEL_LABELS: Record<Channel, string> = { sms: '短信', email: '邮件' };
export const STATUS_LABELS = { queued: '排队中', sent: '已发出', stored: '仅存入发件箱(未发出)', retrying: '发送失败,等待重试', failed: '发送失败' } as const;
/** Kinds of message; features that add one may add its label here (unknown kinds show as they are). */
export const KIND_LABELS: Record<string, string> = { code: '验证码', security_notice: '账号安全提醒', budget_alert: '验证码预算提醒', interview_invitation: '面试邀请', interview_reminder: '面试提醒', lead_new: '新用工需求', job_alert: '职位提醒', job_alert_digest: '职位订阅汇总', shortlist_share: '初筛名单(发给用工单位)' };

const PAGE_SIZE = 30;

type OutboxFilter = { recipient?: string; channel?: Channel; status?: keyof typeof STATUS_LABELS };

function parseFilter(query: Record<string, unknown>): OutboxFilter {
  const to = typeof query.to === 'string' ? query.to.trim().slice(0, 100) : '';
  const channel = query.channel === 'sms' || query.channel === 'email' ? query.channel : undefined;
  const status = typeof query.status === 'string' && query.status in STATUS_LABELS ? (query.status as keyof typeof STATUS_LABELS) : undefined;
  return { recipient: to ? (to.includes('@') ? to.toLowerCase() : normalizePhone(to)) : undefined, channel, status };
}

async function listOutbox(db: Db, filter: OutboxFilter, page: number) {
  const conditions: SQL[] = [];
  if (filter.recipient) conditions.push(eq(messageRows.recipient, filter.recipient));
  if (filter.channel) conditions.push(eq(messageRows.channel, filter.channel));
  if (filter.status) conditions.push(eq(messageRows.status, filter.status));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(messageRows).where(where).orderBy(desc(messageRows.id)).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(messageRows).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export function createOutboxRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/admin/outbox', requireRole('admin'), async (req, res) => {
    const filter = parseFilter(req.query);
    const page = parsePage(req.query.page);
    const { rows, total } = await listOutbox(ctx.db, filter, page);
    const storesOnly = ctx.messaging.storesOnly;
    // What the outbox driver keeps is the only copy (demo, development): shown whole. What a real driver sends
    // reaches a person: its code is hidden and its recipient masked.
    const shownWhole = (channel: Channel) => storesOnly.includes(channel);
    const baseQuery = { to: typeof req.query.to === 'string' && req.query.to ? req.query.to : undefined, channel: filter.channel, status: filter.status };
    res.render('admin/outbox/index', {
      ...adminPage('outbox', messages.title),
      ...pagingLocals(page, total, '/admin/outbox', baseQuery, PAGE_SIZE),
      items: rows.map((m) => ({
        id: m.id,
        createdAt: m.createdAt,
        channel: CHANNEL_LABELS[m.channel],
        recipient: shownWhole(m.channel) ? m.recipient : maskLogin(m.recipient),
        kind: KIND_LABELS[m.kind] ?? m.kind,
        subject: m.subject ? (shownWhole(m.channel) ? m.subject : hideSecret(m.subject, m.secret)) : '',
        body: shownWhole(m.channel) ? m.body : hideSecret(m.body, m.secret),
        status: m.status,
        statusLabel: STATUS_LABELS[m.status],
        driver: m.driver ?? '',
        attempts: m.attempts,
        lastError: m.lastError ?? '',
        sentAt: m.sentAt,
      })),
      storesOnly: storesOnly.map((c) => CHANNEL_LABELS[c]),
      drivers: { sms: ctx.messaging.drivers.sms.name, email: ctx.messaging.drivers.email.name },
      values: { to: baseQuery.to ?? '', channel: filter.channel ?? '', status: filter.status ?? '' },
      channelLabels: CHANNEL_LABELS,
      statusLabels: STATUS_LABELS,
    });
  });

  return router;
}
