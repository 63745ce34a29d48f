// Owns when a request gets a session: at once when it brings a session cookie or changes something, and
// otherwise only when a page asks for one (a form's CSRF token). Anonymous readers, most of the traffic,
// never pay for a session id, a Session object or passport's lookup (issue 21).
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const starters = new WeakMap<Request, () => void>();

/** Whether the request carries a cookie named `cookieName` (signed or not, valid or not). */
export function hasCookie(cookieName: string): (req: Pick<Request, 'headers'>) => boolean {
  const pattern = new RegExp(`(?:^|;)\\s*${cookieName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`);
  return (req) => pattern.test(req.headers.cookie ?? '');
}

/**
 * Runs `session` and `afterSession` (passport's user lookup) for a request with a session cookie or a method
 * other than GET/HEAD; a cookieless read goes on without, and `startSession(req)` makes its session on demand.
 */
export function sessionOnDemand(session: RequestHandler, afterSession: RequestHandler, hasSessionCookie: (req: Request) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (hasSessionCookie(req) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return session(req, res, (err?: unknown) => (err ? next(err) : afterSession(req, res, next)));
    }
    // express-session makes a new session synchronously when the request has no session cookie.
    starters.set(req, () => session(req, res, () => {}));
    next();
  };
}

/** Gives a cookieless read its session (once); false when the request cannot have one (the store is down). */
export function startSession(req: Request): boolean {
  if (!req.session) {
    const start = starters.get(req);
    starters.delete(req);
    start?.();
  }
  return Boolean(req.session);
}
