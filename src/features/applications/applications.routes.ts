// Owns the application pages: apply to a job, the seeker's applications and withdrawal, and an employer's
// applicants of one job with the detail page and status changes.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { APPLICATION_STATUSES, GENDERS, JOB_TYPES, type ApplicationStatus } from '../../domain/vocabulary';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { acceptUpload, renderUploadErrors } from '../../storage/upload';
import { flash } from '../../web/flash';
import { formValues, parseForm, parseId, type FormValues } from '../../web/forms';
import { requireRole, safeNextPath } from '../../web/guards';
import { PAGE_SIZE, pagingLocals, parsePage } from '../../web/pagination';
import { createLimiter, signedInUserKey } from '../../web/rateLimit';
import { RESUME_UPLOAD_RULE } from '../resumes/resumes.routes';
import { applicationWorkspaceLocals } from '../workspace/workspace.detail';
import { contactOf, seekerContact } from '../seekers/seekers.service';
import {
  applicationsOfJob,
  countApplicationsByStatus,
  findApplicant,
  findJobSummary,
  isJobOpen,
  isJobVisible,
  listApplicantsOfJob,
  listEventsOf,
  listSeekerApplications,
  type ApplicantRow,
} from './applications.queries';
import { presentApplicant as presentApplicantRow } from './applications.present';
import { canTransition } from './applications.rules';
import {
  applyFormLocals,
  changeApplicationStatus,
  MESSAGE_MAX,
  openApplicationAsEmployer,
  submitApplication,
  todayOf,
  withdrawApplication,
} from './applications.service';
import { applySchema, quickApplySchema, quickCodeSchema, statusSchema } from './applications.validation';
import { HasAccountError, quickApply, quickApplyJob, quickMessages } from './applications.quick';
import { startSession } from '../accounts/accounts.login';
import { findUserById } from '../accounts/accounts.service';
import { ageOf, loadOnlineResume, presentResume, resumeCompleteness } from '../onlineResume/onlineResume.service';
import { photoFileOf } from '../onlineResume/onlineResume.photo';
import { sendPrivateFile } from '../../web/download';
import { CodeRequestRefused, requestCode, type SentCode } from '../verification/verification.service';
import { chinaYearMonth, birthYearRange } from '../onlineResume/onlineResume.validation';

const HOUR = 3600_000;

const messages = {
  tooManyApplications: '投递太频繁了,请一小时后再试',
  applied: (title: string) => `投递成功!「${title}」的企业查看或处理后,你会收到站内信。`,
  uploadNeeded: '请选择要上传的简历文件',
  withdrawn: '已撤回投递',
  statusChanged: (label: string) => `已更新为「${label}」`,
  applyTitle: (title: string) => `投递「${title}」`,
  myApplications: '我的投递',
  applicants: (title: string) => `「${title}」的求职者`,
  applicant: '投递详情',
  quickTitle: (title: string) => `快速报名「${title}」`,
  quickApplied: (title: string) => `报名成功!「${title}」的企业会通过你的手机号联系你。`,
};

export function createApplicationsRouter(ctx: AppContext): Router {
  const router = Router();
  const seeker = requireRole('seeker');
  const employer = requireRole('employer');

  const applyPerUser = createLimiter(ctx.db, {
    name: 'apply',
    key: signedInUserKey,
    limit: ctx.limits.applyPerUser,
    windowMs: HOUR,
    message: messages.tooManyApplications,
  });
  const applyPerIp = createLimiter(ctx.db, {
    name: 'apply-ip',
    limit: ctx.limits.applyPerIp,
    windowMs: HOUR,
    message: messages.tooManyApplications,
  });

  // ----- Apply -------------------------------------------------------------------------------------------

  /** The standalone apply page: also where a refused application comes back to, with its status. */
  async function renderApply(req: Request, res: Response, status: number, errors: FieldErrors = {}, values: FormValues = {}) {
    const jobId = parseId(req.params.id);
    const job = jobId === null ? undefined : await findJobSummary(ctx.db, jobId);
    if (!isJobVisible(job)) throw new NotFoundError();
    const [form, contact] = await Promise.all([applyFormLocals(ctx.db, req.user, job.id, ctx.now()), seekerContact(ctx.db, req.user!.id)]);
    res.status(status).render('applications/apply', {
      title: messages.applyTitle(job.title),
      noindex: true,
      breadcrumbs: [{ label: job.title, href: `/jobs/${job.id}` }, { label: '投递' }],
      job: { ...job, open: isJobOpen(job, todayOf(ctx)) },
      resumes: form.resumes,
      alreadyApplied: form.alreadyApplied,
      needsShareConsent: form.needsShareConsent,
      online: form.online,
      phoneVerified: form.phoneVerified,
      contact,
      messageMax: MESSAGE_MAX,
      errors,
      values,
    });
  }

  /** Refuses an unknown job before any upload bytes are written. */
  async function jobMustExist(req: Request, _res: Response, next: (err?: unknown) => void) {
    const jobId = parseId(req.params.id);
    const job = jobId === null ? undefined : await findJobSummary(ctx.db, jobId);
    if (!isJobVisible(job)) return next(new NotFoundError());
    next();
  }

  // ----- Quick apply: visitors without an account ---------------------------------------------------------

  async function renderQuick(req: Request, res: Response, status: number, errors: FieldErrors = {}, values: FormValues = {}, sent: SentCode | null = null) {
    const jobId = parseId(req.params.id);
    if (jobId === null) throw new NotFoundError();
    const job = await quickApplyJob(ctx, jobId);
    const range = birthYearRange(chinaYearMonth(ctx.now()).year);
    res.status(status).render('applications/quick-apply', {
      title: messages.quickTitle(job.title),
      noindex: true,
      breadcrumbs: [{ label: job.title, href: `/jobs/${job.id}` }, { label: '快速报名' }],
      job,
      genders: Object.entries(GENDERS),
      yearMin: range.min,
      yearMax: range.max,
      hasAccount: errors.phone === quickMessages.hasAccount,
      errors,
      values,
      sent,
    });
  }

  /** The quick apply routes answer only visitors; a signed-in user goes on to the routes below. */
  const visitorsOnly = (req: Request, _res: Response, next: (arg?: unknown) => void) => (req.user ? next('route') : next());

  router.get('/jobs/:id/apply', visitorsOnly, (req, res) => renderQuick(req, res, 200));

  router.post('/jobs/:id/apply', visitorsOnly, applyPerIp, async (req, res, next) => {
    const values = formValues(req.body);
    // 获取验证码: only the phone is checked, and the form comes back with everything typed.
    if (values.intent === 'code') {
      const form = parseForm(quickCodeSchema, req.body);
      if (!form.ok) return renderQuick(req, res, 422, form.errors, values);
      try {
        const sent = await requestCode(ctx, { purpose: 'quick_apply', to: form.data.phone, ip: req.ip ?? '', field: 'phone' });
        return await renderQuick(req, res, 200, {}, { ...values, phone: form.data.phone }, sent);
      } catch (err) {
        if (err instanceof ValidationError) return renderQuick(req, res, 422, err.fieldErrors, values);
        if (err instanceof CodeRequestRefused) return renderQuick(req, res, 429, { phone: err.message }, values);
        throw err;
      }
    }
    const form = parseForm(quickApplySchema(chinaYearMonth(ctx.now()).year), req.body);
    if (!form.ok) return renderQuick(req, res, 422, form.errors, form.values);
    let done;
    try {
      done = await quickApply(ctx, { ...form.data, jobId: parseId(req.params.id)!, policyVersion: ctx.config.privacyPolicyVersion });
    } catch (err) {
      if (err instanceof HasAccountError) return renderQuick(req, res, 409, err.fieldErrors, form.values);
      if (err instanceof ValidationError) return renderQuick(req, res, 422, err.fieldErrors, form.values);
      if (err instanceof ConflictError) return renderQuick(req, res, 409, { _form: err.message }, form.values);
      throw err;
    }
    const { user, jobTitle } = done;
    startSession(req, user, (err) => {
      if (err) return next(err);
      flash(req, 'success', messages.quickApplied(jobTitle));
      res.redirect(303, '/me/applications');
    });
  });

  // ----- Apply (signed in) -----------------------------------------------------------------------------

  router.get('/jobs/:id/apply', seeker, (req, res) => renderApply(req, res, 200));

  router.post(
    '/jobs/:id/apply',
    seeker,
    applyPerUser,
    applyPerIp,
    jobMustExist,
    acceptUpload(ctx.storage, RESUME_UPLOAD_RULE),
    async (req: Request, res: Response) => {
      const form = parseForm(applySchema, req.body);
      if (!form.ok) return renderApply(req, res, 422, form.errors, form.values);
      const { resumeId, message, shareConsent } = form.data;
      if (resumeId === 'new' && !req.upload) return renderApply(req, res, 422, { file: messages.uploadNeeded }, form.values);
      try {
        const result = await submitApplication(ctx, {
          seekerId: req.user!.id,
          jobId: parseId(req.params.id)!,
          resumeId: typeof resumeId === 'number' || resumeId === 'none' ? resumeId : null,
          upload: req.upload,
          message,
          shareConsent,
        });
        flash(req, 'success', messages.applied(result.job.title));
        res.redirect(303, '/me/applications');
      } catch (err) {
        if (err instanceof ValidationError) return renderApply(req, res, 422, err.fieldErrors, form.values);
        if (err instanceof ConflictError) return renderApply(req, res, 409, { _form: err.message }, form.values);
        throw err;
      }
    },
    renderUploadErrors((req, res, status, errors) => renderApply(req, res, status, errors, formValues(req.body))),
  );

  // ----- The seeker's applications -----------------------------------------------------------------------

  router.get('/me/applications', seeker, async (req, res) => {
    const page = parsePage(req.query.page);
    const { rows, total } = await listSeekerApplications(ctx.db, req.user!.id, page, PAGE_SIZE);
    const paging = pagingLocals(page, total, '/me/applications');
    const [events, account, online] = await Promise.all([
      listEventsOf(ctx.db, rows.map((r) => r.id)),
      findUserById(ctx.db, req.user!.id),
      loadOnlineResume(ctx.db, req.user!.id),
    ]);
    // A quick-apply account lands here: it is asked to complete the resume and to set a password.
    const completeness = online ? resumeCompleteness(online) : null;
    res.render('applications/mine', {
      needsPassword: !account?.passwordHash,
      resumePercent: completeness?.percent ?? 0,
      title: messages.myApplications,
      noindex: true,
      breadcrumbs: [{ label: '个人中心', href: '/me' }, { label: messages.myApplications }],
      applications: rows.map((r) => ({ ...r, events: events.get(r.id) ?? [], canWithdraw: canTransition('seeker', r.status, 'withdrawn') })),
      statusLabels: APPLICATION_STATUSES,
      ...paging,
    });
  });

  router.post('/me/applications/:id/withdraw', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    await withdrawApplication(ctx.db, req.user!.id, id);
    flash(req, 'success', messages.withdrawn);
    res.redirect(303, '/me/applications');
  });

  // ----- The employer's applicants ------------------------------------------------------------------------

  /** An employer's own job, or a 404 that does not say whether it exists. */
  async function ownJob(req: Request, id: number | null) {
    const job = id === null ? undefined : await findJobSummary(ctx.db, id);
    if (!job || job.employerId !== req.user!.id) throw new NotFoundError();
    return job;
  }

  const presentApplicant = (row: ApplicantRow) => presentApplicantRow(row, ctx.now());

  router.get('/employer/jobs/:id/applications', employer, async (req, res) => {
    const job = await ownJob(req, parseId(req.params.id));
    const status = typeof req.query.status === 'string' && req.query.status in APPLICATION_STATUSES ? (req.query.status as ApplicationStatus) : undefined;
    const page = parsePage(req.query.page);
    const [{ rows, total }, counts] = await Promise.all([
      listApplicantsOfJob(ctx.db, job.id, status, page, PAGE_SIZE),
      countApplicationsByStatus(ctx.db, applicationsOfJob(job.id)),
    ]);
    const paging = pagingLocals(page, total, `/employer/jobs/${job.id}/applications`, { status });
    res.render('applications/applicants', {
      title: messages.applicants(job.title),
      noindex: true,
      breadcrumbs: [{ label: '企业中心', href: '/employer' }, { label: '我的职位', href: '/employer/jobs' }, { label: job.title }],
      job,
      applicants: rows.map(presentApplicant),
      counts,
      allCount: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0),
      status: status ?? '',
      statusLabels: APPLICATION_STATUSES,
      ...paging,
    });
  });

  router.get('/employer/applications/:id', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const row = await findApplicant(ctx.db, id);
    if (!row) throw new NotFoundError();
    const job = await ownJob(req, row.jobId);
    await openApplicationAsEmployer(ctx.db, { id: req.user!.id }, id, job.companyName);
    const [fresh, events, workspace] = await Promise.all([findApplicant(ctx.db, id), listEventsOf(ctx.db, [id]), applicationWorkspaceLocals(ctx.db, req.user!.id, id, ctx.now())]);
    const applicant = presentApplicant(fresh!);
    // The online resume, while the application is active (a withdrawn one, or a deleted account, shows nothing).
    const online = !applicant.anonymised && fresh!.seekerId !== null ? await loadOnlineResume(ctx.db, fresh!.seekerId) : undefined;
    res.render('applications/applicant', {
      // Name and phone as the access rules give them (the profile's, else the account's).
      online: online ? { ...presentResume(online, ctx.now()), name: applicant.name, phone: applicant.phone } : null,
      photoUrl: online?.photoFileId ? `/employer/applications/${id}/photo?v=${online.photoFileId}` : '',
      title: messages.applicant,
      noindex: true,
      breadcrumbs: [
        { label: '企业中心', href: '/employer' },
        { label: job.title, href: `/employer/jobs/${job.id}/applications` },
        { label: messages.applicant },
      ],
      job,
      applicant,
      events: events.get(id) ?? [],
      statusLabels: APPLICATION_STATUSES,
      ...workspace,
    });
  });

  // The applicant's photo, to the employer of an active application only.
  router.get('/employer/applications/:id/photo', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const row = await findApplicant(ctx.db, id);
    if (!row || row.seekerId === null || row.status === 'withdrawn') throw new NotFoundError();
    await ownJob(req, row.jobId);
    const file = await photoFileOf(ctx, row.seekerId);
    if (!file) throw new NotFoundError();
    await sendPrivateFile(res, ctx.storage, file);
  });

  router.post('/employer/applications/:id/status', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(statusSchema, req.body);
    if (!form.ok) throw new ValidationError(form.errors, form.errors.status);
    await changeApplicationStatus(ctx.db, req.user!.id, id, form.data.status);
    flash(req, 'success', messages.statusChanged(APPLICATION_STATUSES[form.data.status]));
    res.redirect(303, safeNextPath((req.body as { next?: unknown }).next) ?? `/employer/applications/${id}`);
  });

  return router;
}
