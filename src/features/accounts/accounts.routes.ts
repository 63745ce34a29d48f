// Owns the account pages: signup with a code, login with a password or a code, logout, and POST /auth/code,
// which sends a code and shows the same form again with what was typed (it works without JavaScript).
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { PassportStatic } from 'passport';
import type { AppContext } from '../../context';
import { safeNextPath, requireAuth } from '../../web/guards';
import { flash } from '../../web/flash';
import { formValues, orRenderInvalid, parseForm, renderInvalid, type FormValues } from '../../web/forms';
import { createLimiter } from '../../web/rateLimit';
import { ValidationError, type FieldErrors } from '../../errors';
import { CodeRequestRefused, consumeCode, requestCode, verifyCode, type CodePurpose, type SentCode } from '../verification/verification.service';
import { createUser, findUserById, findUserByLogin, markContactVerified } from './accounts.service';
import { codeLoginSchema, codeRequestSchema, loginSchema, normalizeLogin, recipientSchemas, signupSchema } from './accounts.validation';
import { actOnNext, homeOf, landingAfterLogin, startSession } from './accounts.login';
import { contactPageData, forgotResetData } from './accounts.pages';

export { homeOf };

const messages = {
  tooManyLogins: '登录失败次数过多,请 15 分钟后再试',
  tooManySignups: '注册过于频繁,请稍后再试',
  welcome: (name: string) => `注册成功,欢迎你,${name}!`,
  loggedOut: '你已安全退出',
  signupTitle: '注册',
  loginTitle: '登录',
  loginDescription: (site: string) => `登录${site}`,
  codeLoginTitle: '验证码登录',
  noAccount: '该手机号或邮箱还没有注册账号,请先注册',
  disabled: '该账号已被停用,如有疑问请联系客服',
};

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Renders a page that has a "获取验证码" button posting to /auth/code, with its notice once a code was sent. */
type CodeFormRenderer = (req: Request, res: Response, status: number, values: FormValues, errors: FieldErrors, sent: SentCode | null) => Promise<void> | void;

export function createAccountsRouter(ctx: AppContext, passport: PassportStatic): Router {
  const router = Router();
  const limits = ctx.limits;

  // Failed logins are counted per account and per IP; a successful one does not count.
  const loginPerAccount = createLimiter(ctx.db, {
    name: 'login-account',
    windowMs: FIFTEEN_MINUTES,
    limit: limits.loginPerAccount,
    message: messages.tooManyLogins,
    onlyFailures: true,
    key: (req) => {
      const login = (req.body as { login?: unknown } | undefined)?.login;
      return typeof login === 'string' && login.trim() ? normalizeLogin(login).slice(0, 100) : undefined;
    },
  });
  const loginPerIp = createLimiter(ctx.db, {
    name: 'login-ip',
    windowMs: FIFTEEN_MINUTES,
    limit: limits.loginPerIp,
    message: messages.tooManyLogins,
    onlyFailures: true,
  });
  const signupPerIp = createLimiter(ctx.db, {
    name: 'signup-ip',
    windowMs: 60 * 60 * 1000,
    limit: limits.signupPerIp,
    message: messages.tooManySignups,
  });

  const nextOf = (req: Request) => safeNextPath(req.method === 'GET' ? req.query.next : (req.body as { next?: unknown }).next) ?? '';

  const signupView = (req: Request) => ({
    title: messages.signupTitle,
    description: '免费注册,找临时工、兼职和劳务派遣工作,或发布招聘信息。',
    next: nextOf(req),
  });
  const codeLoginView = (req: Request) => ({ title: messages.codeLoginTitle, description: '用手机验证码登录,无需密码', next: nextOf(req), noindex: true });

  // Quick apply and `hire` (the client demand form) send their codes from their own POST (intent=code), not through /auth/code.
  const renderers: Record<Exclude<CodePurpose, 'quick_apply' | 'hire'>, { field: 'login' | 'phone' | 'email'; signedIn?: boolean; render: CodeFormRenderer }> = {
    signup: {
      field: 'login',
      render: (req, res, status, values, errors, sent) => void res.status(status).render('accounts/signup', { ...signupView(req), values, errors, sent }),
    },
    login: {
      field: 'login',
      render: (req, res, status, values, errors, sent) => void res.status(status).render('accounts/login-code', { ...codeLoginView(req), values, errors, sent }),
    },
    reset: {
      field: 'login',
      render: (_req, res, status, values, errors, sent) => void res.status(status).render('accounts/forgot-reset', { ...forgotResetData(), values, errors, sent }),
    },
    change_phone: {
      field: 'phone',
      signedIn: true,
      render: async (req, res, status, values, errors, sent) => res.status(status).render('accounts/security-contact', { ...(await contactPageData(ctx, req, 'phone')), values, errors, sent }),
    },
    change_email: {
      field: 'email',
      signedIn: true,
      render: async (req, res, status, values, errors, sent) => res.status(status).render('accounts/security-contact', { ...(await contactPageData(ctx, req, 'email')), values, errors, sent }),
    },
  };

  // ---- Sending a code: the "获取验证码" button of every form above posts here (formaction) ----

  router.post('/auth/code', async (req, res, next) => {
    const purpose = codeRequestSchema.safeParse(req.body);
    if (!purpose.success) throw new ValidationError({ purpose: purpose.error.issues[0]!.message });
    const form = renderers[purpose.data.purpose];
    if (form.signedIn && !req.user) return requireAuth(req, res, next);
    const values = formValues(req.body);
    const recipient = recipientSchemas[form.field].safeParse(values[form.field] ?? '');
    if (!recipient.success) return form.render(req, res, 422, values, { [form.field]: recipient.error.issues[0]!.message }, null);
    try {
      const sent = await requestCode(ctx, { purpose: purpose.data.purpose, to: recipient.data, ip: req.ip ?? '', field: form.field });
      await form.render(req, res, 200, { ...values, [form.field]: recipient.data }, {}, sent);
    } catch (err) {
      if (err instanceof ValidationError) return form.render(req, res, 422, values, err.fieldErrors, null);
      if (err instanceof CodeRequestRefused) return form.render(req, res, 429, values, { [form.field]: err.message }, null);
      throw err;
    }
  });

  // ---- Signup: the phone or e-mail is proved by a code ----

  router.get('/signup', (req, res) => {
    if (req.user) return res.redirect(homeOf(req.user.role));
    const role = req.query.role === 'employer' ? 'employer' : 'seeker';
    res.render('accounts/signup', { ...signupView(req), values: { role }, errors: {}, sent: null });
  });

  router.post('/signup', signupPerIp, async (req, res, next) => {
    const form = parseForm(signupSchema, req.body);
    const view = { ...signupView(req), sent: null };
    if (!form.ok) return renderInvalid(res, 'accounts/signup', view, form.errors, form.values);
    const { data } = form;
    const created = await orRenderInvalid(res, 'accounts/signup', view, form.values, async () => {
      const verified = await verifyCode(ctx, { purpose: 'signup', to: data.login, code: data.code, fields: { to: 'login' } });
      return ctx.db.transaction(async (tx) => {
        await consumeCode(tx, verified);
        return createUser(tx, {
          login: data.login,
          password: data.password,
          role: data.role,
          displayName: data.displayName,
          loginVerified: true,
          consented: true,
          policyVersion: ctx.config.privacyPolicyVersion,
        });
      });
    });
    if (!created.ok) return;
    startSession(req, created.value, (err) => {
      if (err) return next(err);
      flash(req, 'success', messages.welcome(created.value.displayName));
      actOnNext(ctx, req, created.value, view.next).then((to) => res.redirect(303, to || (data.role === 'employer' ? '/employer/profile' : '/me')), next);
    });
  });

  // ---- Login with a password ----

  const loginView = (next: string) => ({ title: messages.loginTitle, description: messages.loginDescription(ctx.settings.peek().siteName), next });

  router.get('/login', (req, res) => {
    const next = nextOf(req);
    if (req.user) return res.redirect(next || homeOf(req.user.role));
    res.render('accounts/login', { ...loginView(next), values: {}, errors: {} });
  });

  router.post('/login', loginPerIp, loginPerAccount, (req: Request, res: Response, next: NextFunction) => {
    const nextPath = nextOf(req);
    const form = parseForm(loginSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'accounts/login', loginView(nextPath), form.errors, form.values);
    passport.authenticate('local', (err: unknown, user: Express.User | false, info?: { message?: string }) => {
      if (err) return next(err);
      if (!user) {
        return res.status(401).render('accounts/login', {
          ...loginView(nextPath),
          values: form.values,
          errors: { _form: info?.message ?? '登录失败' },
        });
      }
      findUserById(ctx.db, user.id)
        .then((row) => {
          if (!row) return next(new Error('user vanished during login'));
          startSession(req, row, (loginErr) => {
            if (loginErr) return next(loginErr);
            actOnNext(ctx, req, row, nextPath).then((to) => landingAfterLogin(ctx, row, to)).then((to) => res.redirect(303, to), next);
          });
        })
        .catch(next);
    })(req, res, next);
  });

  // ---- Login with a code ----

  router.get('/login/code', (req, res) => {
    const next = nextOf(req);
    if (req.user) return res.redirect(next || homeOf(req.user.role));
    res.render('accounts/login-code', { ...codeLoginView(req), values: {}, errors: {}, sent: null });
  });

  router.post('/login/code', loginPerIp, async (req, res, next) => {
    const view = { ...codeLoginView(req), sent: null };
    const form = parseForm(codeLoginSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'accounts/login-code', view, form.errors, form.values);
    const { data } = form;
    const user = await orRenderInvalid(res, 'accounts/login-code', view, form.values, async () => {
      const verified = await verifyCode(ctx, { purpose: 'login', to: data.login, code: data.code, fields: { to: 'login' } });
      // The code proved the number is the requester's: only now may the page say whether it has an account.
      const found = await findUserByLogin(ctx.db, verified.recipient);
      if (!found) throw new ValidationError({ login: messages.noAccount });
      if (found.status !== 'active') throw new ValidationError({ login: messages.disabled });
      await ctx.db.transaction(async (tx) => {
        await consumeCode(tx, verified);
        await markContactVerified(tx, found.id, verified.channel);
      });
      return (await findUserById(ctx.db, found.id))!;
    });
    if (!user.ok) return;
    startSession(req, user.value, (err) => {
      if (err) return next(err);
      actOnNext(ctx, req, user.value, view.next).then((to) => landingAfterLogin(ctx, user.value, to)).then((to) => res.redirect(303, to), next);
    });
  });

  router.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      // Destroy the whole session row, not only the passport field.
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie(ctx.sessionCookieName);
        res.redirect(303, '/');
      });
    });
  });

  return router;
}
