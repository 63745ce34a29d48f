// Owns the employer's job pages: my jobs by status, posting, editing, and the lifecycle buttons
// (submit, close, re-open, duplicate). Another employer's job is a 404 here, never a 403 that confirms it.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { addDays, chinaDate } from '../../domain/dates';
import { BENEFITS, CATEGORIES, DISTRICTS, JOB_STATUSES, JOB_TYPES, PAY_UNITS, SETTLEMENTS, WORKPLACES, type JobStatus } from '../../domain/vocabulary';
import { NotFoundError, ValidationError } from '../../errors';
import { flash } from '../../web/flash';
import { orRenderInvalid, parseId, renderInvalid, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { findEmployerProfile } from '../employers/employers.queries';
import { canTransition } from './jobs.lifecycle';
import { countEmployerJobsByStatus, findJobById, listEmployerJobs, type JobRow } from './jobs.queries';
import { closeOwnJob, createJob, duplicateJob, isProfileComplete, refreshJob, reopenJob, submitJob, updateJob } from './jobs.service';
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS, parseJobForm } from './jobs.validation';

const messages = {
  listTitle: '我的职位',
  newTitle: '发布职位',
  editTitle: '修改职位',
  profileFirst: '发布职位前,请先完善企业资料(用人单位基本情况)',
  savedDraft: '草稿已保存',
  saved: '修改已保存',
  submitted: '已提交审核,通过后会自动发布,结果会通过站内信通知你',
  backToReview: '修改已保存。职位已重新进入审核,审核通过前不会对外显示',
  closed: (n: number) => (n ? `职位已关闭,${n} 份未处理的投递已自动结束并通知求职者` : '职位已关闭'),
  reopened: '职位已重新提交审核,通过后会再次发布',
  refreshed: '职位已刷新,已排到最新职位的最前面(显示为"更新于")',
  duplicated: '已复制为新草稿,请检查内容并勾选不收费承诺后提交',
  flagged: (words: string[]) =>
    `职位中含有需人工审核的词语:「${words.join('」「')}」(可能涉及性别、民族、户籍等歧视,或要求求职者加微信、QQ、扫码等站外联系)。审核员会重点核查,建议修改。`,
};

const employerJobStatuses = Object.keys(JOB_STATUSES) as JobStatus[];

export function formOptions() {
  return {
    types: Object.entries(JOB_TYPES),
    categories: CATEGORIES.map((c) => [c, c]),
    districts: DISTRICTS.map((d) => [d, d]),
    workplaces: WORKPLACES.map((w) => [w, w]),
    payUnits: Object.entries(PAY_UNITS),
    settlements: Object.entries(SETTLEMENTS),
    benefits: BENEFITS.map((b) => [b, b]),
  };
}

const str = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** A stored job as form values. */
export function jobValues(job: JobRow): FormValues {
  return {
    title: job.title,
    type: job.type,
    category: job.category,
    district: job.district,
    // 其他 is what inference gives when nothing fits: left unchosen, the next save infers again.
    workplace: job.workplace === '其他' ? '' : job.workplace,
    address: job.address,
    payMin: str(job.payMin),
    payMax: str(job.payMax),
    payUnit: job.payUnit,
    settlement: job.settlement,
    headcount: str(job.headcount),
    shift: job.shift,
    startDate: str(job.startDate),
    endDate: str(job.endDate),
    ageMin: str(job.ageMin),
    ageMax: str(job.ageMax),
    requirements: job.requirements,
    benefits: job.benefits,
    description: job.description,
    contactName: job.contactName,
    contactPhone: job.contactPhone,
    dispatchAgencyName: str(job.dispatchAgencyName),
    dispatchAgencyLicense: str(job.dispatchAgencyLicense),
    worksiteEmployerName: str(job.worksiteEmployerName),
    validUntil: job.validUntil,
    feeAttested: job.feeAttested ? 'yes' : '',
  };
}

export function createEmployerJobsRouter(ctx: AppContext): Router {
  const router = Router();
  const employer = requireRole('employer');
  const today = () => chinaDate(ctx.now());

  function formView(job: JobRow | undefined) {
    const t = today();
    return {
      title: job ? messages.editTitle : messages.newTitle,
      noindex: true,
      breadcrumbs: [{ label: '企业中心', href: '/employer' }, { label: messages.listTitle, href: '/employer/jobs' }, { label: job ? messages.editTitle : messages.newTitle }],
      job: job ? { id: job.id, status: job.status, rejectReason: job.rejectReason, flaggedWords: job.flaggedWords } : null,
      action: job ? `/employer/jobs/${job.id}/edit` : '/employer/jobs/new',
      options: formOptions(),
      minDate: t,
      maxDate: addDays(t, MAX_VALID_DAYS),
    };
  }

  async function loadOwn(req: Request): Promise<JobRow> {
    const id = parseId(req.params.id);
    const job = id === null ? undefined : await findJobById(ctx.db, id);
    if (!job || job.employerId !== req.user!.id) throw new NotFoundError();
    return job;
  }

  /** Posting needs a complete company profile: without one, the employer is sent to fill it in. */
  async function profileOrRedirect(req: Request, res: Response) {
    const profile = await findEmployerProfile(ctx.db, req.user!.id);
    if (isProfileComplete(profile)) return profile;
    flash(req, 'info', messages.profileFirst);
    res.redirect(req.method === 'GET' ? 302 : 303, '/employer/profile');
    return undefined;
  }

  router.get('/employer/jobs', employer, async (req, res) => {
    const raw = typeof req.query.status === 'string' ? req.query.status : '';
    const status = employerJobStatuses.includes(raw as JobStatus) ? (raw as JobStatus) : undefined;
    const [counts, jobs] = await Promise.all([countEmployerJobsByStatus(ctx.db, req.user!.id), listEmployerJobs(ctx.db, req.user!.id, status)]);
    res.render('employer/jobs', {
      title: messages.listTitle,
      noindex: true,
      breadcrumbs: [{ label: '企业中心', href: '/employer' }, { label: messages.listTitle }],
      status,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      statuses: Object.entries(JOB_STATUSES),
      jobs,
      can: (s: JobStatus, action: Parameters<typeof canTransition>[1]) => canTransition(s, action),
    });
  });

  router.get('/employer/jobs/new', employer, async (req, res) => {
    const profile = await profileOrRedirect(req, res);
    if (!profile) return;
    const values: FormValues = {
      type: 'temp',
      payUnit: 'day',
      settlement: 'daily',
      validUntil: addDays(today(), DEFAULT_VALID_DAYS),
      contactName: profile.contactName,
      contactPhone: profile.contactPhone,
      dispatchAgencyName: profile.licenseNo ? profile.companyName : '',
      dispatchAgencyLicense: profile.licenseNo ?? '',
    };
    res.render('employer/job-form', { ...formView(undefined), values, errors: {} });
  });

  /** Saves the form as a new job or an edit of `job`; invalid input or refused words re-render it (422). */
  async function save(req: Request, res: Response, job: JobRow | undefined) {
    if (!(await profileOrRedirect(req, res))) return;
    const form = parseJobForm(req.body, today());
    const view = formView(job);
    if (!form.ok) return renderInvalid(res, 'employer/job-form', view, form.errors, form.values);
    const lists = await ctx.settings.get();
    const { data } = form;
    const saved = await orRenderInvalid(res, 'employer/job-form', view, form.values, () =>
      job ? updateJob(ctx.db, lists, req.user!.id, job.id, data, data.action, ctx.now()) : createJob(ctx.db, lists, req.user!.id, data, data.action, ctx.now()),
    );
    if (!saved.ok) return;
    const after = saved.value.status;
    const before = job?.status;
    const text =
      before === 'published' ? messages.backToReview : after === 'pending' && before !== 'pending' ? messages.submitted : after === 'draft' ? messages.savedDraft : messages.saved;
    flash(req, 'success', text);
    if (saved.value.flaggedWords.length) flash(req, 'info', messages.flagged(saved.value.flaggedWords));
    res.redirect(303, `/employer/jobs?status=${after}`);
  }

  router.post('/employer/jobs/new', employer, (req, res) => save(req, res, undefined));

  router.get('/employer/jobs/:id/edit', employer, async (req, res) => {
    const job = await loadOwn(req);
    res.render('employer/job-form', { ...formView(job), values: jobValues(job), errors: {} });
  });

  router.post('/employer/jobs/:id/edit', employer, async (req, res) => save(req, res, await loadOwn(req)));

  /**
   * A lifecycle button of the list. A job that cannot move yet (no fee promise, validity passed, a fee word
   * added to the list since) goes to its edit page with the reason; an illegal move is a 409 page.
   */
  async function lifecycle(req: Request, res: Response, run: (jobId: number) => Promise<{ status: JobStatus; text: string }>) {
    const job = await loadOwn(req);
    try {
      const { status, text } = await run(job.id);
      flash(req, 'success', text);
      res.redirect(303, `/employer/jobs?status=${status}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const reasons = Object.entries(err.fieldErrors).filter(([k]) => k !== '_form').map(([, v]) => v);
      flash(req, 'error', err.fieldErrors._form || reasons.join(';') || err.message);
      res.redirect(303, `/employer/jobs/${job.id}/edit`);
    }
  }

  router.post('/employer/jobs/:id/submit', employer, async (req, res) => {
    const lists = await ctx.settings.get();
    await lifecycle(req, res, async (id) => {
      const job = await submitJob(ctx.db, lists, req.user!.id, id, ctx.now());
      return { status: job.status, text: messages.submitted };
    });
  });

  router.post('/employer/jobs/:id/reopen', employer, async (req, res) => {
    const lists = await ctx.settings.get();
    await lifecycle(req, res, async (id) => {
      const job = await reopenJob(ctx.db, lists, req.user!.id, id, ctx.now());
      return { status: job.status, text: messages.reopened };
    });
  });

  router.post('/employer/jobs/:id/close', employer, async (req, res) => {
    await lifecycle(req, res, async (id) => {
      const before = await closeOwnJob(ctx.db, req.user!.id, id, ctx.now());
      return { status: before.job.status, text: messages.closed(before.closedApplications) };
    });
  });

  router.post('/employer/jobs/:id/refresh', employer, async (req, res) => {
    await lifecycle(req, res, async (id) => {
      const job = await refreshJob(ctx.db, req.user!.id, id, ctx.now());
      return { status: job.status, text: messages.refreshed };
    });
  });

  router.post('/employer/jobs/:id/duplicate', employer, async (req, res) => {
    const job = await loadOwn(req);
    const copy = await duplicateJob(ctx.db, req.user!.id, job.id, ctx.now());
    flash(req, 'success', messages.duplicated);
    res.redirect(303, `/employer/jobs/${copy.id}/edit`);
  });

  return router;
}
