// Owns the audit log page (/admin/audit): read-only, filterable, paginated. No route changes the log.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { NotFoundError } from '../../errors';
import { requireRole } from '../../web/guards';
import { adminPage } from '../admin/admin.view';
import { ACTION_GROUPS, presentAuditEntry, TARGET_LABELS } from './audit.present';
import { listAuditEntries, listAuditFacets, loadAuditNames } from './audit.service';
import { parseAuditQuery } from './audit.validation';

const messages = {
  title: '操作日志',
};

const PAGE_SIZE = 30;

export function createAuditRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const query = parseAuditQuery(req.query);
    const [{ rows, total }, facets] = await Promise.all([listAuditEntries(ctx.db, query.filter, query.page, PAGE_SIZE), listAuditFacets(ctx.db)]);
    const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (query.page > totalPages) throw new NotFoundError();
    const v = query.values;
    const names = await loadAuditNames(ctx.db, rows);
    res.render('admin/audit/index', {
      ...adminPage('audit', messages.title),
      entries: rows.map((row) => presentAuditEntry(row, names)),
      total,
      page: query.page,
      totalPages,
      values: v,
      baseQuery: {
        action: v.action || undefined,
        actor: v.actor || undefined,
        targetType: v.targetType || undefined,
        targetId: v.targetId || undefined,
        from: v.from || undefined,
        to: v.to || undefined,
      },
      filtered: Boolean(v.action || v.actor || v.targetType || v.from || v.to),
      actionGroups: ACTION_GROUPS,
      actors: facets.actors,
      targetTypes: facets.targetTypes.map((t) => [t, TARGET_LABELS[t] ?? t]),
    });
  });

  return router;
}
