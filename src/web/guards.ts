// Owns route guards: who may use a route. Anonymous users go to login; the wrong role gets a 403 page.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError } from '../errors';

export type Role = 'seeker' | 'employer' | 'admin' | 'consultant';

const messages = {
  wrongRole: {
    seeker: '此页面仅限求职者使用',
    employer: '此页面仅限企业用户使用',
    admin: '此页面仅限管理员使用',
    consultant: '此页面仅限顾问使用',
  } satisfies Record<Role, string>,
  staffOnly: '此页面仅限管理员和顾问使用',
};

/** `/login?next=<this page>`; only the path is carried, never a host. */
export function loginRedirectUrl(req: Request): string {
  const next = req.method === 'GET' ? req.originalUrl : (req.get('referer') ? safeNextPath(refererPath(req)) : '/');
  return `/login?next=${encodeURIComponent(next ?? '/')}`;
}

function refererPath(req: Request): string | undefined {
  try {
    const ref = new URL(req.get('referer') ?? '');
    return ref.host === req.get('host') ? ref.pathname + ref.search : undefined;
  } catch {
    return undefined;
  }
}

/** A same-site path to return to after login, or undefined. Refuses `//host`, `/\host`, schemes and control characters. */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 500) return undefined;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  if (/[\u0000-\u001f\\]/.test(next)) return undefined;
  if (next.startsWith('/login') || next.startsWith('/logout') || next.startsWith('/signup')) return undefined;
  return next;
}

export const requireAuth: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (req.user) return next();
  if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(loginRedirectUrl(req));
  // A form posted by a logged-out user (expired session) returns them to the page they were on.
  return res.redirect(303, loginRedirectUrl(req));
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) return requireAuth(req, res, next);
    if (!roles.includes(req.user.role)) return next(new ForbiddenError(roles.length > 1 && roles.every(isStaff) ? messages.staffOnly : messages.wrongRole[roles[0]!]));
    next();
  };
}

/** The dispatch company's own people: admins, and consultants (顾问), who work leads, jobs and reports (issue 22). */
export function isStaff(role: Role): boolean {
  return role === 'admin' || role === 'consultant';
}

/** Admins and consultants: leads, job review, reports, jobs posted for client companies. */
export const requireStaff: RequestHandler = requireRole('admin', 'consultant');
