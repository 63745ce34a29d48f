// Owns the talent pool pages: the seeker's opt-in and invitations (/me/talent), and the verified employer's search
// (/employer/talent), profile view and invitation to apply.
import type { Router } from 'express';
import type { AppContext } from '../../context';
import {
  AVAILABILITY,
  CATEGORIES,
  CERTIFICATES,
  DISTRICTS,
  JOB_TYPES,
  PREFERRED_SETTLEMENTS,
  type Availability,
  type PreferredSettlement,
} from '../../domain/vocabulary';
import { NotFoundError } from '../../errors';
import { normalizeText } from '../../domain/text';
import { flash } from '../../web/flash';
import { dateIso } from '../../web/format';
import { parseId } from '../../web/forms';
import { requireRole, safeNextPath } from '../../web/guards';
import { PAGE_SIZE, pagingLocals, parsePage } from '../../web/pagination';
import {
  invitedJobIds,
  inviteTalent,
  isInTalentPool,
  listTalentInvitations,
  openJobsOf,
  requireVerifiedEmployer,
  searchTalent,
  setTalentPool,
  viewTalent,
  type TalentFilters,
} from './talent.service';

const messages = {
  myTitle: '人才库设置',
  optedIn: '已公开你的简历:认证企业可以在人才库中找到你(不显示姓名和电话)',
  optedOut: '已关闭:企业不会再在人才库中看到你',
  poolTitle: '人才库',
  profileTitle: '人才详情',
  invited: '已发出投递邀请。求职者投递后,你才会看到其姓名和联系方式。',
};

function parseTalentFilters(query: Record<string, unknown>): TalentFilters {
  const text = (v: unknown) => (typeof v === 'string' ? normalizeText(v) : '');
  const district = text(query.district);
  const type = text(query.type);
  const q = text(query.q).slice(0, 30);
  const category = text(query.category);
  const settlement = text(query.settlement);
  const certificate = text(query.cert);
  const availability = text(query.availability);
  return {
    district: (DISTRICTS as readonly string[]).includes(district) ? district : undefined,
    type: type in JOB_TYPES ? (type as keyof typeof JOB_TYPES) : undefined,
    category: (CATEGORIES as readonly string[]).includes(category) ? category : undefined,
    settlement: settlement in PREFERRED_SETTLEMENTS ? (settlement as PreferredSettlement) : undefined,
    certificate: (CERTIFICATES as readonly string[]).includes(certificate) ? certificate : undefined,
    availability: availability in AVAILABILITY ? (availability as Availability) : undefined,
    q: q || undefined,
  };
}

export function addTalentRoutes(router: Router, ctx: AppContext): void {
  const seeker = requireRole('seeker');
  const employer = requireRole('employer');

  // ----- The seeker ---------------------------------------------------------------------------------------

  router.get('/me/talent', seeker, async (req, res) => {
    const [inPool, { invitations, canApply }] = await Promise.all([isInTalentPool(ctx.db, req.user!.id), listTalentInvitations(ctx.db, req.user!.id)]);
    res.render('workspace/my-talent', {
      title: messages.myTitle,
      noindex: true,
      breadcrumbs: [{ label: '个人中心', href: '/me' }, { label: messages.myTitle }],
      inPool,
      invitations,
      canApply,
    });
  });

  router.post('/me/talent', seeker, async (req, res) => {
    const optIn = (req.body as { optIn?: unknown }).optIn === 'yes';
    await setTalentPool(ctx.db, req.user!.id, optIn);
    flash(req, 'success', optIn ? messages.optedIn : messages.optedOut);
    // The switch is also on the online resume (/me/resume), which it returns to.
    res.redirect(303, safeNextPath((req.body as { next?: unknown }).next) ?? '/me/talent');
  });

  // ----- The verified employer ----------------------------------------------------------------------------

  router.get('/employer/talent', employer, async (req, res) => {
    await requireVerifiedEmployer(ctx.db, req.user!.id);
    const filters = parseTalentFilters(req.query as Record<string, unknown>);
    const page = parsePage(req.query.page);
    const { rows, total, exact } = await searchTalent(ctx.db, filters, page, PAGE_SIZE, ctx.now());
    const query = {
      district: filters.district,
      type: filters.type,
      category: filters.category,
      settlement: filters.settlement,
      cert: filters.certificate,
      availability: filters.availability,
      q: filters.q,
    };
    res.render('workspace/talent', {
      title: messages.poolTitle,
      noindex: true,
      breadcrumbs: [{ label: '企业中心', href: '/employer' }, { label: messages.poolTitle }],
      talents: rows,
      exact,
      filters,
      query,
      districts: DISTRICTS,
      types: Object.entries(JOB_TYPES),
      categories: CATEGORIES,
      settlements: Object.entries(PREFERRED_SETTLEMENTS),
      certificates: CERTIFICATES,
      availabilities: Object.entries(AVAILABILITY),
      ...pagingLocals(page, total, '/employer/talent', query),
    });
  });

  router.get('/employer/talent/:id', employer, async (req, res) => {
    const companyName = await requireVerifiedEmployer(ctx.db, req.user!.id);
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const talent = await viewTalent(ctx.db, req.user!.id, companyName, id, ctx.now());
    res.render('workspace/talent-profile', {
      title: messages.profileTitle,
      noindex: true,
      breadcrumbs: [{ label: '企业中心', href: '/employer' }, { label: messages.poolTitle, href: '/employer/talent' }, { label: talent.label }],
      talent,
      jobs: await openJobsOf(ctx.db, req.user!.id, dateIso(ctx.now())),
      invited: await invitedJobIds(ctx.db, req.user!.id, id),
    });
  });

  router.post('/employer/talent/:id/invite', employer, async (req, res) => {
    const id = parseId(req.params.id);
    const jobId = parseId((req.body as { jobId?: unknown }).jobId);
    if (id === null) throw new NotFoundError();
    await inviteTalent(ctx, req.user!.id, id, jobId ?? 0);
    flash(req, 'success', messages.invited);
    res.redirect(303, `/employer/talent/${id}`);
  });
}
