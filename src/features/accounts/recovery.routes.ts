// Owns password recovery: /forgot sends a code to the phone or e-mail, /forgot/reset takes it and a new password,
// ends every other session, lifts the login lockout and tells the account holder.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { maskLogin } from '../../domain/text';
import { ValidationError } from '../../errors';
import { flash } from '../../web/flash';
import { orRenderInvalid, parseForm, renderInvalid } from '../../web/forms';
import { clearLimiterKeys, createLimiter } from '../../web/rateLimit';
import { CodeRequestRefused, consumeCode, requestCode, verifyCode } from '../verification/verification.service';
import { landingAfterLogin, startSession } from './accounts.login';
import { sendSecurityNotice } from './accounts.notices';
import { forgotResetData } from './accounts.pages';
import { findUserById, findUserByLogin, hashPassword, markContactVerified, setPasswordHash } from './accounts.service';
import { forgotSchema, resetSchema } from './accounts.validation';
import { destroyUserSessions } from './session.store';

const messages = {
  forgotTitle: '忘记密码',
  noAccount: '该手机号或邮箱还没有注册账号,请先注册',
  disabled: '该账号已被停用,如有疑问请联系客服',
  done: '密码已重置,已为你登录。其他设备上的登录已全部退出',
  tooMany: '尝试次数过多,请 15 分钟后再试',
};

export function createRecoveryRouter(ctx: AppContext): Router {
  const router = Router();
  // The same counter as failed logins: wrong codes here are guesses at an account too.
  const failuresPerIp = createLimiter(ctx.db, { name: 'login-ip', windowMs: 15 * 60_000, limit: ctx.limits.loginPerIp, message: messages.tooMany, onlyFailures: true });
  const forgotView = { title: messages.forgotTitle, noindex: true, description: '用手机或邮箱验证码重置密码' };

  router.get('/forgot', (req, res) => {
    if (req.user) return res.redirect('/me/security');
    res.render('accounts/forgot', { ...forgotView, values: {}, errors: {} });
  });

  router.post('/forgot', async (req, res) => {
    const form = parseForm(forgotSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'accounts/forgot', forgotView, form.errors, form.values);
    try {
      // Sent whether or not the number has an account: the answer must not tell.
      const sent = await requestCode(ctx, { purpose: 'reset', to: form.data.login, ip: req.ip ?? '', field: 'login' });
      req.session.resetTo = sent.recipient;
      res.redirect(303, '/forgot/reset');
    } catch (err) {
      if (err instanceof ValidationError) return renderInvalid(res, 'accounts/forgot', forgotView, err.fieldErrors, form.values);
      if (err instanceof CodeRequestRefused) return res.status(429).render('accounts/forgot', { ...forgotView, values: form.values, errors: { login: err.message } });
      throw err;
    }
  });

  router.get('/forgot/reset', (req, res) => {
    const to = req.session?.resetTo ?? '';
    res.render('accounts/forgot-reset', { ...forgotResetData(), values: { login: to }, errors: {}, sent: to ? { maskedRecipient: maskLogin(to), waitSeconds: ctx.limits.codeIntervalSeconds } : null });
  });

  router.post('/forgot/reset', failuresPerIp, async (req, res, next) => {
    const view = { ...forgotResetData(), sent: null };
    const form = parseForm(resetSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'accounts/forgot-reset', view, form.errors, form.values);
    const { data } = form;
    const reset = await orRenderInvalid(res, 'accounts/forgot-reset', view, form.values, async () => {
      const verified = await verifyCode(ctx, { purpose: 'reset', to: data.login, code: data.code, fields: { to: 'login' } });
      // The code proved the number is the requester's: only now may the page say whether it has an account.
      const user = await findUserByLogin(ctx.db, verified.recipient);
      if (!user) throw new ValidationError({ login: messages.noAccount });
      if (user.status !== 'active') throw new ValidationError({ login: messages.disabled });
      const passwordHash = await hashPassword(data.password);
      await ctx.db.transaction(async (tx) => {
        await consumeCode(tx, verified);
        await setPasswordHash(tx, user.id, passwordHash);
        await markContactVerified(tx, user.id, verified.channel);
        await destroyUserSessions(tx, user.id);
        await clearLimiterKeys(tx, 'login-account', [user.login, user.phone, user.email].filter((k): k is string => Boolean(k)));
        await sendSecurityNotice(ctx, tx, user, 'password_reset');
      });
      return (await findUserById(ctx.db, user.id))!;
    });
    if (!reset.ok) return;
    startSession(req, reset.value, (err) => {
      if (err) return next(err);
      flash(req, 'success', messages.done);
      landingAfterLogin(ctx, reset.value, '').then((to) => res.redirect(303, to), next);
    });
  });

  return router;
}
