// Owns the Express application: middleware in order, the feature routers, then 404 and the error handler.
// It never listens; server.ts does, and tests drive it through supertest.
import compression from 'compression';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from './context';
import { createAccountsRouter } from './features/accounts/accounts.routes';
import { createRecoveryRouter } from './features/accounts/recovery.routes';
import { createSecurityRouter } from './features/accounts/security.routes';
import { createOutboxRouter } from './messaging/outbox.routes';
import { createApplicationsRouter } from './features/applications/applications.routes';
import { createWorkspaceRouter } from './features/workspace/workspace.routes';
import { createNotificationsRouter } from './features/notifications/notifications.routes';
import { consentGate } from './features/privacy/privacy.consent';
import { createPrivacyRouter } from './features/privacy/privacy.routes';
import { createResumesRouter } from './features/resumes/resumes.routes';
import { createSeekersRouter } from './features/seekers/seekers.routes';
import { createOnlineResumeRouter } from './features/onlineResume/onlineResume.routes';
import { createAlertsRouter } from './features/alerts/alerts.routes';
import { configurePassport } from './features/accounts/passport';
import { DbSessionStore } from './features/accounts/session.store';
import { createHelpRouter } from './features/admin/admin.help';
import { createAdminRouter } from './features/admin/admin.routes';
import { createAuditRouter } from './features/audit/audit.routes';
import { createEmployersRouter } from './features/employers/employers.routes';
import { createAdminJobsRouter } from './features/jobs/jobs.admin.routes';
import { createEmployerJobsRouter } from './features/jobs/jobs.employer.routes';
import { anonymousJobPage, anonymousJobPageRead, createJobsRouter } from './features/jobs/jobs.routes';
import { createNewsAdminRouter } from './features/news/news.admin.routes';
import { createNewsRouter } from './features/news/news.routes';
import { createSitePagesRouter } from './features/site/pages.routes';
import { createSettingsRouter } from './features/site/settings.routes';
import { createHealthRouter, createSiteRouter } from './features/site/site.routes';
import { createSitemapRouter } from './features/site/sitemap.routes';
import { createHireRouter } from './features/leads/hire.routes';
import { createLeadsRouter } from './features/leads/leads.routes';
import { createClientApplicantsRouter } from './features/leads/clientApplicants.routes';
import { createClientJobsRouter } from './features/jobs/jobs.client.routes';
import { PUBLIC_DIR, VIEWS_DIR } from './paths';
import { csrfProtection } from './web/csrf';
import { emptyFormForOtherBodies, parseQueryString, stripControlCharsFromBody } from './web/forms';
import { errorHandler, notFound } from './web/errorHandler';
import { drawAnonymous, noStoreForPrivate, pageLocals } from './web/locals';
import { pageCache, wasKept, type CacheablePage } from './web/pageCache';
import { searchAnalytics } from './search/search.analytics';
import { createSearchAdminRouter } from './features/search/search.admin.routes';
import { hasCookie, sessionOnDemand } from './web/session';
import { layoutEngine } from './web/viewEngine';
import { redactUrl, serializeError } from './logger';
import { frozenHeaders, permissionsPolicy } from './web/headers';

/**
 * Fields a form may send. The review queue's bulk approve sends one per row of a full page (200) plus the token:
 * the old limit of 200 answered a full page with 413 (issue 19).
 */
export const MAX_FORM_FIELDS = 1000;

const SESSION_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

/**
 * Pages an anonymous visitor may get from the page cache, with the generations of all they show: jobs (with
 * their employers), the site settings (header, footer, hotline) and, on the home page, the newest articles.
 * Not here: article pages (a view is counted per reader), lists that show view counts, and any page with a form.
 */
function cacheablePages(ctx: AppContext): CacheablePage[] {
  return [
    { path: /^\/$/, shows: ['listed_jobs', 'news', 'site_settings'] },
    { path: /^\/(jobs|linshigong|jianzhi|paiqian)\/?$/, shows: ['listed_jobs', 'site_settings'] },
    // Job pages are drawn ahead of Express's chain when not kept: random jobs are nearly all first visits (issue 21).
    {
      path: /^\/jobs\/(\d+)\/?$/,
      shows: ['listed_jobs', 'site_settings'],
      draw: drawAnonymous(ctx, (match, since) => anonymousJobPage(ctx, match[1]!, since)),
      // A page not kept: the generations and the job's row in one query (issue 21).
      readToDraw: async (match) => {
        const read = await anonymousJobPageRead(ctx, match[1]!);
        return { generations: read.generations, draw: (path, since) => drawAnonymous(ctx, () => read.page(since))(path, match, since) };
      },
    },
  ];
}

const pageCaches = new WeakMap<Express, ReturnType<typeof pageCache>>();

/** The page cache of an app (none in development): its figures, for tests. */
export function pageCacheOf(app: Express): ReturnType<typeof pageCache> | undefined {
  return pageCaches.get(app);
}

/**
 * The server's request listener: anonymous GETs of the cached pages (without a query string) are answered by the
 * page cache before Express's own request set-up and middleware run (issue 21); everything else, and what the cache
 * leaves, goes to `app`.
 */
export function requestListenerOf(app: Express): (req: IncomingMessage, res: ServerResponse) => void {
  const cache = pageCaches.get(app);
  if (!cache) return (req, res) => app(req, res);
  return (req, res) => {
    if (!cache.answerAhead(req, res, () => app(req, res))) app(req, res);
  };
}

export function createApp(ctx: AppContext): Express {
  const { config } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.engine('ejs', layoutEngine);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.set('view cache', config.isProduction);
  // One place for every query: control characters never reach a route (src/web/forms.ts).
  app.set('query parser', parseQueryString);

  // When the request arrived: a read of the change generations sent after it is current for the whole request.
  app.use((_req, res, next) => {
    res.locals.arrivedAt = performance.now();
    next();
  });

  // Anonymous readers of the public pages first: a kept page goes out before any other middleware runs. Its
  // hits are counted in one log line a minute instead of a line each. Off in development, where an edited
  // view must show on the next reload.
  const hasSessionCookie = hasCookie(ctx.sessionCookieName);
  // Ahead of the page cache, so a search answered from memory is counted too (no personal data: issue 19).
  app.use(searchAnalytics(ctx));
  if (config.env !== 'development') {
    const cache = pageCache({
      db: ctx.db,
      now: ctx.now,
      pages: cacheablePages(ctx),
      isAnonymous: (req) => !hasSessionCookie(req),
      databaseDown: () => ctx.dbGate.isDown,
      onHit: (res) => res.setHeader('X-Request-Id', crypto.randomUUID()),
      report: (stats) => ctx.logger.info({ pageCache: stats }, 'page cache: pages answered from memory (hits) and rendered and kept (kept) in the last minute'),
      etag: (body) => (app.get('etag fn') as (body: Buffer) => string | undefined)(body),
    });
    pageCaches.set(app, cache);
    app.use(cache);
  }

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The CSRF token of upload forms rides in the query string: keep it out of the logs (the logger's redactUrl).
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/css/') || (req.url ?? '').startsWith('/js/') || (req.url ?? '').startsWith('/img/') },
      // A page rendered for an anonymous reader and kept by the page cache is counted in its minute line, like
      // the hits that follow it: its own line was 3.4 % of a job page's CPU (issue 21). Errors are always logged.
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : wasKept(res) ? 'silent' : 'info'),
    }),
  );

  const https = config.publicUrl.startsWith('https://');
  app.use(
    // Helmet's headers are the same on every response: worked out once (frozenHeaders).
    frozenHeaders(
      helmet({
        contentSecurityPolicy: {
          useDefaults: true,
          directives: {
            'default-src': ["'self'"],
            'script-src': ["'self'"],
            'style-src': ["'self'"],
            // Republished articles may show the source's https images (lazy, no referrer); nothing else loads from elsewhere.
            'img-src': ["'self'", 'data:', 'https:'],
            'font-src': ["'self'"],
            'form-action': ["'self'"],
            'frame-ancestors': ["'none'"],
            'object-src': ["'none'"],
            'upgrade-insecure-requests': https ? [] : null,
          },
        },
        strictTransportSecurity: https,
        crossOriginEmbedderPolicy: false,
        // The same rule as frame-ancestors 'none', for browsers that only know the old header.
        xFrameOptions: { action: 'deny' },
      }),
    ),
  );
  app.use(permissionsPolicy);
  // Assets first (the 503 page needs its CSS while the database is down), compressed; pages are compressed
  // after the page cache, which keeps its own gzip bytes.
  const compress = compression();
  // Asset URLs carry a content hash (?v=...): such a URL never changes content, so it may be cached for a year.
  // Only asset paths look on disk: for a page, static would stat() a file that is not there on every request.
  // No directory redirects: a path like /css/.. resolves to the public root and must be the 404 page, not a 301.
  const assets = express.static(PUBLIC_DIR, { index: false, redirect: false, maxAge: config.isProduction ? '1h' : 0, setHeaders: () => {} });
  app.use((req, res, next) => {
    if (!/^\/(css|js|img)\//.test(req.path)) return next();
    if (req.query.v) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    compress(req, res, () => assets(req, res, next));
  });

  app.use(createHealthRouter(ctx));
  app.use(ctx.dbGate.middleware());

  app.use(compress);

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: MAX_FORM_FIELDS }));
  app.use(emptyFormForOtherBodies);
  app.use(stripControlCharsFromBody);

  const passport = configurePassport(ctx.db);
  const sessions = session({
    name: ctx.sessionCookieName,
    secret: config.sessionSecret,
    store: new DbSessionStore(ctx.db),
    resave: false,
    // Anonymous visitors get no session row until a page needs one (a form's CSRF token).
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: https, maxAge: SESSION_MAX_AGE_MS },
  });
  app.use(passport.initialize());
  app.use(sessionOnDemand(sessions, passport.session(), hasSessionCookie));
  app.use(csrfProtection);
  app.use(noStoreForPrivate);
  app.use(pageLocals(ctx));
  // A user who accepted an older privacy policy accepts the new one before anything else (PIPL).
  app.use(consentGate(ctx));

  app.use(createSiteRouter(ctx));
  app.use(createAccountsRouter(ctx, passport));
  app.use(createRecoveryRouter(ctx));
  app.use(createSecurityRouter(ctx));
  app.use(createJobsRouter(ctx));
  app.use(createEmployersRouter(ctx));
  app.use(createEmployerJobsRouter(ctx));
  app.use(createAdminJobsRouter(ctx));
  app.use(createSearchAdminRouter(ctx));
  app.use(createNewsRouter(ctx));
  app.use(createNewsAdminRouter(ctx));
  app.use(createSeekersRouter(ctx));
  app.use(createOnlineResumeRouter(ctx));
  app.use(createAlertsRouter(ctx));
  app.use(createResumesRouter(ctx));
  app.use(createApplicationsRouter(ctx));
  app.use(createWorkspaceRouter(ctx));
  app.use(createNotificationsRouter(ctx));
  app.use(createPrivacyRouter(ctx));
  app.use(createHireRouter(ctx));
  app.use(createLeadsRouter(ctx));
  app.use(createClientApplicantsRouter(ctx));
  app.use(createClientJobsRouter(ctx));
  app.use(createSitePagesRouter(ctx));
  app.use(createSitemapRouter(ctx));
  app.use(createAdminRouter(ctx));
  app.use(createSettingsRouter(ctx));
  app.use(createAuditRouter(ctx));
  app.use(createHelpRouter());
  app.use(createOutboxRouter(ctx));

  app.use(notFound);
  app.use(errorHandler(ctx));
  return app;
}
