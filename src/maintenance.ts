// Owns periodic housekeeping: expired sessions and counters, and the tasks features register (job expiry, retention).
import { purgeOldSearchEvents } from './search/search.analytics';
import { lt, sql } from 'drizzle-orm';
import type { AppContext } from './context';
import { rateLimits } from './db/schema';
import { deleteExpiredSessions } from './features/accounts/session.store';
import { expireJobs } from './features/jobs/jobs.service';
import { purgeOldArticleViews, sweepUnusedNewsImages } from './features/news/news.service';
import { sweepResumes } from './features/privacy/privacy.retention';
import { deleteOldCodes } from './features/verification/verification.service';
import { sendInterviewReminders } from './features/workspace/interviews.service';
import { dispatchDueAlerts } from './features/alerts/alerts.service';
import { recompileStaleAlerts } from './features/alerts/alerts.matching';
import { ensureDictionary } from './search/dictionary';
import { sendDigests } from './features/alerts/alerts.digest';

export type MaintenanceTask = { name: string; everyMs: number; run: (ctx: AppContext) => Promise<unknown> };

const HOUR = 3600_000;
/** Sent SMS and e-mails (recipients, texts) are kept this long for the outbox page, then deleted. */
export const MESSAGE_RETENTION_DAYS = 30;

export function maintenanceTasks(): MaintenanceTask[] {
  return [
    { name: 'sessions', everyMs: HOUR, run: (ctx) => deleteExpiredSessions(ctx.db) },
    { name: 'rate-limits', everyMs: HOUR, run: (ctx) => ctx.db.delete(rateLimits).where(lt(rateLimits.resetAt, sql`now()`)) },
    // Leftover uploads (a crash between a commit and an unlink): first run 5 s after start, off the cold-start path.
    { name: 'upload-sweep', everyMs: 6 * HOUR, run: (ctx) => sweepUploads(ctx) },
    // Lists hide jobs past their validity on their own; this makes the status say so too.
    { name: 'job-expiry', everyMs: HOUR, run: (ctx) => expireJobs(ctx.db, ctx.now()) },
    { name: 'article-views', everyMs: 6 * HOUR, run: (ctx) => purgeOldArticleViews(ctx.db, ctx.now()) },
    // Images uploaded in the news editor that no article shows (never saved, taken out, article deleted).
    { name: 'news-images', everyMs: 6 * HOUR, run: (ctx) => sweepUnusedNewsImages(ctx, ctx.now()) },
    // RESUME_RETENTION_DAYS: warn 7 days ahead, then delete idle resumes (also `npm run privacy:sweep`).
    { name: 'resume-retention', everyMs: 24 * HOUR, run: (ctx) => sweepResumes(ctx) },
    // The queue's own housekeeping: a delivery whose process died is failed after its 2 minutes, and so retried.
    { name: 'message-queue', everyMs: 60_000, run: (ctx) => ctx.messaging.maintain() },
    { name: 'message-retention', everyMs: 24 * HOUR, run: (ctx) => ctx.messaging.deleteOlderThan(MESSAGE_RETENTION_DAYS) },
    { name: 'verification-codes', everyMs: HOUR, run: (ctx) => deleteOldCodes(ctx) },
    // The seeker's reminder 2 hours before an interview: checked every 10 minutes, each sent once.
    { name: 'interview-reminders', everyMs: 10 * 60_000, run: (ctx) => sendInterviewReminders(ctx) },
    // Saved searches follow the search dictionary (an admin's synonyms); then the instant alerts that are due
    // (held over the quiet hours, or left by a process that stopped).
    { name: 'job-alerts', everyMs: 60_000, run: async (ctx) => ({ recompiled: await recompileStaleAlerts(ctx.db, await ensureDictionary(ctx.db)), sent: await dispatchDueAlerts(ctx) }) },
    // Daily digests at each subscription's hour (Beijing time), checked every 5 minutes.
    { name: 'job-alert-digests', everyMs: 5 * 60_000, run: (ctx) => sendDigests(ctx) },
    // Search analytics are kept SEARCH_RETENTION_DAYS (180).
    { name: 'search-events', everyMs: 24 * HOUR, run: (ctx) => purgeOldSearchEvents(ctx.db, ctx.now()) },
  ];
}

async function sweepUploads(ctx: AppContext) {
  const swept = await ctx.storage.sweep(ctx.db);
  if (swept.temp || swept.orphans) ctx.logger.info(swept, 'removed leftover upload files');
  return swept;
}

/**
 * Runs every task once, 5 s after start-up, then each on its interval; returns a stop function. The first pass
 * runs the tasks one after another: all fifteen at once held the pool's connections and a core together while the
 * first visitors came (on a 1,000,000-job database, the search tail of issue 21). A task never overlaps itself:
 * a tick that comes while its last run goes on is skipped, so a slow sweep does not pile up.
 */
export function startMaintenance(ctx: AppContext, tasks = maintenanceTasks(), firstPassAfterMs = 5_000): () => void {
  const running = new Set<MaintenanceTask>();
  let stopped = false;
  const runOnce = async (task: MaintenanceTask) => {
    if (stopped || running.has(task)) return;
    running.add(task);
    try {
      ctx.logger.debug({ task: task.name, result: await task.run(ctx) }, 'maintenance done');
    } catch (err) {
      ctx.logger.warn({ err, task: task.name }, 'maintenance failed');
    } finally {
      running.delete(task);
    }
  };
  const firstPass = setTimeout(async () => {
    for (const task of tasks) await runOnce(task);
  }, firstPassAfterMs);
  const timers = [firstPass, ...tasks.map((task) => setInterval(() => void runOnce(task), task.everyMs))];
  for (const timer of timers) timer.unref();
  return () => {
    stopped = true;
    timers.forEach((t) => clearTimeout(t));
  };
}
