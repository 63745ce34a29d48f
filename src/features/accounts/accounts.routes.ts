// Owns the account pages: signup, login and logout.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { PassportStatic } from 'passport';
import type { AppContext } from '../../context';
import { safeNextPath } from '../../web/guards';
import { flash } from '../../web/flash';
import { orRenderInvalid, parseForm, renderInvalid } from '../../web/forms';
import { createLimiter } from '../../web/rateLimit';
import { createUser, toSessionUser } from './accounts.service';
import { loginSchema, normalizeLogin, signupSchema } from './accounts.validation';

const messages = {
  tooManyLogins: '登录失败次数过多,请 15 分钟后再试',
  tooManySignups: '注册过于频繁,请稍后再试',
  welcome: (name: string) => `注册成功,欢迎你,${name}!`,
  loggedOut: '你已安全退出',
  signupTitle: '注册',
  loginTitle: '登录',
  loginDescription: (site: string) => `登录${site}`,
};

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Where each role lands after login when no `next` was given. */
export function homeOf(role: Express.User['role']): string {
  return role === 'admin' ? '/admin' : role === 'employer' ? '/employer' : '/me';
}

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

  const signupView = (req: Request) => ({
    title: messages.signupTitle,
    description: '免费注册,找临时工、兼职和劳务派遣工作,或发布招聘信息。',
    next: safeNextPath(req.query.next) ?? '',
  });

  router.get('/signup', (req, res) => {
    if (req.user) return res.redirect(homeOf(req.user.role));
    const role = req.query.role === 'employer' ? 'employer' : 'seeker';
    res.render('accounts/signup', { ...signupView(req), values: { role }, errors: {} });
  });

  router.post('/signup', signupPerIp, async (req, res, next) => {
    const form = parseForm(signupSchema, req.body);
    const view = { ...signupView(req), next: safeNextPath((req.body as { next?: unknown }).next) ?? '' };
    if (!form.ok) return renderInvalid(res, 'accounts/signup', view, form.errors, form.values);
    const { data } = form;
    const created = await orRenderInvalid(res, 'accounts/signup', view, form.values, () =>
      createUser(ctx.db, { login: data.login, password: data.password, role: data.role, displayName: data.displayName, consented: true, policyVersion: ctx.config.privacyPolicyVersion }),
    );
    if (!created.ok) return;
    logIn(req, toSessionUser(created.value), (err) => {
      if (err) return next(err);
      flash(req, 'success', messages.welcome(created.value.displayName));
      res.redirect(303, view.next || (data.role === 'employer' ? '/employer/profile' : '/me'));
    });
  });

  const loginView = (next: string) => ({ title: messages.loginTitle, description: messages.loginDescription(ctx.settings.peek().siteName), next });

  router.get('/login', (req, res) => {
    const next = safeNextPath(req.query.next) ?? '';
    if (req.user) return res.redirect(next || homeOf(req.user.role));
    res.render('accounts/login', { ...loginView(next), values: {}, errors: {} });
  });

  router.post('/login', loginPerIp, loginPerAccount, (req: Request, res: Response, next: NextFunction) => {
    const nextPath = safeNextPath((req.body as { next?: unknown }).next) ?? '';
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
      logIn(req, user, (loginErr) => {
        if (loginErr) return next(loginErr);
        res.redirect(303, nextPath || homeOf(user.role));
      });
    })(req, res, next);
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

/** Passport's login regenerates the session id (session fixation); the CSRF token is re-issued lazily. */
function logIn(req: Request, user: Express.User, done: (err?: unknown) => void): void {
  req.logIn(user, (err) => done(err));
}
