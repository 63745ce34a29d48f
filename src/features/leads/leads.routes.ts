// Owns the staff's lead pages (/admin/leads, admins and consultants): the filtered list with overdue leads
// highlighted, one lead with its history, and the forms that move it (status, consultant, note, follow-up date,
// conversion of a signed lead). Every change is in the lead's history and the audit log.
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { chinaDate } from '../../domain/dates';
import { PAY_UNITS } from '../../domain/vocabulary';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { flash } from '../../web/flash';
import { parseForm, parseId, type FormValues } from '../../web/forms';
import { requireStaff } from '../../web/guards';
import { adminPage } from '../admin/admin.view';
import { contentDisposition } from '../../storage/store';
import { dateIso } from '../../web/format';
import { XLSX_MIME } from '../../web/xlsx';
import { exportLeads } from './leads.export';
import { convertLead, type StaffActor } from './leads.convert';
import { isLeadOverdue } from './leads.overdue';
import { findLead, listLeadEvents, listLeads, listStaff } from './leads.queries';
import { addLeadNote, assignLead, canMoveLead, changeLeadStatus, setLeadFollowUp } from './leads.service';
import { convertSchema, followUpSchema, LEAD_DURATIONS, LEAD_STATUSES, leadAssignSchema, leadNoteSchema, leadStatusSchema, parseLeadFilter, type LeadStatus } from './leads.validation';

const messages = {
  listTitle: '用工线索',
  statusChanged: (label: string) => `状态已改为「${label}」`,
  noted: '跟进记录已添加',
  assigned: '负责顾问已更新',
  followUpSet: '下次跟进日期已更新',
  converted: '已创建客户企业和职位草稿,请补全职位信息后提交审核',
  invalid: '请检查填写的内容',
  exportName: (day: string) => `用工线索-${day}.xlsx`,
};

const PAGE_SIZE = 30;

function idOf(req: Request): number {
  const id = parseId(req.params.id);
  if (id === null) throw new NotFoundError();
  return id;
}

export function staffActorOf(req: Request): StaffActor {
  return { id: req.user!.id, login: req.user!.login, name: req.user!.displayName };
}

export function createLeadsRouter(ctx: AppContext): Router {
  const router = Router();
  const staff = requireStaff;

  // Declared before /admin/leads/:id. Same filters as the list (the page number aside): a filtered list is its export.
  router.get('/admin/leads.xlsx', staff, async (req, res) => {
    const { page: _page, ...filter } = parseLeadFilter(req.query as Record<string, unknown>);
    res.set({
      'Content-Type': XLSX_MIME,
      'Content-Disposition': contentDisposition(messages.exportName(dateIso(ctx.now())), 'attachment'),
      'Cache-Control': 'no-store',
    });
    await exportLeads(ctx, staffActorOf(req), filter, res);
  });

  router.get('/admin/leads', staff, async (req, res) => {
    const filter = parseLeadFilter(req.query as Record<string, unknown>);
    const [{ rows, total }, consultants, site] = await Promise.all([listLeads(ctx.db, filter, PAGE_SIZE), listStaff(ctx.db), ctx.settings.get()]);
    const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (filter.page > totalPages) throw new NotFoundError();
    const now = ctx.now();
    res.render('leads/admin-index', {
      ...adminPage('leads', messages.listTitle),
      leads: rows.map((r) => ({ ...r.lead, consultantName: r.consultantName, overdue: isLeadOverdue(r.lead, now, site) })),
      total,
      page: filter.page,
      totalPages,
      filter,
      baseQuery: { status: filter.status, consultant: filter.consultantId, from: filter.from, to: filter.to },
      statuses: Object.entries(LEAD_STATUSES),
      consultants,
      responseMinutes: site.leadResponseMinutes,
      workingHours: site.workingHours,
    });
  });

  async function renderLead(req: Request, res: Response, id: number, status = 200, form: { name?: string; values?: FormValues; errors?: Record<string, string> } = {}) {
    const found = await findLead(ctx.db, id);
    if (!found) throw new NotFoundError();
    const [events, consultants, site] = await Promise.all([listLeadEvents(ctx.db, id), listStaff(ctx.db), ctx.settings.get()]);
    const { lead } = found;
    const title = `${lead.companyName} · 线索 #${lead.id}`;
    res.status(status).render('leads/admin-show', {
      ...adminPage('leads', title, [{ label: messages.listTitle, href: '/admin/leads' }, { label: title }]),
      lead,
      consultantName: found.consultantName,
      company: found.company,
      overdue: isLeadOverdue(lead, ctx.now(), site),
      events,
      consultants,
      nextStatuses: (Object.keys(LEAD_STATUSES) as LeadStatus[]).filter((s) => canMoveLead(lead.status, s)).map((s) => [s, LEAD_STATUSES[s]]),
      statusLabels: LEAD_STATUSES,
      durationLabels: LEAD_DURATIONS,
      payUnits: PAY_UNITS,
      today: chinaDate(ctx.now()),
      openForm: form.name,
      values: form.values ?? { companyName: lead.companyName, contactName: lead.contactName, contactPhone: lead.phone, jobTitle: `${lead.category}(${lead.district})` },
      errors: form.errors ?? {},
    });
  }

  router.get('/admin/leads/:id', staff, async (req, res) => renderLead(req, res, idOf(req)));

  /** A small form of the lead page: parsed, run, and on a refusal shown again with the reason beside its field. */
  function leadAction<S extends z.ZodType>(path: string, schema: (req: Request) => S, run: (req: Request, id: number, data: z.infer<S>) => Promise<string>) {
    router.post(`/admin/leads/:id/${path}`, staff, async (req, res) => {
      const id = idOf(req);
      const form = parseForm(schema(req), req.body);
      if (!form.ok) return renderLead(req, res, id, 422, { name: path, values: form.values, errors: form.errors });
      try {
        flash(req, 'success', await run(req, id, form.data));
      } catch (err) {
        if (err instanceof ValidationError) return renderLead(req, res, id, 422, { name: path, values: form.values, errors: err.fieldErrors });
        if (!(err instanceof ConflictError)) throw err;
        flash(req, 'error', err.message);
      }
      res.redirect(303, `/admin/leads/${id}`);
    });
  }

  leadAction('status', () => leadStatusSchema, async (req, id, data) => {
    await changeLeadStatus(ctx.db, staffActorOf(req), id, data.status);
    return messages.statusChanged(LEAD_STATUSES[data.status]);
  });
  leadAction('note', () => leadNoteSchema, async (req, id, data) => {
    await addLeadNote(ctx.db, staffActorOf(req), id, data.note);
    return messages.noted;
  });
  leadAction('assign', () => leadAssignSchema, async (req, id, data) => {
    await assignLead(ctx.db, staffActorOf(req), id, data.consultantId);
    return messages.assigned;
  });
  leadAction('follow-up', () => followUpSchema(chinaDate(ctx.now())), async (req, id, data) => {
    await setLeadFollowUp(ctx.db, staffActorOf(req), id, data.nextFollowUpOn || null);
    return messages.followUpSet;
  });
  leadAction('convert', () => convertSchema, async (req, id, data) => {
    await convertLead(ctx, staffActorOf(req), id, data);
    return messages.converted;
  });

  return router;
}
