// Owns what every template can read: the site settings, the user, the CSRF token, formatters and page metadata.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { signInPurpose } from '../features/alerts/alerts.visitor';
import { countUnread } from '../features/notifications/notifications.service';
import { factParts } from '../features/site/facts';
import { asset } from './assets';
import { csrfTokenFor } from './csrf';
import { takeFlashes } from './flash';
import { startSession } from './session';
import { format } from './format';
import { fragmentOf } from './viewEngine';

/** The locals that need no database: also used by the error page when the database is down. */
export function setBaseLocals(ctx: AppContext, req: Request, res: Response): void {
  res.locals.site = ctx.settings.peek();
  res.locals.currentUser = req.user ?? null;
  res.locals.unreadCount = 0;
  // A page with a form gives an anonymous reader a session here, and is then never kept by the page cache.
  res.locals.csrfToken = () => (startSession(req) ? csrfTokenFor(req) : '');
  res.locals.format = format;
  // Admin-typed text with {客服热线} and the like filled in from the settings in force (partials/fact-text.ejs).
  res.locals.factParts = (text: string) => factParts(text, res.locals.site);
  res.locals.asset = asset;
  // The login and signup pages say what signing in will also do (订阅这个搜索 from /jobs).
  res.locals.signInPurpose = signInPurpose;
  // Development re-reads edited views on every render: nothing is kept there.
  res.locals.fragment = ctx.config.env === 'development' ? (_of: object, render: () => string) => render() : fragmentOf;
  res.locals.currentPath = req.path;
  res.locals.publicUrl = ctx.config.publicUrl;
  res.locals.canonical = ctx.config.publicUrl + req.path;
  res.locals.requestId = String(req.id ?? '');
  res.locals.flashes = [];
  res.locals.title = '';
  res.locals.description = '';
  res.locals.breadcrumbs = [];
  res.locals.noindex = false;
  res.locals.ogType = 'website';
  res.locals.errors = {};
  res.locals.values = {};
}

export function pageLocals(ctx: AppContext): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    setBaseLocals(ctx, req, res);
    res.locals.site = await ctx.settings.get(res.locals.arrivedAt as number | undefined);
    if (req.user) res.locals.unreadCount = await countUnread(ctx.db, req.user.id);
    res.locals.flashes = takeFlashes(req);
    next();
  };
}

/** Private pages must not be kept by browsers or proxies. */
export const noStoreForPrivate: RequestHandler = (req, res, next) => {
  if (req.user || /^\/(me|employer|admin|files)(\/|$)/.test(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
};
