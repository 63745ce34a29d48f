// Owns /me/security for every role: the password (changed with the old one), the phone and the e-mail (changed with
// a code to the new one, a notice to the old), and the active sessions (device, masked IP, last active; end others).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { maskEmail, maskPhone } from '../../domain/text';
import { NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { flash } from '../../web/flash';
import { orRenderInvalid, parseForm, type FormValues } from '../../web/forms';
import { requireAuth } from '../../web/guards';
import { createLimiter, signedInUserKey } from '../../web/rateLimit';
import { syncProfilePhone } from '../seekers/seekers.service';
import { consumeCode, verifyCode } from '../verification/verification.service';
import { sendSecurityNotice } from './accounts.notices';
import { contactPageData, type ContactKind } from './accounts.pages';
import { changeContact, findUserById, hashPassword, setPasswordHash, verifyPassword } from './accounts.service';
import { changePasswordSchema, emailChangeSchema, phoneChangeSchema } from './accounts.validation';
import { describeDevice, maskIp } from './device';
import { destroyOtherSessions, listUserSessions } from './session.store';

const messages = {
  title: '账号安全',
  wrongPassword: '当前密码不正确',
  passwordChanged: '密码已修改,其他设备上的登录已退出',
  passwordSet: '密码已设置,以后也可以用密码登录',
  phoneVerified: '手机号已验证',
  phoneChanged: '手机号已更换,以后请用新号码登录',
  emailVerified: '邮箱已验证',
  emailChanged: '邮箱已更换',
  endedOthers: (n: number) => (n > 0 ? `已退出其他 ${n} 个设备上的登录` : '没有其他设备在登录'),
  tooMany: '当前密码错误次数过多,请 15 分钟后再试',
};

export function createSecurityRouter(ctx: AppContext): Router {
  const router = Router();
  // Guessing the current password from a stolen session is as bad as guessing it at the login form.
  const wrongPasswords = createLimiter(ctx.db, {
    name: 'password-change',
    windowMs: 15 * 60_000,
    limit: ctx.limits.loginPerAccount,
    message: messages.tooMany,
    onlyFailures: true,
    key: signedInUserKey,
  });

  async function securityPage(req: Request, res: Response, status = 200, values: FormValues = {}, errors: FieldErrors = {}) {
    const user = await findUserById(ctx.db, req.user!.id);
    if (!user) throw new NotFoundError();
    const now = ctx.now();
    const sessions = (await listUserSessions(ctx.db, user.id)).map((s) => ({
      current: s.sid === req.sessionID,
      device: describeDevice(s.userAgent),
      ip: maskIp(s.ip),
      since: s.createdAt,
      lastSeen: s.lastSeenAt,
      lastSeenAgo: formatAgo(s.lastSeenAt, now),
    }));
    res.status(status).render('accounts/security', {
      title: messages.title,
      noindex: true,
      breadcrumbs: [{ label: messages.title }],
      phone: user.phone ? maskPhone(user.phone) : '',
      phoneVerified: Boolean(user.phone && user.phoneVerifiedAt),
      email: user.email ? maskEmail(user.email) : '',
      emailVerified: Boolean(user.email && user.emailVerifiedAt),
      hasPassword: Boolean(user.passwordHash),
      // Staff accounts must be reachable for recovery and alerts (the code budget, for one).
      needsContact: user.role === 'admin' && !user.phoneVerifiedAt && !user.emailVerifiedAt,
      sessions: sessions.sort((a, b) => Number(b.current) - Number(a.current)),
      values,
      errors,
    });
  }

  router.get('/me/security', requireAuth, (req, res) => securityPage(req, res));

  router.post('/me/security/password', requireAuth, wrongPasswords, async (req, res) => {
    const user = await findUserById(ctx.db, req.user!.id);
    if (!user) throw new NotFoundError();
    const form = parseForm(changePasswordSchema({ login: user.login, hasPassword: Boolean(user.passwordHash) }), req.body);
    const values = { ...form.values, currentPassword: '' };
    if (!form.ok) return securityPage(req, res, 422, values, form.errors);
    if (user.passwordHash && !(await verifyPassword(user.passwordHash, form.data.currentPassword ?? ''))) {
      return securityPage(req, res, 422, values, { currentPassword: messages.wrongPassword });
    }
    const passwordHash = await hashPassword(form.data.password);
    await ctx.db.transaction(async (tx) => {
      await setPasswordHash(tx, user.id, passwordHash);
      await destroyOtherSessions(tx, user.id, req.sessionID);
      await sendSecurityNotice(ctx, tx, user, 'password_changed');
    });
    flash(req, 'success', user.passwordHash ? messages.passwordChanged : messages.passwordSet);
    res.redirect(303, '/me/security');
  });

  router.post('/me/security/sessions', requireAuth, async (req, res) => {
    const ended = await destroyOtherSessions(ctx.db, req.user!.id, req.sessionID);
    flash(req, 'success', messages.endedOthers(ended));
    res.redirect(303, '/me/security');
  });

  for (const kind of ['phone', 'email'] as const) routesForContact(router, ctx, kind);
  return router;
}

/** GET/POST /me/security/phone and /me/security/email: a code to the new value proves it; the old one is told. */
function routesForContact(router: Router, ctx: AppContext, kind: ContactKind): void {
  const channel = kind === 'phone' ? 'sms' : 'email';
  const schema = kind === 'phone' ? phoneChangeSchema : emailChangeSchema;
  const path = `/me/security/${kind}`;

  router.get(path, requireAuth, async (req, res) => {
    const data = await contactPageData(ctx, req, kind);
    res.render('accounts/security-contact', { ...data, values: { [kind]: data.prefill }, errors: {}, sent: null });
  });

  router.post(path, requireAuth, async (req, res) => {
    const view = { ...(await contactPageData(ctx, req, kind)), sent: null };
    const form = parseForm(schema, req.body);
    if (!form.ok) return res.status(422).render('accounts/security-contact', { ...view, values: form.values, errors: form.errors });
    const value = kind === 'phone' ? (form.data as { phone: string }).phone : (form.data as { email: string }).email;
    const done = await orRenderInvalid(res, 'accounts/security-contact', view, form.values, async () => {
      const verified = await verifyCode(ctx, { purpose: kind === 'phone' ? 'change_phone' : 'change_email', to: value, code: form.data.code, channel, fields: { to: kind } });
      return ctx.db.transaction(async (tx) => {
        await consumeCode(tx, verified);
        const user = await findUserById(tx, req.user!.id);
        if (!user) throw new ValidationError({ [kind]: '账号不存在' });
        const { previous } = await changeContact(tx, user.id, channel, verified.recipient);
        // The profile employers see carries the account's phone.
        if (kind === 'phone' && user.role === 'seeker') await syncProfilePhone(tx, user.id, verified.recipient);
        const changed = previous !== null && previous !== verified.recipient;
        if (changed) {
          await sendSecurityNotice(ctx, tx, user, kind === 'phone' ? 'phone_changed' : 'email_changed', {
            to: { channel, recipient: previous },
            newValue: verified.recipient,
          });
        }
        return changed;
      });
    });
    if (!done.ok) return;
    const text = kind === 'phone' ? (done.value ? messages.phoneChanged : messages.phoneVerified) : done.value ? messages.emailChanged : messages.emailVerified;
    flash(req, 'success', text);
    res.redirect(303, view.next || '/me/security');
  });
}

function formatAgo(at: Date, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - at.getTime()) / 1000));
  if (s < 600) return '10 分钟内';
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  if (s < 86400) return `${Math.floor(s / 3600)} 小时前`;
  return `${Math.floor(s / 86400)} 天前`;
}
