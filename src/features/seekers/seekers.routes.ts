// Owns the seeker's own pages: the dashboard, the profile, saved jobs (收藏) and 谁看过我的简历.
import { recommendJobs } from '../alerts/alerts.recommend';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context';
import { APPLICATION_STATUSES, DISTRICTS, GENDERS, JOB_TYPES } from '../../domain/vocabulary';
import { ConflictError, NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { parseForm, parseId, renderInvalid } from '../../web/forms';
import { requireRole, safeNextPath } from '../../web/guards';
import { PAGE_SIZE, pagingLocals, parsePage } from '../../web/pagination';
import { findUserById } from '../accounts/accounts.service';
import { isJobOpen } from '../applications/applications.queries';
import { todayOf } from '../applications/applications.service';
import { findSeekerProfile, listResumeViews, listSavedJobs } from './seekers.queries';
import { profileFormValues, saveSeekerProfile, seekerDashboard, toggleSavedJob } from './seekers.service';
import { AGE_MAX, AGE_MIN, INTRO_MAX, profileSchema } from './seekers.validation';

const messages = {
  dashboard: '个人中心',
  profile: '我的资料',
  profileSaved: '资料已保存',
  saved: '我的收藏',
  savedOne: '已收藏',
  unsavedOne: '已取消收藏',
  resumeViews: '谁看过我的简历',
  actions: { view: '查看了投递', download: '下载了简历', export: '导出了你的投递信息(Excel)', talent_view: '在人才库中查看了你', share: '经派遣公司收到了你的姓名、年龄和手机号(初筛通过)' } as Record<string, string>,
};

const crumbs = (label: string) => [{ label: messages.dashboard, href: '/me' }, { label }];

/** This year in China, for the birth-year range. */
function yearOf(now: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
}

/** Where a toggle returns to: the page that posted it (a same-site path), else the job. */
function backTo(req: Request, fallback: string): string {
  const fromForm = safeNextPath((req.body as { next?: unknown } | undefined)?.next);
  if (fromForm) return fromForm;
  try {
    const ref = new URL(req.get('referer') ?? '');
    if (ref.host === req.get('host')) return safeNextPath(ref.pathname + ref.search) ?? fallback;
  } catch {
    // no usable referer
  }
  return fallback;
}

export function createSeekersRouter(ctx: AppContext): Router {
  const router = Router();
  const seeker = requireRole('seeker');

  router.get('/me', seeker, async (req, res) => {
    const data = await seekerDashboard(ctx, req.user!.id, req.user!.phoneVerified);
    const today = todayOf(ctx);
    res.render('seekers/dashboard', {
      title: messages.dashboard,
      noindex: true,
      ...data,
      recent: data.recent.map((job) => ({ ...job, ended: !isJobOpen(job, today) })),
      statusLabels: APPLICATION_STATUSES,
      recommendations: await recommendJobs(ctx.db, req.user!.id, today),
    });
  });

  const profileView = async (req: Request) => {
    const year = yearOf(ctx.now());
    const account = await findUserById(ctx.db, req.user!.id);
    return {
      // The phone employers see is the account's, changed and verified at /me/security.
      accountPhone: account?.phone ?? '',
      accountPhoneVerified: Boolean(account?.phone && account.phoneVerifiedAt),
      title: messages.profile,
      noindex: true,
      breadcrumbs: crumbs(messages.profile),
      districts: DISTRICTS,
      genders: GENDERS,
      jobTypes: JOB_TYPES,
      yearMin: year - AGE_MAX,
      yearMax: year - AGE_MIN,
      introMax: INTRO_MAX,
    };
  };

  router.get('/me/profile', seeker, async (req, res) => {
    const profile = await findSeekerProfile(ctx.db, req.user!.id);
    res.render('seekers/profile', { ...(await profileView(req)), values: profileFormValues(profile, req.user!), errors: {} });
  });

  router.post('/me/profile', seeker, async (req, res) => {
    const form = parseForm(profileSchema(yearOf(ctx.now())), req.body);
    if (!form.ok) return renderInvalid(res, 'seekers/profile', await profileView(req), form.errors, form.values);
    await saveSeekerProfile(ctx.db, req.user!.id, form.data);
    flash(req, 'success', messages.profileSaved);
    res.redirect(303, '/me');
  });

  router.get('/me/saved', seeker, async (req, res) => {
    const page = parsePage(req.query.page);
    const { rows, total } = await listSavedJobs(ctx.db, req.user!.id, page, PAGE_SIZE);
    const paging = pagingLocals(page, total, '/me/saved');
    const today = todayOf(ctx);
    res.render('seekers/saved', {
      title: messages.saved,
      noindex: true,
      breadcrumbs: crumbs(messages.saved),
      jobs: rows.map((job) => ({ ...job, ended: !isJobOpen(job, today) })),
      ...paging,
    });
  });

  router.post('/jobs/:id/save', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    try {
      const result = await toggleSavedJob(ctx, req.user!.id, id);
      flash(req, 'success', result === 'saved' ? messages.savedOne : messages.unsavedOne);
    } catch (err) {
      // A job that has ended: say so on the page the seeker came from.
      if (!(err instanceof ConflictError)) throw err;
      flash(req, 'error', err.message);
    }
    res.redirect(303, backTo(req, `/jobs/${id}`));
  });

  router.get('/me/resume-views', seeker, async (req, res) => {
    const page = parsePage(req.query.page);
    const { rows, total } = await listResumeViews(ctx.db, req.user!.id, page, PAGE_SIZE);
    const paging = pagingLocals(page, total, '/me/resume-views');
    res.render('seekers/resume-views', {
      title: messages.resumeViews,
      noindex: true,
      breadcrumbs: crumbs(messages.resumeViews),
      views: rows.map((v) => ({ ...v, actionLabel: messages.actions[v.action] ?? v.action })),
      ...paging,
    });
  });

  return router;
}
