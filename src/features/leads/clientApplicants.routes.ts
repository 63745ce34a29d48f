// Owns the staff inbox (issue 22): applications to jobs staff posted for client companies, handled by the dispatch
// company's staff (admins and consultants), never by the client company. /admin/applicants lists them with filters;
// /admin/applicants/:id shows one (online resume, phone while active) and moves it with the employer's pipeline rules
// (the seeker is told, the change audited); a client job's shortlist is shared with the client company's contact.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { APPLICATION_STATUSES } from '../../domain/vocabulary';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { flash } from '../../web/flash';
import { parseForm, parseId } from '../../web/forms';
import { requireStaff } from '../../web/guards';
import { PAGE_SIZE, pagingLocals, parsePage } from '../../web/pagination';
import { adminPage } from '../admin/admin.view';
import { presentApplicant } from '../applications/applications.present';
import { listEventsOf } from '../applications/applications.queries';
import { changeClientApplicationStatus, openClientApplication } from '../applications/applications.service';
import { statusSchema } from '../applications/applications.validation';
import { loadOnlineResume, presentResume } from '../onlineResume/onlineResume.service';
import { bulkStatusSchema, parseInboxFilters } from '../workspace/workspace.validation';
import { findStaffApplicant, listStaffInbox, staffInboxChoices, type StaffInboxFilters } from './clientApplicants.queries';
import { staffActorOf } from './leads.routes';
import { listSharesOfJob, SHARE_MAX, shareShortlist } from './shortlist.service';

export const STAFF_INBOX_PATH = '/admin/applicants';

const messages = {
  inboxTitle: '客户职位求职者',
  applicant: (name: string) => `${name} · 投递详情`,
  statusChanged: (label: string) => `已更新为「${label}」,求职者会收到通知`,
  shared: (n: number, to: string) => `已把 ${n} 位求职者的姓名、年龄和手机号发给用工单位联系人(${to})`,
};

const shareSchema = z.object({ ids: bulkStatusSchema.shape.ids });

function filtersOf(req: Request): StaffInboxFilters {
  const { job, status } = parseInboxFilters(req.query as Record<string, unknown>);
  const company = parseId(typeof req.query.company === 'string' ? req.query.company : undefined) ?? undefined;
  return { job, status, company };
}

function idOf(req: Request): number {
  const id = parseId(req.params.id);
  if (id === null) throw new NotFoundError();
  return id;
}

export function createClientApplicantsRouter(ctx: AppContext): Router {
  const router = Router();

  router.get(STAFF_INBOX_PATH, requireStaff, async (req, res) => {
    const filters = filtersOf(req);
    const page = parsePage(req.query.page);
    const query = { job: filters.job, status: filters.status, company: filters.company };
    const [{ rows, total }, choices] = await Promise.all([listStaffInbox(ctx.db, filters, page, PAGE_SIZE), staffInboxChoices(ctx.db)]);
    // A chosen job offers its shortlist for sharing, with the shares made so far.
    const shortlist = filters.job ? (await listStaffInbox(ctx.db, { job: filters.job, status: 'shortlisted' }, 1, 100)).rows : [];
    const shares = filters.job ? await listSharesOfJob(ctx, filters.job) : [];
    const now = ctx.now();
    res.render('leads/applicants', {
      ...adminPage('applicants', messages.inboxTitle),
      applicants: rows.map((r) => presentApplicant(r, now)),
      shortlist: shortlist.map((r) => presentApplicant(r, now)),
      shares,
      shareMax: SHARE_MAX,
      filters,
      query,
      choices,
      statusLabels: APPLICATION_STATUSES,
      ...pagingLocals(page, total, STAFF_INBOX_PATH, query),
    });
  });

  router.get(`${STAFF_INBOX_PATH}/:id`, requireStaff, async (req, res) => {
    const id = idOf(req);
    const row = await findStaffApplicant(ctx.db, id);
    if (!row) throw new NotFoundError();
    const site = await ctx.settings.get();
    await openClientApplication(ctx.db, staffActorOf(req), id, row.agencyName || site.companyName);
    const [fresh, events] = await Promise.all([findStaffApplicant(ctx.db, id), listEventsOf(ctx.db, [id])]);
    const applicant = presentApplicant(fresh!, ctx.now());
    // The online resume while the application is active; a withdrawn one or a deleted account shows nothing.
    const online = !applicant.anonymised && fresh!.seekerId !== null ? await loadOnlineResume(ctx.db, fresh!.seekerId) : undefined;
    const title = messages.applicant(applicant.name);
    res.render('leads/applicant', {
      ...adminPage('applicants', title, [{ label: messages.inboxTitle, href: STAFF_INBOX_PATH }, { label: title }]),
      applicant,
      online: online ? { ...presentResume(online, ctx.now()), name: applicant.name, phone: applicant.phone } : null,
      events: events.get(id) ?? [],
      statusLabels: APPLICATION_STATUSES,
    });
  });

  router.post(`${STAFF_INBOX_PATH}/:id/status`, requireStaff, async (req, res) => {
    const id = idOf(req);
    const form = parseForm(statusSchema, req.body);
    if (!form.ok) throw new ValidationError(form.errors, form.errors.status);
    await changeClientApplicationStatus(ctx.db, staffActorOf(req), id, form.data.status);
    flash(req, 'success', messages.statusChanged(APPLICATION_STATUSES[form.data.status]));
    res.redirect(303, `${STAFF_INBOX_PATH}/${id}`);
  });

  router.post('/admin/client-jobs/:id/share', requireStaff, async (req, res) => {
    const jobId = idOf(req);
    const back = `${STAFF_INBOX_PATH}?job=${jobId}#shortlist`;
    const form = parseForm(shareSchema, req.body);
    try {
      if (!form.ok) throw new ValidationError(form.errors, Object.values(form.errors)[0]);
      const done = await shareShortlist(ctx, staffActorOf(req), jobId, form.data.ids);
      flash(req, 'success', messages.shared(done.count, done.recipient));
    } catch (err) {
      // The form is a list of ticked rows: its one error goes back above the list.
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      flash(req, 'error', err.message);
    }
    res.redirect(303, back);
  });

  return router;
}
