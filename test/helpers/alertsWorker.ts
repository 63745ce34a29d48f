// A scheduler process for the two-process tests of job alerts (issue 20): boots like src/server.ts against
// DATABASE_URL, starts the message queue worker, and runs the real maintenance tasks of alerts (instant alerts,
// digests) in a loop, on a clock fixed by ALERTS_WORKER_NOW (the server's clock is the wall clock, and quiet hours
// or the digest hour would make the test depend on the time of day). It prints one JSON line per round and exits
// after ALERTS_WORKER_ROUNDS rounds, or when killed.
import { boot } from '../../src/bootstrap';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { maintenanceTasks } from '../../src/maintenance';

const ALERT_TASKS = new Set(['job-alerts', 'job-alert-digests']);

async function main() {
  const config = parseConfig();
  const logger = createLogger(config.logLevel);
  const now = new Date(process.env.ALERTS_WORKER_NOW!);
  const rounds = Number(process.env.ALERTS_WORKER_ROUNDS ?? 5);
  const { ctx } = await boot(config, logger, { migrate: false, seed: false, now: () => now });
  await ctx.messaging.start();
  const tasks = maintenanceTasks().filter((t) => ALERT_TASKS.has(t.name));
  console.log(JSON.stringify({ ready: true }));
  for (let round = 1; round <= rounds; round++) {
    const results: Record<string, unknown> = {};
    // Both tasks at once, as the intervals of startMaintenance may overlap.
    await Promise.all(tasks.map(async (t) => (results[t.name] = await t.run(ctx))));
    results.delivered = await ctx.messaging.drain();
    console.log(JSON.stringify({ round, ...results }));
  }
  await ctx.messaging.stop();
  await ctx.dbHandle.close();
  console.log(JSON.stringify({ done: true }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
