// Owns the client demand form (企业用工需求登记): GET/POST /hire without an account, and the thank-you page.
// The phone is proved by an SMS code (the form's own 获取验证码 button, intent=code), it works without JavaScript
// and keeps what was typed; a honeypot, a per-IP limit and a per-phone limit keep scripts out.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { addDays, chinaDate } from '../../domain/dates';
import { CATEGORIES, DISTRICTS, PAY_UNITS } from '../../domain/vocabulary';
import { TooManyRequestsError, ValidationError, type FieldErrors } from '../../errors';
import { formValues, type FormValues } from '../../web/forms';
import { createLimiter } from '../../web/rateLimit';
import { CodeRequestRefused, requestCode, type SentCode } from '../verification/verification.service';
import { submitLead } from './leads.service';
import { LEAD_DURATIONS, parseHireForm } from './leads.validation';

const messages = {
  title: '企业用工需求登记',
  description: (company: string) => `${company}为深圳企业提供劳务派遣、临时工和兼职用工服务。填写用工需求,顾问尽快回电,免注册。`,
  thanksTitle: '需求已提交',
  tooMany: '提交过于频繁,请稍后再试,或直接拨打客服热线',
  phoneFirst: '请先填写手机号,再获取验证码',
};

const HOUR_MS = 60 * 60 * 1000;
/** The honeypot: hidden from people (and screen readers), filled in by form-spamming scripts. */
export const HONEYPOT_FIELD = 'website';

const isCodeRequest = (req: Request) => (req.body as { intent?: unknown } | undefined)?.intent === 'code';

export function createHireRouter(ctx: AppContext): Router {
  const router = Router();
  // Submissions only: asking for a code has the code channel's own limits.
  const perIp = createLimiter(ctx.db, { name: 'hire-ip', windowMs: HOUR_MS, limit: ctx.limits.hirePerIp, message: messages.tooMany, key: (req) => (isCodeRequest(req) ? undefined : (req.ip ?? 'unknown')) });

  function render(res: Response, status: number, values: FormValues, errors: FieldErrors, sent: SentCode | null) {
    const today = chinaDate(ctx.now());
    res.status(status).render('leads/hire', {
      title: messages.title,
      description: messages.description(ctx.settings.peek().companyName),
      breadcrumbs: [{ label: messages.title }],
      values,
      errors,
      sent,
      minDate: today,
      maxDate: addDays(today, 365),
      options: {
        categories: [['', '请选择'], ...CATEGORIES.map((c) => [c, c])],
        districts: [['', '请选择'], ...DISTRICTS.map((d) => [d, d])],
        durations: Object.entries(LEAD_DURATIONS),
        payUnits: [['', '单位'], ...Object.entries(PAY_UNITS)],
      },
    });
  }

  router.get('/hire', (_req, res) => render(res, 200, { duration: 'long', payUnit: 'day' }, {}, null));

  router.post('/hire', perIp, async (req, res) => {
    const values = formValues(req.body);
    // A filled honeypot is a script: it is shown the thank-you page and nothing is stored or sent.
    if (values[HONEYPOT_FIELD]) {
      ctx.logger.warn({ ip: req.ip }, 'hire form honeypot filled');
      return res.redirect(303, '/hire/thanks');
    }
    if (isCodeRequest(req)) {
      const phone = typeof values.phone === 'string' ? values.phone : '';
      if (!phone) return render(res, 422, values, { phone: messages.phoneFirst }, null);
      try {
        const sent = await requestCode(ctx, { purpose: 'hire', to: phone, ip: req.ip ?? '', field: 'phone', channel: 'sms' });
        return render(res, 200, { ...values, phone: sent.recipient }, {}, sent);
      } catch (err) {
        if (err instanceof ValidationError) return render(res, 422, values, err.fieldErrors, null);
        if (err instanceof CodeRequestRefused) return render(res, 429, values, { phone: err.message }, null);
        throw err;
      }
    }
    const form = parseHireForm(req.body, chinaDate(ctx.now()));
    if (!form.ok) return render(res, 422, form.values, form.errors, null);
    const { code, ...input } = form.data;
    try {
      await submitLead(ctx, input, code);
    } catch (err) {
      if (err instanceof ValidationError) return render(res, 422, form.values, err.fieldErrors, null);
      if (err instanceof TooManyRequestsError) return render(res, 429, form.values, { phone: err.message }, null);
      throw err;
    }
    res.redirect(303, '/hire/thanks');
  });

  router.get('/hire/thanks', async (_req, res) => {
    const site = await ctx.settings.get();
    res.render('leads/thanks', { title: messages.thanksTitle, noindex: true, breadcrumbs: [{ label: messages.title, href: '/hire' }, { label: messages.thanksTitle }], callbackPromise: site.leadCallbackPromise, workingHours: site.workingHours });
  });

  return router;
}
