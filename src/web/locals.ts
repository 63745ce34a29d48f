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
import { fragmentOf, renderViewBytes } from './viewEngine';
import type { SiteSettings } from '../features/site/settings.schema';

/** The header's main menu (partials/header.ejs). */
const MAIN_MENU = [
  ['/', '首页'],
  ['/linshigong', '临时工'],
  ['/jianzhi', '兼职'],
  ['/paiqian', '劳务派遣'],
  ['/news', '人力资讯'],
] as const;

/** The main-menu item a page is under ('' for none): also the key of the header kept for readers without a session. */
function menuItemOf(path: string): string {
  return MAIN_MENU.find(([href]) => (href === '/' ? path === '/' : path.startsWith(href)))?.[0] ?? '';
}

/** Who a page is drawn for: the request's user, path and id, and how it gets a form's token. */
type Reader = { user: Express.User | null; path: string; requestId: string; csrfToken: () => string };

/** The locals every page gets, as plain data (`locals` is `res.locals` on the Express path). */
function fillBaseLocals(ctx: AppContext, locals: Record<string, unknown>, reader: Reader): void {
  locals.site = ctx.settings.peek();
  locals.currentUser = reader.user;
  locals.unreadCount = 0;
  locals.csrfToken = reader.csrfToken;
  locals.format = format;
  // Admin-typed text with {客服热线} and the like filled in from the settings in force (partials/fact-text.ejs).
  locals.factParts = (text: string) => factParts(text, locals.site as SiteSettings);
  locals.asset = asset;
  // The login and signup pages say what signing in will also do (订阅这个搜索 from /jobs).
  locals.signInPurpose = signInPurpose;
  // Development re-reads edited views on every render: nothing is kept there.
  locals.fragment = ctx.config.env === 'development' ? (_of: object, render: () => string) => render() : fragmentOf;
  locals.mainMenu = MAIN_MENU;
  locals.menuItem = menuItemOf(reader.path);
  locals.currentPath = reader.path;
  locals.publicUrl = ctx.config.publicUrl;
  locals.canonical = ctx.config.publicUrl + reader.path;
  locals.requestId = reader.requestId;
  locals.flashes = [];
  locals.title = '';
  locals.description = '';
  locals.breadcrumbs = [];
  locals.noindex = false;
  locals.ogType = 'website';
  locals.errors = {};
  locals.values = {};
}

/** The locals that need no database: also used by the error page when the database is down. */
export function setBaseLocals(ctx: AppContext, req: Request, res: Response): void {
  fillBaseLocals(ctx, res.locals, {
    user: req.user ?? null,
    path: req.path,
    requestId: String(req.id ?? ''),
    // A page with a form gives an anonymous reader a session here, and is then never kept by the page cache.
    csrfToken: () => (startSession(req) ? csrfTokenFor(req) : ''),
  });
}

/** Thrown by a page drawn ahead of Express that asks for a form's token: Express draws it, with a session. */
class SessionNeeded extends Error {}

/**
 * The locals of a page for a reader without a session, drawn ahead of Express's chain (`drawAnonymous`): the same
 * values `setBaseLocals` and `pageLocals` give such a reader, with the settings read since `since`.
 */
async function anonymousLocals(ctx: AppContext, path: string, since: number | undefined): Promise<Record<string, unknown>> {
  const locals: Record<string, unknown> = {};
  fillBaseLocals(ctx, locals, {
    user: null,
    path,
    // No request log line is made for such a page, so no id is in it (no page but the error page shows one).
    requestId: '',
    csrfToken: () => {
      throw new SessionNeeded();
    },
  });
  locals.site = await ctx.settings.get(since);
  return locals;
}

/** A view and its data, as a route gives them to `res.render`. */
export type PageView = { view: string; locals: Record<string, unknown> };

/**
 * A page cache `draw` (pageCache.ts) from a feature's page: the view rendered with the locals a reader without a
 * session gets, the page's data over them as in `res.render`. `since`: the request's arrival.
 */
export function drawAnonymous(ctx: AppContext, page: (match: RegExpExecArray, since: number | undefined) => Promise<PageView | undefined>) {
  return async (path: string, match: RegExpExecArray, since: number | undefined): Promise<Buffer | undefined> => {
    const drawn = await page(match, since);
    if (!drawn) return undefined;
    return renderViewBytes(drawn.view, Object.assign(await anonymousLocals(ctx, path, since), drawn.locals));
  };
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
