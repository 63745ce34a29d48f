// Owns the inbox pages (站内信) of seekers and employers: newest first, 20 a page, unread highlighted.
// Opening a page marks the messages it shows as read; 全部标为已读 marks every page.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { flash } from '../../web/flash';
import { requireRole } from '../../web/guards';
import { PAGE_SIZE, pagingLocals, parsePage } from '../../web/pagination';
import { countUnread, listNotifications, markAllRead, markRead } from './notifications.service';

const messages = {
  title: '站内信',
  allRead: '已全部标为已读',
  home: { seeker: '个人中心', employer: '企业中心' },
};

type InboxRole = 'seeker' | 'employer';
const BASE: Record<InboxRole, { inbox: string; home: string }> = {
  seeker: { inbox: '/me/notifications', home: '/me' },
  employer: { inbox: '/employer/notifications', home: '/employer' },
};

export function createNotificationsRouter(ctx: AppContext): Router {
  const router = Router();

  for (const role of ['seeker', 'employer'] as const) {
    const { inbox, home } = BASE[role];

    router.get(inbox, requireRole(role), async (req: Request, res: Response) => {
      const userId = req.user!.id;
      const page = parsePage(req.query.page);
      const { rows, total } = await listNotifications(ctx.db, userId, page, PAGE_SIZE);
      const paging = pagingLocals(page, total, inbox);
      // Shown as unread this once (highlighted), then read: the header badge drops to what is left.
      await markRead(ctx.db, userId, rows.filter((n) => n.readAt === null).map((n) => n.id));
      res.locals.unreadCount = await countUnread(ctx.db, userId);
      res.render('notifications/index', {
        title: messages.title,
        noindex: true,
        breadcrumbs: [{ label: messages.home[role], href: home }, { label: messages.title }],
        notifications: rows.map((n) => ({ ...n, unread: n.readAt === null })),
        remainingUnread: res.locals.unreadCount,
        readAllAction: `${inbox}/read-all`,
        ...paging,
      });
    });

    router.post(`${inbox}/read-all`, requireRole(role), async (req, res) => {
      await markAllRead(ctx.db, req.user!.id);
      flash(req, 'success', messages.allRead);
      res.redirect(303, inbox);
    });
  }

  return router;
}
