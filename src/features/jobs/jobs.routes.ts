// Owns the public job pages: the list with filters and Chinese search, the category pages
// (/linshigong, /jianzhi, /paiqian), a job's page, and reporting a job.
import { visitorSubscribeHref } from '../alerts/alerts.visitor';
import { findSubscription, searchOf } from '../alerts/alerts.service';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { applyFormLocals, NO_APPLY_FORM } from '../applications/applications.service';
import { isJobSaved, recordJobView, seekerContact } from '../seekers/seekers.service';
import { chinaDate } from '../../domain/dates';
import { collapsedStart } from '../../domain/text';
import { BENEFITS, CATEGORIES, DISTRICTS, JOB_STATUSES, JOB_TYPES, REPORT_REASONS, SETTLEMENTS, type JobType } from '../../domain/vocabulary';
import { NotFoundError, type FieldErrors } from '../../errors';
import { POPULAR_SEARCHES } from '../../search/jobTerms';
import { flash } from '../../web/flash';
import { parseForm, parseId, type FormValues } from '../../web/forms';
import { requireAuth } from '../../web/guards';
import type { PageView } from '../../web/locals';
import { jsonLdScript } from '../../web/jsonLd';
import { createLimiter } from '../../web/rateLimit';
import { jobPostingData } from './jobs.jsonld';
import { maskJobText } from './jobs.masking';
import { listSimilarJobsCached, searchListedJobsCached } from './jobs.cache';
import { EXACT_HEADER, RESULTS_HEADER } from '../../search/search.analytics';
import { findJobWithEmployer, findJobWithGenerations, type JobWithEmployer } from './jobs.queries';
import { generationsOf, type Generations } from '../../db/generations';
import { isPubliclyVisible, reportJob } from './jobs.service';
import { listQueryParams, MAX_PAGE, PAGE_SIZE, parseJobListQuery, reportSchema, type JobListQuery } from './jobs.validation';

const messages = {
  listTitle: '深圳招聘信息_找工作',
  listDescription: '深圳临时工、兼职、日结、劳务派遣职位,按区域、结算方式、薪资筛选。职位经人工审核,求职全程免费。',
  searchTitle: (q: string) => `${q}招聘信息`,
  pageSuffix: (page: number) => ` - 第${page}页`,
  tooManyReports: '举报过于频繁,请稍后再试',
  reported: '举报已提交,管理员会尽快核实处理。感谢你的监督!',
  reportedAlready: '你已经举报过这个职位,管理员正在处理。',
  reportInvalid: '举报未提交,请检查举报原因和补充说明',
};

/** The category pages: the list with the type preset, each with its own heading and description. */
const CATEGORY_PAGES: Record<string, { type: JobType; h1: string; title: string; description: string }> = {
  '/linshigong': {
    type: 'temp',
    h1: '临时工招聘信息',
    title: '深圳临时工招聘信息_日结临时工',
    description: '深圳临时工招聘:日结、周结、完工结的短期岗位,工厂普工、仓库分拣、搬运装卸等,当天可上岗。不收任何费用。',
  },
  '/jianzhi': {
    type: 'parttime',
    h1: '兼职招聘信息',
    title: '深圳兼职招聘信息_小时工_周末兼职',
    description: '深圳兼职招聘:餐厅服务员、促销、派单、小时工等兼职岗位,按小时或按天计薪。正规企业发布,经人工审核。',
  },
  '/paiqian': {
    type: 'dispatch',
    h1: '劳务派遣',
    title: '深圳劳务派遣招聘_派遣工作',
    description: '深圳劳务派遣职位:每个职位写明派遣单位(持劳务派遣经营许可证)和用工单位,依法签订劳动合同,同工同酬。',
  },
};

const ENDED_STATUSES = new Set(['closed', 'expired']);

/** The report form's reasons as the field partial's options, made once (the form reads them, never changes them). */
const REPORT_REASON_OPTIONS = Object.entries(REPORT_REASONS);

export function createJobsRouter(ctx: AppContext): Router {
  const router = Router();
  const reportPerIp = createLimiter(ctx.db, {
    name: 'report-ip',
    windowMs: 60 * 60 * 1000,
    limit: ctx.limits.reportPerIp,
    message: messages.tooManyReports,
  });

  async function list(req: Request, res: Response, basePath: string) {
    const page = CATEGORY_PAGES[basePath];
    const preset = page ? { type: page.type } : {};
    const query = parseJobListQuery(req.query, preset);
    if (query.page > MAX_PAGE) throw new NotFoundError();
    const result = await searchListedJobsCached(ctx.db, query, chinaDate(ctx.now()), res.locals.arrivedAt as number | undefined);
    const totalPages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    // A page past the end does not exist (product.md): 404, not an empty list or a silent clamp.
    if (query.page > totalPages) throw new NotFoundError();
    const params = listQueryParams(query, preset);
    // Read by the search analytics (search.analytics.ts), on kept pages too: the page cache replays it.
    if (query.q) {
      res.setHeader(RESULTS_HEADER, String(result.total));
      res.setHeader(EXACT_HEADER, String(result.exact));
    }
    const heading = page?.h1 ?? (query.q ? `“${query.q}”的搜索结果` : '全部职位');
    res.render('jobs/index', {
      title: (page ? page.title : query.q ? messages.searchTitle(query.q) : messages.listTitle) + (query.page > 1 ? messages.pageSuffix(query.page) : ''),
      description: page?.description ?? messages.listDescription,
      // The list's own address, with its page: filters and searches are left out (those pages are noindex).
      canonical: ctx.config.publicUrl + basePath + (query.page > 1 ? `?page=${query.page}` : ''),
      breadcrumbs: page ? [{ label: page.h1 }] : [{ label: '职位', href: '/jobs' }, ...(query.q ? [{ label: query.q }] : [])],
      // Search results and filtered or paged lists are not pages of their own for search engines.
      noindex: Boolean(query.q || query.page > 1 || Object.entries(params).some(([k, v]) => k !== 'q' && v !== undefined)),
      heading,
      basePath,
      preset,
      query,
      params,
      result,
      page: query.page,
      pageSize: PAGE_SIZE,
      totalPages,
      activeFilters: activeFilters(query, params),
      // A visitor's 订阅这个搜索: sign in, then back to this search with the subscription made (alerts.visitor.ts).
      alertSubscribeHref: visitorSubscribeHref({ ...params, type: query.type }),
      // A seeker already subscribed to this very search sees 已订阅 instead of the button.
      subscribedAlert: req.user?.role === 'seeker' ? await findSubscription(ctx.db, req.user.id, searchOf(query)) : undefined,
      popularSearches: POPULAR_SEARCHES,
      options: filterOptions(),
    });
  }

  router.get('/jobs', (req, res) => list(req, res, '/jobs'));
  for (const path of Object.keys(CATEGORY_PAGES)) router.get(path, (req, res) => list(req, res, path));

  async function loadViewable(req: Request): Promise<{ job: JobWithEmployer; preview: boolean }> {
    const viewable = await findViewable(ctx, req.params.id, req.user);
    if (!viewable) throw new NotFoundError();
    return viewable;
  }

  async function renderJob(req: Request, res: Response, written: JobWithEmployer, preview: boolean, report?: ReportForm, status = 200) {
    res.status(status).render('jobs/show', await jobPageLocals(ctx, req.user, written, preview, res.locals.arrivedAt as number | undefined, report));
  }

  router.get('/jobs/:id', async (req, res) => {
    const { job, preview } = await loadViewable(req);
    await renderJob(req, res, job, preview);
  });

  router.post('/jobs/:id/report', requireAuth, reportPerIp, async (req, res) => {
    const { job, preview } = await loadViewable(req);
    if (preview) throw new NotFoundError();
    const form = parseForm(reportSchema, req.body);
    if (!form.ok) {
      res.locals.flashes = [{ type: 'error', text: messages.reportInvalid }];
      return renderJob(req, res, job, false, { errors: form.errors, values: form.values }, 422);
    }
    const { created } = await reportJob(ctx.db, req.user!.id, job.id, form.data, ctx.now());
    flash(req, created ? 'success' : 'info', created ? messages.reported : messages.reportedAlready);
    res.redirect(303, `/jobs/${job.id}`);
  });

  return router;
}

/** The job at `rawId` if `user` may see its page: its owner and admins see a hidden job as a preview. */
async function findViewable(ctx: AppContext, rawId: unknown, user: Express.User | undefined): Promise<{ job: JobWithEmployer; preview: boolean } | undefined> {
  const id = parseId(rawId);
  return viewableOf(id === null ? undefined : await findJobWithEmployer(ctx.db, id), user);
}

function viewableOf(job: JobWithEmployer | undefined, user: Express.User | undefined): { job: JobWithEmployer; preview: boolean } | undefined {
  if (!job) return undefined;
  if (isPubliclyVisible(job)) return { job, preview: false };
  const privileged = user?.role === 'admin' || (user?.role === 'employer' && user.id === job.employerId);
  return privileged ? { job, preview: true } : undefined;
}

type ReportForm = { errors: FieldErrors; values: FormValues };

/**
 * What a job page shows `user` (undefined: an anonymous reader). `since`: when the request arrived; the similar
 * jobs come from an index whose 'listed_jobs' generation was read after it.
 */
async function jobPageLocals(ctx: AppContext, user: Express.User | undefined, written: JobWithEmployer, preview: boolean, since: number | undefined, report: ReportForm = { errors: {}, values: {} }) {
  // Visitors who are not signed in, and search engines, never read a mobile number in the job's text.
  const masked = maskJobText(written);
  const job = user ? written : masked;
  const today = chinaDate(ctx.now());
  const ended = ENDED_STATUSES.has(job.status) || (job.status === 'published' && job.validUntil < today);
  const live = !preview && !ended;
  const seeker = live && user?.role === 'seeker' ? user : null;
  // A reader who is not a seeker waits for the similar jobs alone (one await less per page drawn for the cache).
  const [similar, applyForm, saved, contact] = seeker
    ? await Promise.all([
        listSimilarJobsCached(ctx.db, job, today, since),
        applyFormLocals(ctx.db, seeker, job.id, ctx.now()),
        isJobSaved(ctx.db, seeker.id, job.id),
        seekerContact(ctx.db, seeker.id),
        // 最近浏览: the seeker's dashboard lists the jobs they opened.
        recordJobView(ctx.db, seeker.id, job.id),
      ])
    : [await listSimilarJobsCached(ctx.db, job, today, since), NO_APPLY_FORM, false, null];
  return {
    title: `${job.title}_${job.district}${JOB_TYPES[job.type]}招聘`,
    description: `${masked.companyName ?? ''}招聘${masked.title}:${masked.district},${masked.headcount}人,${collapsedStart(masked.description, 90)}`,
    breadcrumbs: [{ label: '职位', href: '/jobs' }, { label: job.title }],
    noindex: !live,
    ogType: 'article',
    headExtra: live ? jsonLdScript(jobPostingData(masked, ctx.config.publicUrl)) : '',
    job,
    ended,
    preview,
    statusLabel: JOB_STATUSES[job.status],
    showContact: Boolean(user),
    jobBar: jobBarOf(user, job, live, applyForm.alreadyApplied),
    similar,
    reportReasons: REPORT_REASON_OPTIONS,
    reportErrors: report.errors,
    reportValues: report.values,
    loginNext: `/login?next=${encodeURIComponent(`/jobs/${job.id}`)}`,
    resumes: applyForm.resumes,
    alreadyApplied: applyForm.alreadyApplied,
    needsShareConsent: applyForm.needsShareConsent,
    online: applyForm.online,
    phoneVerified: applyForm.phoneVerified,
    contact,
    saved,
  };
}

/**
 * A job page as a reader without a session gets it, for the page cache to draw ahead of Express's chain
 * (app.ts): the same locals as the route's. Undefined for an id no page has, or a job not shown to the public:
 * Express answers those (the 404 page).
 */
export async function anonymousJobPage(ctx: AppContext, rawId: string, since: number | undefined): Promise<PageView | undefined> {
  const id = parseId(rawId);
  return anonymousJobView(ctx, id === null ? undefined : await findJobWithEmployer(ctx.db, id), since);
}

/** The page of `job` for a reader without a session; undefined when the public may not see it. */
async function anonymousJobView(ctx: AppContext, job: JobWithEmployer | undefined, since: number | undefined): Promise<PageView | undefined> {
  const viewable = viewableOf(job, undefined);
  return viewable && { view: 'jobs/show', locals: await jobPageLocals(ctx, undefined, viewable.job, viewable.preview, since) };
}

/**
 * The change generations and, from the same statement, what `anonymousJobPage` gives: for the page cache to look a
 * job page up and draw it on a miss with one query (app.ts).
 */
export async function anonymousJobPageRead(ctx: AppContext, rawId: string): Promise<{ generations: Generations; page: (since: number | undefined) => Promise<PageView | undefined> }> {
  const id = parseId(rawId);
  if (id === null) return { generations: await generationsOf(ctx.db).read(), page: async () => undefined };
  const { generations, job } = await findJobWithGenerations(ctx.db, id);
  return { generations, page: (since) => anonymousJobView(ctx, job, since) };
}

/**
 * The fixed bottom bar of a job page on phones: 立即报名 for visitors (quick apply) and seekers, and 电话咨询 with
 * the job's number where the page shows it in full (signed-in users). Employers and admins keep the hotline bar.
 */
function jobBarOf(user: Express.User | undefined, job: { id: number; contactPhone: string }, live: boolean, applied: boolean) {
  if (!live || (user && user.role !== 'seeker')) return null;
  return {
    applyHref: applied ? '/me/applications' : `/jobs/${job.id}/apply`,
    applyLabel: applied ? '已报名,查看' : '立即报名',
    tel: user ? job.contactPhone : '',
  };
}

function filterOptions() {
  return {
    types: Object.entries(JOB_TYPES),
    districts: DISTRICTS.map((d) => [d, d]),
    settlements: Object.entries(SETTLEMENTS),
    categories: CATEGORIES.map((c) => [c, c]),
    benefits: BENEFITS.map((b) => [b, b]),
  };
}

/** Each active filter with the link that removes it, for the chips above the results and the empty state. */
function activeFilters(query: JobListQuery, params: ReturnType<typeof listQueryParams>): { label: string; without: Record<string, unknown> }[] {
  const out: { label: string; without: Record<string, unknown> }[] = [];
  const without = (key: string, value?: string) => {
    if (key !== 'benefits' || !value) return { ...params, [key]: undefined };
    return { ...params, benefits: query.benefits.filter((b) => b !== value) };
  };
  if (params.type && query.type) out.push({ label: JOB_TYPES[query.type], without: without('type') });
  if (query.district) out.push({ label: query.district, without: without('district') });
  if (query.settlement) out.push({ label: SETTLEMENTS[query.settlement], without: without('settlement') });
  if (query.category) out.push({ label: query.category, without: without('category') });
  if (query.payMin) out.push({ label: `日薪 ≥ ${query.payMin} 元`, without: without('payMin') });
  for (const b of query.benefits) out.push({ label: b, without: without('benefits', b) });
  return out;
}
