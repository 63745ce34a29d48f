// Owns bringing the system up for a process: open the database, migrate, seed, and build the AppContext.
// server.ts, the CLI commands and the tests all start here, so they run the same code.
import { setQuietHours } from './features/alerts/alerts.matching';
import { ensureDictionary } from './search/dictionary';
import { warmSegmenter } from './search/segment';
import { reindexForDictionaryFile } from './search/search.reindex';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { DEFAULT_LIMITS, type AppContext, type Limits } from './context';
import { openDb, type DbHandle, type DbOptions } from './db/client';
import { seedDemoData, type SeedReport } from './db/seed';
import { ensureAdmin } from './features/accounts/accounts.service';
import { createSettingsStore } from './features/site/settings.service';
import type { Logger } from './logger';
import { Messaging } from './messaging/messaging';
import type { Channel } from './messaging/messaging';
import type { Driver } from './messaging/drivers/driver';
import { FileStorage } from './storage/files';
import { demoPasswordNotice, demoSeeders, newDemoPassword } from './seeders';
import { DbGate } from './web/dbGate';

export type BootOptions = {
  /** Use this handle instead of opening one from the config (tests). */
  dbHandle?: DbHandle;
  dbOptions?: Partial<DbOptions>;
  migrate?: boolean;
  seed?: boolean;
  limits?: Partial<Limits>;
  now?: () => Date;
  /**
   * Build the word segmenter now (default). The server passes false and builds it right after it listens: the first
   * page needs no segmenter, and building it is 0.2–0.5 s on the main thread (issue 21, start to first page).
   */
  warmSegmenter?: boolean;
  /** Delivery drivers to use instead of the configured ones (tests of failures and retries). */
  messageDrivers?: Partial<Record<Channel, Driver>>;
};

export type Booted = { ctx: AppContext; seedReport?: SeedReport };

/** Without SESSION_SECRET (development), a random secret is made once and kept in the data dir. */
function resolveSessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * Over https the cookie carries the __Host- prefix: browsers then only accept it as Secure, for the whole site
 * and from this exact host (no Domain), so a sibling subdomain cannot plant or overwrite it.
 */
export function sessionCookieName(config: Config): string {
  return config.publicUrl.startsWith('https://') ? '__Host-pc.sid' : 'pc.sid';
}

export async function boot(config: Config, logger: Logger, options: BootOptions = {}): Promise<Booted> {
  let gate: DbGate | undefined;
  const dbHandle =
    options.dbHandle ??
    (await openDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.db.poolMax,
      poolMin: config.db.poolWarm,
      connectTimeoutMs: config.db.connectTimeoutMs,
      statementTimeoutMs: config.db.statementTimeoutMs,
      embeddedSharedBuffersMb: config.db.embeddedSharedBuffersMb,
      onPoolError: (err) => {
        logger.warn({ err }, 'database connection error');
        gate?.markDown();
      },
      ...options.dbOptions,
    }));
  try {
    if (options.migrate !== false) await dbHandle.migrate();
    const db = dbHandle.db;
    const settings = createSettingsStore(db, config.siteDefaults);
    gate = new DbGate(() => dbHandle.ping(1000));
    const storage = new FileStorage(config.uploadDir);
    await storage.init();
    const now = options.now ?? (() => new Date());
    setQuietHours(config.alertQuietHours);
    const messaging = new Messaging({ db, dbHandle, config: config.messaging, logger, now, drivers: options.messageDrivers });
    await messaging.open();
    const ctx: AppContext = {
      db,
      dbHandle,
      config: { ...config, sessionSecret: resolveSessionSecret(config) },
      logger,
      settings,
      storage,
      limits: { ...DEFAULT_LIMITS, ...config.limits, ...options.limits },
      sessionCookieName: sessionCookieName(config),
      dbGate: gate,
      now,
      messaging,
    };
    await settings.seedDefaults();
    // The segmenter and the dictionary are built at start, not by the first search (200–290 ms, issue 19).
    await ensureDictionary(db);
    if (options.warmSegmenter !== false) warmSegmenter();
    let seedReport: SeedReport | undefined;
    if (options.seed ?? config.seedDemo) {
      const demoPassword = newDemoPassword();
      seedReport = await seedDemoData(db, settings, demoSeeders(ctx, demoPassword));
      if (seedReport.seeded) {
        logger.info({ counts: seedReport.counts }, 'demo data seeded into the empty database');
        logger.warn(demoPasswordNotice(demoPassword));
      }
    }
    // Jobs indexed with an older dictionary file are re-segmented once (search.reindex.ts).
    await reindexForDictionaryFile(db, logger);
    const admin = config.admin ? await ensureAdmin(db, config.admin.login, config.admin.password) : undefined;
    if (admin === 'created') logger.info({ login: config.admin!.login }, 'admin account created from ADMIN_LOGIN');
    if (admin === 'taken') {
      logger.warn(
        { login: config.admin!.login },
        'ADMIN_LOGIN is already used by a seeker or employer account: no admin was created and that account was left unchanged; choose another ADMIN_LOGIN, or create an admin with npm run admin:create',
      );
    }
    await settings.watch(dbHandle);
    return { ctx, seedReport };
  } catch (err) {
    if (!options.dbHandle) await dbHandle.close().catch(() => {});
    throw err;
  }
}
