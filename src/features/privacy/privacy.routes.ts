// Owns the privacy pages of an account: accepting a new policy version (/consent), the data export
// (/me/export) and account deletion (/me/delete).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { PRIVACY_POLICY_EFFECTIVE_DATE } from '../../domain/policy';
import { ValidationError } from '../../errors';
import { contentDisposition } from '../../storage/store';
import { flash } from '../../web/flash';
import { dateIso } from '../../web/format';
import { parseForm, renderInvalid } from '../../web/forms';
import { requireAuth, requireRole, safeNextPath } from '../../web/guards';
import { createLimiter, signedInUserKey } from '../../web/rateLimit';
import { homeOf } from '../accounts/accounts.routes';
import { needsPolicyConsent, recordPolicyConsent } from './privacy.consent';
import { deleteAccount, deletionSummary } from './privacy.deletion';
import { collectExport, writeExportZip } from './privacy.export';
import { renderExportPage } from './privacy.exportPage';
import { deleteAccountSchema, policyConsentSchema } from './privacy.validation';

const messages = {
  consentTitle: '隐私政策已更新',
  consentThanks: '感谢你的确认,新版隐私政策已生效',
  deleteTitle: '注销账户',
  deleted: '你的账户已注销,个人信息和上传的文件已删除。感谢你曾经使用本站。',
  tooManyTries: '密码错误次数过多,请 15 分钟后再试',
  exportName: (date: string) => `我的数据-${date}.zip`,
};

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export function createPrivacyRouter(ctx: AppContext): Router {
  const router = Router();
  const version = ctx.config.privacyPolicyVersion;

  // ----- A new policy version ----------------------------------------------------------------------------

  const consentView = { title: messages.consentTitle, noindex: true, version, effectiveDate: PRIVACY_POLICY_EFFECTIVE_DATE, retentionDays: ctx.config.resumeRetentionDays };

  router.get('/consent', requireAuth, (req, res) => {
    if (!needsPolicyConsent(req.user, version)) return res.redirect(homeOf(req.user!.role));
    res.render('privacy/consent', { ...consentView, previous: req.user!.policyVersion, errors: {}, values: {} });
  });

  router.post('/consent', requireAuth, async (req, res) => {
    if (!needsPolicyConsent(req.user, version)) return res.redirect(303, homeOf(req.user!.role));
    const form = parseForm(policyConsentSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'privacy/consent', { ...consentView, previous: req.user!.policyVersion }, form.errors, form.values);
    await recordPolicyConsent(ctx.db, req.user!.id, version);
    const back = safeNextPath(req.session.returnTo);
    delete req.session.returnTo;
    flash(req, 'success', messages.consentThanks);
    res.redirect(303, back && !back.startsWith('/consent') ? back : homeOf(req.user!.role));
  });

  // ----- Export ------------------------------------------------------------------------------------------

  router.get('/me/export', requireAuth, async (req, res) => {
    const now = ctx.now();
    const bundle = await collectExport(ctx.db, req.user!.id, now);
    const page = await renderExportPage(bundle.data, (await ctx.settings.get()).siteName);
    res.set({
      'Content-Type': 'application/zip',
      'Content-Disposition': contentDisposition(messages.exportName(dateIso(now)), 'attachment'),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    ctx.logger.info({ userId: req.user!.id, files: bundle.files.length }, 'data export');
    // Headers are out once the first bytes go: a failure after that can only cut the download short.
    await writeExportZip(ctx.storage, bundle, res, page).catch((err: unknown) => {
      ctx.logger.warn({ err, userId: req.user!.id }, 'data export interrupted');
      res.destroy();
    });
  });

  // ----- Deletion ----------------------------------------------------------------------------------------

  const deleter = requireRole('seeker', 'employer');
  const wrongPasswordLimit = createLimiter(ctx.db, {
    name: 'delete-account',
    windowMs: FIFTEEN_MINUTES,
    limit: ctx.limits.loginPerAccount,
    message: messages.tooManyTries,
    onlyFailures: true,
    key: signedInUserKey,
  });

  async function renderDelete(req: Request, res: Response, status: number, errors: Record<string, string> = {}) {
    const summary = await deletionSummary(ctx, req.user!.id);
    res.status(status).render('privacy/delete', {
      title: messages.deleteTitle,
      noindex: true,
      breadcrumbs: [{ label: req.user!.role === 'employer' ? '企业中心' : '个人中心', href: homeOf(req.user!.role) }, { label: messages.deleteTitle }],
      role: req.user!.role,
      summary,
      errors,
      values: {},
    });
  }

  router.get('/me/delete', deleter, (req, res) => renderDelete(req, res, 200));

  router.post('/me/delete', deleter, wrongPasswordLimit, async (req, res, next) => {
    const form = parseForm(deleteAccountSchema, req.body);
    if (!form.ok) return renderDelete(req, res, 422, form.errors);
    try {
      await deleteAccount(ctx, req.user!.id, form.data.password);
    } catch (err) {
      if (err instanceof ValidationError) return renderDelete(req, res, 422, err.fieldErrors);
      throw err;
    }
    // The session row went with the account; logout gives this browser a fresh, empty session for the message.
    req.logout((err) => {
      if (err) return next(err);
      flash(req, 'success', messages.deleted);
      res.redirect(303, '/');
    });
  });

  return router;
}
