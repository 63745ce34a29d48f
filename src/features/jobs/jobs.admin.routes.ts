// Owns the admin's job pages: the review queue (approve, reject with a reason, bulk approve), a job's
// preview, and the report queue (take the job down, or dismiss). Each action is audited in the service.
import { sendDueAlertsNow } from '../alerts/alerts.service';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { chinaDate } from '../../domain/dates';
import { maskLogin } from '../../domain/text';
import { JOB_STATUSES, REPORT_REASONS, type JobStatus } from '../../domain/vocabulary';
import { NotFoundError } from '../../errors';
import type { Actor } from '../audit/audit.service';
import { findEmployerProfile } from '../employers/employers.queries';
import { flash } from '../../web/flash';
import { parseForm, parseId } from '../../web/forms';
import { requireStaff } from '../../web/guards';
import { countJobsByStatus, countOpenReports, findJobWithEmployer, listJobsForReview, listOpenReports } from './jobs.queries';
import { approveJob, bulkApproveJobs, dismissReport, rejectJob, upholdReport } from './jobs.service';
import { dismissSchema, rejectSchema, takeDownSchema } from './jobs.validation';

const messages = {
  queueTitle: '职位审核',
  reportsTitle: '举报处理',
  approved: (title: string) => `已通过:${title}`,
  rejected: (title: string) => `已驳回:${title},已通知企业`,
  bulk: (ok: number, skipped: number) => `已通过 ${ok} 个职位${skipped ? `;${skipped} 个未处理(含敏感词、已被处理或有效期已过,请逐个审核)` : ''}`,
  noneChosen: '请先勾选要通过的职位',
  upheld: (n: number) => `职位已下架,${n} 条举报已处理`,
  dismissed: '举报已驳回',
  invalid: '请填写原因',
};

// Every status has its tab, so each count on the dashboard opens its own list.
const REVIEW_TABS: JobStatus[] = ['pending', 'published', 'rejected', 'closed', 'expired', 'draft'];

function actorOf(req: Request): Actor {
  return { id: req.user!.id, login: req.user!.login };
}

function idOf(req: Request): number {
  const id = parseId(req.params.id);
  if (id === null) throw new NotFoundError();
  return id;
}

/** The small forms of the admin lists: on a bad value, say why (flash) and go back. */
function formOrBack<S extends z.ZodType>(req: Request, res: Response, schema: S, back: string, field: string): z.infer<S> | undefined {
  const form = parseForm(schema, req.body);
  if (form.ok) return form.data;
  flash(req, 'error', form.errors[field] ?? messages.invalid);
  res.redirect(303, back);
  return undefined;
}

export function createAdminJobsRouter(ctx: AppContext): Router {
  const router = Router();
  // Consultants review jobs and handle reports too (issue 22); every action is audited in the service.
  const admin = requireStaff;
  const adminCrumbs = (label: string, href?: string) => [{ label: '后台', href: '/admin' }, { label, href }];

  router.get('/admin/jobs', admin, async (req, res) => {
    const raw = typeof req.query.status === 'string' ? req.query.status : 'pending';
    const status = REVIEW_TABS.includes(raw as JobStatus) ? (raw as JobStatus) : 'pending';
    const flaggedOnly = req.query.flagged === '1';
    const [jobs, counts, openReports] = await Promise.all([listJobsForReview(ctx.db, status, { flaggedOnly }), countJobsByStatus(ctx.db), countOpenReports(ctx.db)]);
    res.render('admin/jobs/index', {
      title: messages.queueTitle,
      noindex: true,
      breadcrumbs: adminCrumbs(messages.queueTitle),
      adminSection: 'jobs',
      status,
      flaggedOnly,
      tabs: REVIEW_TABS.map((s) => [s, JOB_STATUSES[s]]),
      counts,
      openReports,
      jobs,
      today: chinaDate(ctx.now()),
    });
  });

  router.get('/admin/jobs/:id', admin, async (req, res) => {
    const job = await findJobWithEmployer(ctx.db, idOf(req));
    if (!job) throw new NotFoundError();
    const [profile, settings] = await Promise.all([job.employerId ? findEmployerProfile(ctx.db, job.employerId) : undefined, ctx.settings.get()]);
    res.render('admin/jobs/show', {
      title: `审核:${job.title}`,
      noindex: true,
      breadcrumbs: [...adminCrumbs(messages.queueTitle, '/admin/jobs'), { label: job.title }],
      adminSection: 'jobs',
      job,
      profile,
      statusLabel: JOB_STATUSES[job.status],
      templates: settings.rejectionTemplates,
      showContact: true,
      loginNext: '',
    });
  });

  router.post('/admin/jobs/bulk-approve', admin, async (req, res) => {
    const raw = (req.body as { ids?: unknown }).ids;
    const ids = (Array.isArray(raw) ? raw : [raw]).map((v) => parseId(v)).filter((n): n is number => n !== null).slice(0, 200);
    if (!ids.length) {
      flash(req, 'error', messages.noneChosen);
      return res.redirect(303, '/admin/jobs');
    }
    const result = await bulkApproveJobs(ctx.db, actorOf(req), ids, ctx.now());
    await sendDueAlertsNow(ctx);
    flash(req, result.approved.length ? 'success' : 'error', messages.bulk(result.approved.length, result.skipped.length));
    res.redirect(303, '/admin/jobs');
  });

  router.post('/admin/jobs/:id/approve', admin, async (req, res) => {
    const job = await approveJob(ctx.db, actorOf(req), idOf(req), ctx.now());
    await sendDueAlertsNow(ctx);
    flash(req, 'success', messages.approved(job.title));
    res.redirect(303, '/admin/jobs');
  });

  router.post('/admin/jobs/:id/reject', admin, async (req, res) => {
    const id = idOf(req);
    const reason = formOrBack(req, res, rejectSchema, `/admin/jobs/${id}`, 'reason');
    if (reason === undefined) return;
    const job = await rejectJob(ctx.db, actorOf(req), id, reason, ctx.now());
    flash(req, 'success', messages.rejected(job.title));
    res.redirect(303, '/admin/jobs');
  });

  router.get('/admin/reports', admin, async (_req, res) => {
    const reports = await listOpenReports(ctx.db);
    res.render('admin/reports/index', {
      title: messages.reportsTitle,
      noindex: true,
      breadcrumbs: adminCrumbs(messages.reportsTitle),
      adminSection: 'reports',
      reports: reports.map((r) => ({ ...r, reasonLabel: REPORT_REASONS[r.reason], reporter: r.reporterLogin ? maskLogin(r.reporterLogin) : '(已注销)' })),
    });
  });

  router.post('/admin/reports/:id/uphold', admin, async (req, res) => {
    const form = formOrBack(req, res, takeDownSchema, '/admin/reports', 'resolution');
    if (!form) return;
    const result = await upholdReport(ctx.db, actorOf(req), idOf(req), form.resolution, ctx.now());
    flash(req, 'success', messages.upheld(result.resolved));
    res.redirect(303, '/admin/reports');
  });

  router.post('/admin/reports/:id/dismiss', admin, async (req, res) => {
    const form = formOrBack(req, res, dismissSchema, '/admin/reports', 'resolution');
    if (!form) return;
    await dismissReport(ctx.db, actorOf(req), idOf(req), form.resolution, ctx.now());
    flash(req, 'success', messages.dismissed);
    res.redirect(303, '/admin/reports');
  });

  return router;
}
