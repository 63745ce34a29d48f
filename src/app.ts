// Owns the Express application: middleware in order, the feature routers, then 404 and the error handler.
// It never listens; server.ts does, and tests drive it through supertest.
import compression from 'compression';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import type { AppContext } from './context';
import { createAccountsRouter } from './features/accounts/accounts.routes';
import { createRecoveryRouter } from './features/accounts/recovery.routes';
import { createSecurityRouter } from './features/accounts/security.routes';
import { createOutboxRouter } from './messaging/outbox.routes';
import { createApplicationsRouter } from './features/applications/applications.routes';
import { createNotificationsRouter } from './features/notifications/notifications.routes';
import { consentGate } from './features/privacy/privacy.consent';
import { createPrivacyRouter } from './features/privacy/privacy.routes';
import { createResumesRouter } from './features/resumes/resumes.routes';
import { createSeekersRouter } from './features/seekers/seekers.routes';
import { configurePassport } from './features/accounts/passport';
import { DbSessionStore } from './features/accounts/session.store';
import { createAdminRouter } from './features/admin/admin.routes';
import { createAuditRouter } from './features/audit/audit.routes';
import { createEmployersRouter } from './features/employers/employers.routes';
import { createAdminJobsRouter } from './features/jobs/jobs.admin.routes';
import { createEmployerJobsRouter } from './features/jobs/jobs.employer.routes';
import { createJobsRouter } from './features/jobs/jobs.routes';
import { createNewsAdminRouter } from './features/news/news.admin.routes';
import { createNewsRouter } from './features/news/news.routes';
import { createSitePagesRouter } from './features/site/pages.routes';
import { createSettingsRouter } from './features/site/settings.routes';
import { createHealthRouter, createSiteRouter } from './features/site/site.routes';
import { createSitemapRouter } from './features/site/sitemap.routes';
import { PUBLIC_DIR, VIEWS_DIR } from './paths';
import { csrfProtection } from './web/csrf';
import { emptyFormForOtherBodies } from './web/forms';
import { errorHandler, notFound } from './web/errorHandler';
import { noStoreForPrivate, pageLocals } from './web/locals';
import { layoutEngine } from './web/viewEngine';

const SESSION_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

export function createApp(ctx: AppContext): Express {
  const { config } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.engine('ejs', layoutEngine);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.set('view cache', config.isProduction);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The CSRF token of upload forms rides in the query string: keep it out of the logs.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.replace(/([?&]_csrf=)[^&]*/, '$1[redacted]') }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/css/') || (req.url ?? '').startsWith('/js/') || (req.url ?? '').startsWith('/img/') },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  const https = config.publicUrl.startsWith('https://');
  app.use(
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
    }),
  );
  app.use(compression());

  // Asset URLs carry a content hash (?v=...): such a URL never changes content, so it may be cached for a year.
  app.use((req, res, next) => {
    if (req.query.v) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    next();
  });
  // Only asset paths look on disk: for a page, static would stat() a file that is not there on every request.
  // No directory redirects: a path like /css/.. resolves to the public root and must be the 404 page, not a 301.
  const assets = express.static(PUBLIC_DIR, { index: false, redirect: false, maxAge: config.isProduction ? '1h' : 0, setHeaders: () => {} });
  app.use((req, res, next) => (/^\/(css|js|img)\//.test(req.path) ? assets(req, res, next) : next()));

  app.use(createHealthRouter(ctx));
  app.use(ctx.dbGate.middleware());

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  app.use(emptyFormForOtherBodies);

  const passport = configurePassport(ctx.db);
  app.use(
    session({
      name: ctx.sessionCookieName,
      secret: config.sessionSecret,
      store: new DbSessionStore(ctx.db),
      resave: false,
      // Anonymous visitors get no session row until a page needs one (a form's CSRF token).
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: https, maxAge: SESSION_MAX_AGE_MS },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
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
  app.use(createNewsRouter(ctx));
  app.use(createNewsAdminRouter(ctx));
  app.use(createSeekersRouter(ctx));
  app.use(createResumesRouter(ctx));
  app.use(createApplicationsRouter(ctx));
  app.use(createNotificationsRouter(ctx));
  app.use(createPrivacyRouter(ctx));
  app.use(createSitePagesRouter(ctx));
  app.use(createSitemapRouter(ctx));
  app.use(createAdminRouter(ctx));
  app.use(createSettingsRouter(ctx));
  app.use(createAuditRouter(ctx));
  app.use(createOutboxRouter(ctx));

  app.use(notFound);
  app.use(errorHandler(ctx));
  return app;
}
