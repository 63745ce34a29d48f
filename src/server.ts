// The only listen(): load config → open the database → migrate → seed → createApp → listen; graceful shutdown.
import http from 'node:http';
import type { createApp as CreateApp, requestListenerOf as RequestListenerOf } from './app';
import type { warmSearchConnections as WarmSearchConnections } from './features/jobs/jobs.service';
import { boot } from './bootstrap';
import { adoptListeningPort, ConfigError, loadDotEnv, parseConfig } from './config';
import { DatabaseOpenError } from './db/client';
import { DataDirLockedError } from './db/lock';
import { createLogger, prettyDestination, wantsPrettyLogs } from './logger';
import { startMaintenance } from './maintenance';
import { warmSegmenter } from './search/segment';

/** Loaded after the database has begun to start, not at the top: the two then overlap (issue 21). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadApp = () => require('./app') as { createApp: typeof CreateApp; requestListenerOf: typeof RequestListenerOf };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadWarmSearch = () => (require('./features/jobs/jobs.service') as { warmSearchConnections: typeof WarmSearchConnections }).warmSearchConnections;

/** The word segmenter is built this long after listening, so it does not hold up the first page (issue 21). */
const SEGMENTER_WARM_DELAY_MS = 500;

/** How long in-flight requests may take to finish after SIGTERM before their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, wantsPrettyLogs(config, process.stdout.isTTY) ? prettyDestination() : undefined);

  let booted;
  let appModule: ReturnType<typeof loadApp>;
  try {
    // The app's modules load while the database starts (PGlite compiles its WebAssembly off the main thread).
    const starting = boot(config, logger, { warmSegmenter: false });
    starting.catch(() => {}); // handled below, after the require
    appModule = loadApp();
    booted = await starting;
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof DatabaseOpenError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { ctx } = booted;
  const app = appModule.createApp(ctx);
  const listener = appModule.requestListenerOf(app);
  // Before listening, so that no visitor meets a cold connection; kept open by the pool (DB_POOL_WARM).
  await loadWarmSearch()(ctx.dbHandle, config.db.poolWarm, ctx.now()).catch((err: unknown) => logger.warn({ err }, 'search warm-up failed'));

  let shuttingDown = false;
  app.set('shuttingDown', () => shuttingDown);
  // Timeouts are enforced by a periodic check; once a second keeps slow clients from lingering.
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    // During shutdown, tell keep-alive clients to reconnect elsewhere.
    if (shuttingDown) res.setHeader('Connection', 'close');
    listener(req, res);
  });
  // Slow clients (slow-loris, stalled uploads) cannot hold a socket forever.
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = config.http.requestTimeoutMs;
  server.keepAliveTimeout = 5_000;

  const stopMaintenance = startMaintenance(ctx);
  if (config.messaging.worker) await ctx.messaging.start();
  if (ctx.messaging.storesOnly.length) {
    logger.warn({ sms: ctx.messaging.drivers.sms.name, email: ctx.messaging.drivers.email.name }, `no SMS or e-mail leaves this site: ${ctx.messaging.storesOnly.join(' and ')} go only to the outbox (/admin/outbox); see README to configure real delivery`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  }).catch((err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `端口 ${config.port} 已被占用:请停止占用它的程序,或设置 PORT。` : err.message);
    return ctx.dbHandle.close().finally(() => process.exit(1));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  adoptListeningPort(ctx.config, port);
  logger.info({ port, db: ctx.dbHandle.kind, url: ctx.config.publicUrl }, `listening on http://localhost:${port}`);
  // Built once the first pages can be served (issue 21); a search arriving before that builds it itself.
  setTimeout(() => warmSegmenter(), SEGMENTER_WARM_DELAY_MS).unref();

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: draining requests');
    stopMaintenance();
    // Stops taking messages; one being delivered finishes first. The rest wait in the queue for the next start.
    const messagingStopped = ctx.messaging.stop();
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets whose request has finished are closed as soon as they go idle.
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    await drained;
    clearInterval(sweeper);
    clearTimeout(timer);
    await messagingStopped.catch((err) => logger.warn({ err }, 'message worker stop failed'));
    try {
      await ctx.dbHandle.close();
      logger.info('database closed; bye');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'database close failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
