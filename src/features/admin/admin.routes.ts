// Owns the back office's own pages: the dashboard (/admin), users (search, disable/enable) and employers
// (search, profile with its license, verify/un-verify). Job moderation, news, settings and the audit log
// have their own routers.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { maskLogin } from '../../domain/text';
import { ConflictError, NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { orRenderInvalid, parseForm, parseId, renderInvalid } from '../../web/forms';
import { requireRole, requireStaff } from '../../web/guards';
import { createConsultant, findUserById, setUserStatus } from '../accounts/accounts.service';
import { consultantCreateSchema } from '../accounts/accounts.validation';
import { listAuditEntries, loadAuditNames } from '../audit/audit.service';
import { codesSentToday } from '../verification/verification.service';
import { presentAuditEntry } from '../audit/audit.present';
import { findLicenseFile } from '../employers/employers.queries';
import { setEmployerVerified } from '../employers/employers.verification';
import { countEmployerJobsByStatus, countJobsByStatus, countOpenReports, listJobsForReview, listOpenReports } from '../jobs/jobs.queries';
import { isProfileComplete } from '../jobs/jobs.service';
import { sendPrivateFile } from '../../web/download';
import { BriefCache, DAILY_DAYS, loadDashboardCharts } from './admin.charts';
import {
  countArticlesByStatus,
  countEmployersAwaitingVerification,
  countUsersByRole,
  findEmployerForAdmin,
  findUserForAdmin,
  listEmployersForAdmin,
  listUsersForAdmin,
  type EmployerFilter,
  type Role,
} from './admin.queries';
import { ADMIN_PAGE_SIZE, parseEmployerListQuery, parseUserListQuery, unverifySchema, verifySchema } from './admin.validation';
import { actorOf, adminPage } from './admin.view';

const messages = {
  dashboardTitle: '管理后台',
  usersTitle: '用户管理',
  employersTitle: '企业管理',
  disabled: (name: string) => `已停用 ${name} 的账号,其登录状态已失效`,
  enabled: (name: string) => `已启用 ${name} 的账号`,
  unchanged: '账号状态没有变化',
  verified: (name: string) => `已认证:${name},企业已收到通知`,
  unverified: (name: string) => `已取消认证:${name},企业已收到通知`,
  alreadyVerified: '该企业已经是认证状态',
  alreadyUnverified: '该企业本来就未认证',
  reasonTooLong: '原因不能超过 200 个字',
  newConsultantTitle: '创建顾问账号',
  consultantCreated: (name: string) => `已创建顾问账号:${name}。请把登录手机号/邮箱和初始密码告诉本人,并提醒其登录后修改密码`,
};

export const ROLE_LABELS: Record<Role, string> = { seeker: '求职者', employer: '企业', admin: '管理员', consultant: '顾问' };
export const STATUS_LABELS = { active: '正常', disabled: '已停用' } as const;
export const EMPLOYER_FILTER_LABELS: Record<EmployerFilter, string> = { all: '全部', unverified: '待认证', verified: '已认证', incomplete: '资料不全' };

const QUEUE_SIZE = 5;

function idOf(req: Request): number {
  const id = parseId(req.params.id);
  if (id === null) throw new NotFoundError();
  return id;
}

/** A page past the end of a non-empty list does not exist. */
function pagesOf(total: number, page: number): number {
  const totalPages = Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE));
  if (page > totalPages) throw new NotFoundError();
  return totalPages;
}

/** A refusal of the rules (the last admin, yourself, a profile changed meanwhile) is said on the page, not as an error page. */
async function orFlashConflict(req: Request, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    flash(req, 'error', err.message);
  }
}

export function createAdminRouter(ctx: AppContext): Router {
  const router = Router();
  const admin = requireRole('admin');
  const chartCache = new BriefCache();

  // ---- Dashboard ----

  // A consultant's back office starts at the leads: the dashboard shows users, news and settings they do not handle.
  router.get('/admin', requireStaff, async (req, res) => {
    if (req.user!.role === 'consultant') return res.redirect('/admin/leads');
    const [charts, users, jobs, articles, openReports, awaiting, pendingJobs, reports, unverified, codesToday, me] = await Promise.all([
      loadDashboardCharts(ctx.db, chartCache, ctx.now()),
      countUsersByRole(ctx.db),
      countJobsByStatus(ctx.db),
      countArticlesByStatus(ctx.db),
      countOpenReports(ctx.db),
      countEmployersAwaitingVerification(ctx.db),
      listJobsForReview(ctx.db, 'pending', { limit: QUEUE_SIZE }),
      listOpenReports(ctx.db, QUEUE_SIZE),
      listEmployersForAdmin(ctx.db, { filter: 'unverified' }, 1, QUEUE_SIZE),
      codesSentToday(ctx),
      findUserById(ctx.db, req.user!.id),
    ]);
    res.render('admin/dashboard', {
      ...adminPage('home', messages.dashboardTitle, []),
      breadcrumbs: [{ label: messages.dashboardTitle }],
      users,
      roleLabels: ROLE_LABELS,
      jobs,
      charts,
      dailyDays: DAILY_DAYS,
      now: ctx.now(),
      articles,
      openReports,
      awaiting,
      pendingJobs,
      reports,
      unverified: unverified.rows,
      // Warnings of the message channel: a production site whose messages only go to the outbox, codes stopped
      // by the daily budget, and an admin nobody could reach (no verified phone or e-mail).
      outboxOnly: ctx.config.isProduction ? ctx.messaging.storesOnly.map((c) => (c === 'sms' ? '短信' : '邮件')) : [],
      codes: { today: codesToday, budget: ctx.config.codeDailyBudget },
      needsContact: Boolean(me && !me.phoneVerifiedAt && !me.emailVerifiedAt),
    });
  });

  // ---- Users ----

  router.get('/admin/users', admin, async (req, res) => {
    const query = parseUserListQuery(req.query);
    const { rows, total } = await listUsersForAdmin(ctx.db, query, query.page, ADMIN_PAGE_SIZE);
    const totalPages = pagesOf(total, query.page);
    res.render('admin/users/index', {
      ...adminPage('users', messages.usersTitle),
      // Lists show logins masked (138****5678); the full login is on the user's own page.
      users: rows.map((u) => ({ ...u, maskedLogin: maskLogin(u.login) })),
      total,
      page: query.page,
      totalPages,
      query,
      baseQuery: { q: query.q || undefined, role: query.role, status: query.status },
      roleLabels: ROLE_LABELS,
      statusLabels: STATUS_LABELS,
    });
  });

  // Consultants (顾问) are the company's staff: only an admin makes their accounts (issue 22).
  const newConsultantView = () => ({
    ...adminPage('users', messages.newConsultantTitle, [{ label: messages.usersTitle, href: '/admin/users' }, { label: messages.newConsultantTitle }]),
  });

  router.get('/admin/users/new', admin, (_req, res) => {
    res.render('admin/users/new', { ...newConsultantView(), values: {}, errors: {} });
  });

  router.post('/admin/users/new', admin, async (req, res) => {
    const form = parseForm(consultantCreateSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'admin/users/new', newConsultantView(), form.errors, form.values);
    const created = await orRenderInvalid(res, 'admin/users/new', newConsultantView(), form.values, () => createConsultant(ctx.db, actorOf(req), form.data));
    if (!created.ok) return;
    flash(req, 'success', messages.consultantCreated(created.value.displayName));
    res.redirect(303, `/admin/users/${created.value.id}`);
  });

  router.get('/admin/users/:id', admin, async (req, res) => {
    const user = await findUserForAdmin(ctx.db, idOf(req));
    if (!user) throw new NotFoundError();
    const history = await listAuditEntries(ctx.db, { targetType: 'user', targetId: String(user.id) }, 1, 20);
    const names = await loadAuditNames(ctx.db, history.rows);
    const { passwordHash: _hash, ...shown } = user;
    res.render('admin/users/show', {
      ...adminPage('users', user.displayName, [{ label: messages.usersTitle, href: '/admin/users' }, { label: user.displayName }]),
      user: shown,
      isSelf: user.id === req.user!.id,
      history: history.rows.map((row) => presentAuditEntry(row, names)),
      roleLabels: ROLE_LABELS,
      statusLabels: STATUS_LABELS,
    });
  });

  for (const [path, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    router.post(`/admin/users/:id/${path}`, admin, async (req: Request, res: Response) => {
      const id = idOf(req);
      await orFlashConflict(req, async () => {
        const before = await findUserForAdmin(ctx.db, id);
        const after = await setUserStatus(ctx.db, actorOf(req), id, status);
        if (before?.status === after.status) flash(req, 'info', messages.unchanged);
        else flash(req, 'success', status === 'disabled' ? messages.disabled(after.displayName) : messages.enabled(after.displayName));
      });
      res.redirect(303, `/admin/users/${id}`);
    });
  }

  // ---- Employers ----

  router.get('/admin/employers', admin, async (req, res) => {
    const query = parseEmployerListQuery(req.query);
    const { rows, total } = await listEmployersForAdmin(ctx.db, { q: query.q || undefined, filter: query.filter }, query.page, ADMIN_PAGE_SIZE);
    const totalPages = pagesOf(total, query.page);
    res.render('admin/employers/index', {
      ...adminPage('employers', messages.employersTitle),
      employers: rows.map((e) => ({ ...e, maskedLogin: maskLogin(e.login) })),
      total,
      page: query.page,
      totalPages,
      query,
      baseQuery: { q: query.q || undefined, filter: query.filter === 'all' ? undefined : query.filter },
      filters: Object.entries(EMPLOYER_FILTER_LABELS),
    });
  });

  router.get('/admin/employers/:id', admin, async (req, res) => {
    const employer = await findEmployerForAdmin(ctx.db, idOf(req));
    if (!employer) throw new NotFoundError();
    const [jobCounts, history] = await Promise.all([
      countEmployerJobsByStatus(ctx.db, employer.user.id),
      listAuditEntries(ctx.db, { targetType: 'employer', targetId: String(employer.user.id) }, 1, 20),
    ]);
    const names = await loadAuditNames(ctx.db, history.rows);
    const name = employer.profile?.companyName ?? employer.user.displayName;
    res.render('admin/employers/show', {
      ...adminPage('employers', name, [{ label: messages.employersTitle, href: '/admin/employers' }, { label: name }]),
      ...employer,
      complete: isProfileComplete(employer.profile ?? undefined),
      jobCounts,
      history: history.rows.map((row) => presentAuditEntry(row, names)),
      statusLabels: STATUS_LABELS,
    });
  });

  router.get('/admin/employers/:id/license', admin, async (req, res) => {
    const file = await findLicenseFile(ctx.db, idOf(req));
    if (!file) throw new NotFoundError();
    await sendPrivateFile(res, ctx.storage, file);
  });

  router.post('/admin/employers/:id/verify', admin, async (req, res) => {
    const id = idOf(req);
    const form = parseForm(verifySchema, req.body);
    await orFlashConflict(req, async () => {
      const result = await setEmployerVerified(ctx.db, actorOf(req), id, true, { now: ctx.now(), seen: form.ok ? form.data.seen : '' });
      flash(req, result.changed ? 'success' : 'info', result.changed ? messages.verified(result.companyName) : messages.alreadyVerified);
    });
    res.redirect(303, `/admin/employers/${id}`);
  });

  router.post('/admin/employers/:id/unverify', admin, async (req, res) => {
    const id = idOf(req);
    const form = parseForm(unverifySchema, req.body);
    if (!form.ok) {
      flash(req, 'error', messages.reasonTooLong);
      return res.redirect(303, `/admin/employers/${id}`);
    }
    await orFlashConflict(req, async () => {
      const result = await setEmployerVerified(ctx.db, actorOf(req), id, false, { now: ctx.now(), reason: form.data.reason });
      flash(req, result.changed ? 'success' : 'info', result.changed ? messages.unverified(result.companyName) : messages.alreadyUnverified);
    });
    res.redirect(303, `/admin/employers/${id}`);
  });

  return router;
}
