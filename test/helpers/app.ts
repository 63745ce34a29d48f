// Builds the real app on a fresh database for one test file, and a browser-like client that handles CSRF.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { boot, type BootOptions } from '../../src/bootstrap';
import { parseConfig, type Config } from '../../src/config';
import type { AppContext, Limits } from '../../src/context';
import { createLogger } from '../../src/logger';
import { createTestDbHandle, type TestPoolOptions } from './db';
import { TestClient } from './client';

export type TestApp = {
  app: Express;
  ctx: AppContext;
  /** A new client with its own cookie jar (a new browser). */
  client(): TestClient;
  close(): Promise<void>;
};

/** Limits high enough that ordinary tests never meet them; rate-limit tests pass the real ones. */
export const RELAXED_LIMITS: Limits = { loginPerAccount: 1000, loginPerIp: 1000, signupPerIp: 1000, applyPerUser: 1000, applyPerIp: 1000, reportPerIp: 1000, codePerRecipient: 1000, codePerIp: 1000, codeIntervalSeconds: 60, hirePerIp: 1000, hirePerPhone: 1000 };

export type TestAppOptions = {
  seed?: boolean;
  limits?: Partial<Limits>;
  now?: () => Date;
  env?: Record<string, string>;
  /** Receives every log line (JSON); by default logs are dropped. */
  logStream?: { write(line: string): void };
  /** Delivery drivers instead of the outbox (a failing one, to test retries). */
  messageDrivers?: BootOptions['messageDrivers'];
  /** The database handle's pool (server mode) and query log. */
  pool?: TestPoolOptions;
};

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-test-'));
  const config: Config = parseConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    ...options.env,
  });
  const logger = options.logStream ? createLogger('info', options.logStream) : createLogger(config.logLevel);
  const dbHandle = await createTestDbHandle(options.pool);
  const { ctx } = await boot(config, logger, {
    dbHandle,
    migrate: false,
    seed: options.seed ?? false,
    limits: { ...RELAXED_LIMITS, ...options.limits },
    now: options.now,
    messageDrivers: options.messageDrivers,
  });
  const app = createApp(ctx);
  return {
    app,
    ctx,
    client: () => new TestClient(app),
    async close() {
      await ctx.messaging.stop();
      await dbHandle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
