// Owns what every way of logging in ends with: the session started (and its device remembered), and where to land.
import type { Request } from 'express';
import type { AppContext } from '../../context';
import { flash } from '../../web/flash';
import { subscribeFromNext } from '../alerts/alerts.visitor';
import { markPhonePrompted, needsPhonePrompt, toSessionUser, type UserRow } from './accounts.service';

/** Where each role lands after login when no `next` was given. */
export function homeOf(role: Express.User['role']): string {
  return role === 'admin' ? '/admin' : role === 'consultant' ? '/admin/leads' : role === 'employer' ? '/employer' : '/me';
}

/**
 * Starts the user's session: Passport's login regenerates the session id (session fixation; the CSRF token is
 * re-issued lazily), and the session remembers its device for /me/security.
 */
export function startSession(req: Request, user: UserRow, done: (err?: unknown) => void): void {
  req.logIn(toSessionUser(user), (err) => {
    if (err) return done(err);
    req.session.client = { userAgent: (req.get('user-agent') ?? '').slice(0, 300), ip: req.ip ?? '' };
    done();
  });
}

/** After any login: an account from before phone checks is asked, once, to verify its phone; then `next`. */
export async function landingAfterLogin(ctx: AppContext, user: UserRow, next: string): Promise<string> {
  const destination = next || homeOf(user.role);
  if (!needsPhonePrompt(user)) return destination;
  await markPhonePrompted(ctx.db, user.id);
  return `/me/security/phone?prompt=1&next=${encodeURIComponent(destination)}`;
}


/**
 * A `next` may carry what a visitor asked for before signing in (订阅这个搜索 on /jobs): it is done here, in the
 * POST that signed them in, with a flash saying so. Returns the `next` to go to.
 */
export async function actOnNext(ctx: AppContext, req: Request, user: UserRow, next: string): Promise<string> {
  const done = await subscribeFromNext(ctx, user, next);
  if (done.notice) flash(req, done.notice.type, done.notice.text);
  return done.next;
}
