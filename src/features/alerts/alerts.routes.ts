// Owns the pages of job alerts: subscribe from a search on /jobs, the seeker's list at /me/alerts (rename, pause,
// frequency, channel, delete), and the one-click unsubscribe link of e-mails and SMS (no login).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { flash } from '../../web/flash';
import { parseForm, parseId, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { listQueryParams, parseJobListQuery } from '../jobs/jobs.validation';
import { createAlert, deleteAlert, listAlerts, MAX_ALERTS_PER_ACCOUNT, messages as alertMessages, searchOf, unsubscribe, updateAlert, verifyUnsubscribeToken, type UnsubscribeTokenForm } from './alerts.service';
import { CHANNELS, DIGEST_HOURS, FREQUENCIES, settingsSchema } from './alerts.validation';

const messages = {
  title: '职位订阅',
  saved: '订阅设置已保存',
  deleted: '订阅已删除',
  unsubscribeTitle: '退订职位提醒',
  badToken: '退订链接无效或已被修改,请从最新的提醒中点击退订,或登录后在“职位订阅”中管理。',
};

const HOURS = Array.from({ length: DIGEST_HOURS.last - DIGEST_HOURS.first + 1 }, (_, i) => DIGEST_HOURS.first + i);

export function createAlertsRouter(ctx: AppContext): Router {
  const router = Router();
  const seeker = requireRole('seeker');

  async function renderList(req: Request, res: Response, status = 200, invalid?: { id: number | 'new'; errors: FieldErrors; values: FormValues }) {
    const alerts = await listAlerts(ctx.db, req.user!.id);
    res.status(status).render('alerts/index', {
      title: messages.title,
      breadcrumbs: [{ label: '我的', href: '/me' }, { label: messages.title }],
      noindex: true,
      alerts: alerts.map((a) => ({ ...a, searchHref: `/jobs${formatQuery(a.search)}` })),
      max: MAX_ALERTS_PER_ACCOUNT,
      frequencies: FREQUENCIES,
      channels: CHANNELS,
      hours: HOURS,
      invalid: invalid ?? null,
    });
  }

  /** The search as a /jobs query string, from the saved fields (never from the request). */
  function formatQuery(search: ReturnType<typeof searchOf>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(listQueryParams({ ...search, type: search.type as never, settlement: search.settlement as never, page: 1 }))) {
      if (Array.isArray(v)) v.forEach((x) => params.append(k, x));
      else if (v !== undefined) params.set(k, v);
    }
    const s = params.toString();
    return s ? `?${s}` : '';
  }

  router.get('/me/alerts', seeker, async (req, res) => renderList(req, res));

  // The 订阅这个搜索 button of /jobs posts the page's query and filters, read by the same parser as the page.
  router.post('/me/alerts', seeker, async (req, res) => {
    const search = searchOf(parseJobListQuery(req.body));
    try {
      const { alert, created } = await createAlert(ctx.db, req.user!.id, search, ctx.now());
      if (created) flash(req, 'success', alertMessages.created(alert.name));
      else flash(req, 'info', alertMessages.already(alert.name));
      res.redirect(303, '/me/alerts');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderList(req, res, 422, { id: 'new', errors: err.fieldErrors, values: {} });
    }
  });

  router.post('/me/alerts/:id', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(settingsSchema, req.body);
    if (!form.ok) return renderList(req, res, 422, { id, errors: form.errors, values: form.values });
    try {
      await updateAlert(ctx.db, req.user!.id, id, form.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderList(req, res, 422, { id, errors: err.fieldErrors, values: form.values });
    }
    flash(req, 'success', messages.saved);
    res.redirect(303, '/me/alerts');
  });

  router.post('/me/alerts/:id/delete', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    await deleteAlert(ctx.db, req.user!.id, id);
    flash(req, 'success', messages.deleted);
    res.redirect(303, '/me/alerts');
  });

  // One click from an e-mail (the long link) or an SMS (the short one), no login: the token is signed per
  // subscription. Clicking twice is harmless.
  const showUnsubscribe = async (res: Response, form: UnsubscribeTokenForm, token: unknown) => {
    res.setHeader('Cache-Control', 'no-store');
    const id = verifyUnsubscribeToken(ctx.config.sessionSecret, token, form);
    if (id === null) {
      return res.status(400).render('alerts/unsubscribed', { title: messages.unsubscribeTitle, noindex: true, ok: false, message: messages.badToken, name: null });
    }
    const name = await unsubscribe(ctx.db, id);
    res.render('alerts/unsubscribed', { title: messages.unsubscribeTitle, noindex: true, ok: true, message: '', name });
  };
  router.get('/alerts/unsubscribe', (req, res) => showUnsubscribe(res, 'link', req.query.token));
  router.get('/u/:token', (req, res) => showUnsubscribe(res, 'sms', req.params.token));

  return router;
}
