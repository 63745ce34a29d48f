// Owns the jobs staff post for client companies (issue 22): /admin/client-jobs lists them; staff (consultants and
// admins) write them with the job form, the site owner as 派遣单位 and the client company as 用工单位. The client
// company has no access to these jobs or their applicants: the rows belong to the staff member who posted them.
import { Router, type Request, type Response } from 'express';
import { desc, eq, isNotNull } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { clientCompanies, jobs, users } from '../../db/schema';
import { addDays, chinaDate } from '../../domain/dates';
import { NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { orRenderInvalid, parseId, renderInvalid, type FormValues } from '../../web/forms';
import { requireStaff } from '../../web/guards';
import { actorOf, adminPage } from '../admin/admin.view';
import { formOptions, jobValues } from './jobs.employer.routes';
import { findJobById } from './jobs.queries';
import { saveClientJob } from './jobs.service';
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS, parseJobForm } from './jobs.validation';

const messages = {
  listTitle: '客户职位',
  editTitle: '修改客户职位',
  newTitle: '为客户发布职位',
  saved: (status: string) => (status === 'pending' ? '已提交审核,在“职位审核”中通过后发布' : '已保存'),
};

export function createClientJobsRouter(ctx: AppContext): Router {
  const router = Router();
  const staff = requireStaff;
  const today = () => chinaDate(ctx.now());

  async function companyOf(id: number | null) {
    if (id === null) throw new NotFoundError();
    const [company] = await ctx.db.select().from(clientCompanies).where(eq(clientCompanies.id, id));
    if (!company) throw new NotFoundError();
    return company;
  }

  function formView(job: { id: number; status: string; rejectReason: string | null; flaggedWords: string[] } | null, companyId: number, companyName: string) {
    const title = job ? messages.editTitle : messages.newTitle;
    return {
      ...adminPage('clientJobs', `${title}:${companyName}`, [{ label: messages.listTitle, href: '/admin/client-jobs' }, { label: title }]),
      job,
      action: job ? `/admin/client-jobs/${job.id}/edit` : `/admin/client-jobs/new?company=${companyId}`,
      options: formOptions(),
      minDate: today(),
      maxDate: addDays(today(), MAX_VALID_DAYS),
      clientCompanyName: companyName,
    };
  }

  /** The site owner is the 派遣单位 and the client company the 用工单位, whatever the form posted. */
  async function forcedNames(body: unknown, companyName: string) {
    const site = await ctx.settings.get();
    return { ...(body as Record<string, unknown>), type: 'dispatch', dispatchAgencyName: site.companyName, worksiteEmployerName: companyName };
  }

  router.get('/admin/client-jobs', staff, async (_req, res) => {
    const rows = await ctx.db
      .select({ id: jobs.id, title: jobs.title, status: jobs.status, updatedAt: jobs.updatedAt, company: clientCompanies.name, postedBy: users.displayName })
      .from(jobs)
      .innerJoin(clientCompanies, eq(clientCompanies.id, jobs.clientCompanyId))
      .leftJoin(users, eq(users.id, jobs.employerId))
      .where(isNotNull(jobs.clientCompanyId))
      .orderBy(desc(jobs.updatedAt))
      .limit(200);
    const companies = await ctx.db.select().from(clientCompanies).orderBy(clientCompanies.name);
    res.render('jobs/client-jobs', { ...adminPage('clientJobs', messages.listTitle), jobs: rows, companies });
  });

  router.get('/admin/client-jobs/new', staff, async (req, res) => {
    const company = await companyOf(parseId(req.query.company));
    const site = await ctx.settings.get();
    const values: FormValues = {
      type: 'dispatch',
      payUnit: 'day',
      settlement: 'monthly',
      validUntil: addDays(today(), DEFAULT_VALID_DAYS),
      contactName: req.user!.displayName,
      contactPhone: site.hotline,
      dispatchAgencyName: site.companyName,
      worksiteEmployerName: company.name,
    };
    res.render('employer/job-form', { ...formView(null, company.id, company.name), values, errors: {} });
  });

  async function save(req: Request, res: Response, target: { jobId: number } | { clientCompanyId: number }, view: ReturnType<typeof formView>, companyName: string) {
    const form = parseJobForm(await forcedNames(req.body, companyName), today());
    if (!form.ok) return renderInvalid(res, 'employer/job-form', view, form.errors, form.values);
    const lists = await ctx.settings.get();
    const saved = await orRenderInvalid(res, 'employer/job-form', view, form.values, () => saveClientJob(ctx.db, lists, actorOf(req), target, form.data, form.data.action, ctx.now()));
    if (!saved.ok) return;
    flash(req, 'success', messages.saved(saved.value.status));
    res.redirect(303, '/admin/client-jobs');
  }

  router.post('/admin/client-jobs/new', staff, async (req, res) => {
    const company = await companyOf(parseId(req.query.company));
    await save(req, res, { clientCompanyId: company.id }, formView(null, company.id, company.name), company.name);
  });

  async function loadClientJob(req: Request) {
    const id = parseId(req.params.id);
    const job = id === null ? undefined : await findJobById(ctx.db, id);
    if (!job || job.clientCompanyId === null) throw new NotFoundError();
    return { job, company: await companyOf(job.clientCompanyId) };
  }

  router.get('/admin/client-jobs/:id/edit', staff, async (req, res) => {
    const { job, company } = await loadClientJob(req);
    res.render('employer/job-form', { ...formView(job, company.id, company.name), values: jobValues(job), errors: {} });
  });

  router.post('/admin/client-jobs/:id/edit', staff, async (req, res) => {
    const { job, company } = await loadClientJob(req);
    await save(req, res, { jobId: job.id }, formView(job, company.id, company.name), company.name);
  });

  return router;
}
