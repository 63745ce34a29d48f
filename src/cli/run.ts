// Owns the start of every CLI command: config from the environment, the database opened like the server does, and a clean exit.
import { boot, type BootOptions } from '../bootstrap';
import { ConfigError, loadDotEnv, parseConfig } from '../config';
import type { AppContext } from '../context';
import { DatabaseOpenError } from '../db/client';
import { DataDirLockedError } from '../db/lock';
import { createLogger } from '../logger';

export class UsageError extends Error {}

/** Runs `task` with a booted context; prints one readable line on known failures. Exit codes: 0 ok, 1 failure, 2 usage. */
export async function runCli(task: (ctx: AppContext) => Promise<number | void>, options: BootOptions = {}): Promise<never> {
  loadDotEnv();
  let code = 0;
  try {
    const config = parseConfig();
    const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
    const { ctx } = await boot(config, logger, { seed: false, ...options });
    try {
      code = (await task(ctx)) ?? 0;
    } finally {
      await ctx.dbHandle.close();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      code = 2;
    } else if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof DatabaseOpenError) {
      console.error(err.message);
      code = 1;
    } else {
      console.error(err);
      code = 1;
    }
  }
  process.exit(code);
}
