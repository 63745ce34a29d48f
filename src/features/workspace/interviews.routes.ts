// Owns the interview pages: the employer's invitation form and the outcome of a past interview, and the seeker's
// /me/interviews with the answer form and the .ics file.
import { eq } from 'drizzle-orm';
import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../context';
import { employerProfiles, jobs } from '../../db/schema';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { contentDisposition } from '../../storage/store';
import { flash } from '../../web/flash';
import { parseForm, parseId, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { interviewIcs } from './interviews.ics';
import {
  answerInterview,
  findSeekerInterview,
  INTERVIEW_MODES,
  inviteToInterview,
  listSeekerInterviews,
  placeOf,
  presentInterview,
  recordInterviewOutcome,
  type InterviewMode,
} from './interviews.service';
import { requireOwnApplication } from './notes.service';
import { answerSchema, interviewSchema, outcomeSchema } from './workspace.validation';

const messages = {
  inviteTitle: '邀请面试',
  invited: '面试邀请已发送,求职者会收到站内信和短信(或邮件)',
  myInterviews: '我的面试',
  answered: { accepted: '已接受面试邀请', declined: '已拒绝面试邀请', reschedule: '已告诉企业你希望改期' },
  outcome: '已记录面试结果',
  icsSummary: (job: string, company: string) => `面试:${job}(${company})`,
  icsDescription: (contact: string, phone: string, note: string) => `联系人:${contact} ${phone}${note ? `\n${note}` : ''}`,
};

export function addInterviewRoutes(router: Router, ctx: AppContext): void {
  const employer = requireRole('employer');
  const seeker = requireRole('seeker');

  // ----- The employer -------------------------------------------------------------------------------------

  /** The invitation form, with the company's contact and the job's address filled in the first time. */
  async function renderInvite(req: Request, res: Response, status: number, errors: FieldErrors, values: FormValues | null) {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const app = await requireOwnApplication(ctx.db, req.user!.id, id);
    const [defaults] = await ctx.db
      .select({ place: jobs.address, contactName: employerProfiles.contactName, contactPhone: employerProfiles.contactPhone })
      .from(jobs)
      .leftJoin(employerProfiles, eq(employerProfiles.userId, jobs.employerId))
      .where(eq(jobs.id, app.jobId));
    res.status(status).render('workspace/interview-form', {
      title: messages.inviteTitle,
      noindex: true,
      breadcrumbs: [
        { label: '企业中心', href: '/employer' },
        { label: app.jobTitle, href: `/employer/applications/${app.id}` },
        { label: messages.inviteTitle },
      ],
      applicationId: app.id,
      jobTitle: app.jobTitle,
      modes: Object.entries(INTERVIEW_MODES),
      errors,
      values: values ?? { mode: 'onsite', place: defaults?.place ?? '', contactName: defaults?.contactName ?? '', contactPhone: defaults?.contactPhone ?? '' },
    });
  }

  router.get('/employer/applications/:id/interview', employer, (req, res) => renderInvite(req, res, 200, {}, null));

  router.post('/employer/applications/:id/interview', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(interviewSchema, req.body);
    if (!form.ok) return renderInvite(req, res, 422, form.errors, form.values);
    try {
      await inviteToInterview(ctx, req.user!.id, id, form.data);
    } catch (err) {
      if (err instanceof ConflictError) return renderInvite(req, res, 409, { _form: err.message }, form.values);
      if (err instanceof ValidationError) return renderInvite(req, res, 422, err.fieldErrors, form.values);
      throw err;
    }
    flash(req, 'success', messages.invited);
    res.redirect(303, `/employer/applications/${id}#interviews`);
  });

  router.post('/employer/interviews/:id/outcome', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(outcomeSchema, req.body);
    if (!form.ok) throw new ConflictError(Object.values(form.errors)[0] ?? '');
    const applicationId = await recordInterviewOutcome(ctx, req.user!.id, id, form.data.outcome);
    flash(req, 'success', messages.outcome);
    res.redirect(303, `/employer/applications/${applicationId}#interviews`);
  });

  // ----- The seeker ---------------------------------------------------------------------------------------

  async function renderMine(req: Request, res: Response, status: number, errors: FieldErrors = {}, values: FormValues = {}, formId: number | null = null) {
    const now = ctx.now();
    const rows = await listSeekerInterviews(ctx.db, req.user!.id);
    res.status(status).render('workspace/my-interviews', {
      title: messages.myInterviews,
      noindex: true,
      breadcrumbs: [{ label: '个人中心', href: '/me' }, { label: messages.myInterviews }],
      interviews: rows.map((r) => ({ ...presentInterview(r.interview, now), jobId: r.jobId, jobTitle: r.jobTitle, companyName: r.companyName })),
      answerLabels: { accepted: '接受', declined: '拒绝', reschedule: '希望改期' },
      errors,
      values,
      formId,
    });
  }

  router.get('/me/interviews', seeker, (req, res) => renderMine(req, res, 200));

  router.post('/me/interviews/:id/answer', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(answerSchema, req.body);
    if (!form.ok) return renderMine(req, res, 422, form.errors, form.values, id);
    await answerInterview(ctx.db, req.user!.id, id, form.data.answer, form.data.reply);
    flash(req, 'success', messages.answered[form.data.answer]);
    res.redirect(303, '/me/interviews');
  });

  router.get('/me/interviews/:id.ics', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const { interview, jobTitle, companyName } = await findSeekerInterview(ctx.db, req.user!.id, id);
    const body = interviewIcs({
      uid: `interview-${interview.id}@${req.hostname}`,
      start: interview.startsAt,
      minutes: 60,
      summary: messages.icsSummary(jobTitle, companyName),
      location: placeOf({ mode: interview.mode as InterviewMode, place: interview.place }),
      description: messages.icsDescription(interview.contactName, interview.contactPhone, interview.note),
      stamp: interview.createdAt,
    });
    res.set({
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': contentDisposition(`面试-${interview.id}.ics`, 'attachment'),
      'Cache-Control': 'no-store',
    });
    res.send(body);
  });
}
