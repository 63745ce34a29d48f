// Owns the employer's applicant inbox (/employer/applicants): every application to the employer's jobs with
// filters as GET parameters, unread counts, paging, and a bulk status change.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { APPLICATION_STATUSES, DISTRICTS } from '../../domain/vocabulary';
import { contentDisposition } from '../../storage/store';
import { flash } from '../../web/flash';
import { dateIso } from '../../web/format';
import { NotFoundError } from '../../errors';
import { parseForm, parseId } from '../../web/forms';
import { requireRole, safeNextPath } from '../../web/guards';
import { PAGE_SIZE, pagingLocals, parsePage } from '../../web/pagination';
import { XLSX_MIME } from '../../web/xlsx';
import { presentApplicant } from '../applications/applications.present';
import { findUndoableChanges, undoStatusChange } from '../applications/applications.service';
import { addInterviewRoutes } from './interviews.routes';
import { latestInterviewsOf, presentInterview } from './interviews.service';
import { addNoteRoutes } from './notes.routes';
import { addTalentRoutes } from './talent.routes';
import { exportApplicants } from './workspace.export';
import { countInboxByStatus, countUnreadByJob, listInbox, listJobsWithApplications } from './workspace.queries';
import { bulkChangeStatus } from './workspace.service';
import { BULK_STATUSES, bulkStatusSchema, filtersQuery, parseInboxFilters, REJECT_TEMPLATES } from './workspace.validation';

export const INBOX_PATH = '/employer/applicants';

const messages = {
  inboxTitle: '求职者收件箱',
  bulkDone: (moved: number, label: string) => `已将 ${moved} 位求职者更新为「${label}」`,
  exportName: (day: string) => `求职者-${day}.xlsx`,
  undone: (label: string) => `已撤销,状态恢复为「${label}」`,
  bulkRefused: (refused: number) => `${refused} 位求职者的当前状态不能这样改,未作变更`,
};

export function createWorkspaceRouter(ctx: AppContext): Router {
  const router = Router();
  const employer = requireRole('employer');

  router.get(INBOX_PATH, employer, async (req, res) => {
    const employerId = req.user!.id;
    const filters = parseInboxFilters(req.query as Record<string, unknown>);
    const page = parsePage(req.query.page);
    const [{ rows, total }, counts, unreadByJob, jobs] = await Promise.all([
      listInbox(ctx.db, employerId, filters, page, PAGE_SIZE),
      countInboxByStatus(ctx.db, employerId, filters),
      countUnreadByJob(ctx.db, employerId),
      listJobsWithApplications(ctx.db, employerId),
    ]);
    const ids = rows.map((r) => r.id);
    const [latest, undoable] = await Promise.all([latestInterviewsOf(ctx.db, ids), findUndoableChanges(ctx.db, employerId, ids)]);
    const query = filtersQuery(filters);
    const paging = pagingLocals(page, total, INBOX_PATH, query);
    const now = ctx.now();
    res.render('workspace/inbox', {
      title: messages.inboxTitle,
      noindex: true,
      breadcrumbs: [{ label: '企业中心', href: '/employer' }, { label: messages.inboxTitle }],
      applicants: rows.map((r) => {
        const interview = latest.get(r.id);
        return {
          ...presentApplicant(r, now),
          unread: r.viewedAt === null && r.status !== 'withdrawn',
          interview: interview && presentInterview(interview, now),
          undoable: undoable.get(r.id) ?? null,
        };
      }),
      jobs: jobs.map((j) => ({ ...j, unread: unreadByJob.get(j.id) ?? 0 })),
      unreadTotal: [...unreadByJob.values()].reduce((a, b) => a + b, 0),
      counts,
      allCount: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0),
      filters,
      query,
      hasFilters: Object.values({ ...query, status: undefined }).some((v) => v !== undefined),
      currentUrl: req.originalUrl,
      statusLabels: APPLICATION_STATUSES,
      bulkStatuses: BULK_STATUSES,
      rejectTemplates: Object.entries(REJECT_TEMPLATES),
      districts: DISTRICTS,
      ...paging,
    });
  });

  router.get(`${INBOX_PATH}.xlsx`, employer, async (req, res) => {
    const filters = parseInboxFilters(req.query as Record<string, unknown>);
    res.set({
      'Content-Type': XLSX_MIME,
      'Content-Disposition': contentDisposition(messages.exportName(dateIso(ctx.now())), 'attachment'),
      'Cache-Control': 'no-store',
    });
    await exportApplicants(ctx, req.user!.id, filters, res);
  });

  router.post(`${INBOX_PATH}/bulk`, employer, async (req, res) => {
    const back = safeNextPath((req.body as { next?: unknown }).next) ?? INBOX_PATH;
    const form = parseForm(bulkStatusSchema, req.body);
    if (!form.ok) {
      // The form is a list of rows: its one error goes back to the list, above the rows, with the filters kept.
      flash(req, 'error', Object.values(form.errors)[0] ?? '');
      return res.redirect(303, back);
    }
    // A template is a rejection's message; with another status it is not sent.
    const template = form.data.status === 'rejected' && form.data.template ? REJECT_TEMPLATES[form.data.template].text : undefined;
    const { moved, refused } = await bulkChangeStatus(ctx.db, req.user!.id, form.data.ids, form.data.status, template);
    if (moved) flash(req, 'success', messages.bulkDone(moved, APPLICATION_STATUSES[form.data.status]));
    if (refused) flash(req, 'error', messages.bulkRefused(refused));
    res.redirect(303, back);
  });

  // Takes back the last status change (10 minutes); the inbox rows post here with the bulk form's token and `next`.
  router.post('/employer/applications/:id/undo', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const back = safeNextPath((req.body as { next?: unknown }).next) ?? `/employer/applications/${id}`;
    const restored = await undoStatusChange(ctx.db, req.user!.id, id);
    flash(req, 'success', messages.undone(APPLICATION_STATUSES[restored]));
    res.redirect(303, back);
  });

  addNoteRoutes(router, ctx);
  addInterviewRoutes(router, ctx);
  addTalentRoutes(router, ctx);
  return router;
}
