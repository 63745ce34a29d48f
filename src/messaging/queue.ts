// Owns the job queue under the message channel: pg-boss on the site's own database, on either driver.
// Its schema and the `messages` queue come with the migrations (0007), so nothing is created at start.
import PgBoss from 'pg-boss';
import { executeSql, type Db } from '../db/client';
import type { Logger } from '../logger';

export const MESSAGE_QUEUE = 'messages';
/** NOTIFY channel raised by every commit that queued a message. */
export const NOTIFY_CHANNEL = 'messaging';

/** pg-boss's database seam: its SQL runs through the site's own connection (PGlite or the pg pool). */
function executorFor(db: Db) {
  return { executeSql: (text: string, values: unknown[]) => executeSql(db, text, values) };
}

/**
 * A pg-boss on `db`. No timers of its own: no supervision (housekeeping is a maintenance task, see
 * Messaging.maintain), no cron, no polling worker (Messaging runs its own loop), so nothing holds PGlite's one
 * connection while idle.
 */
export function createBoss(db: Db, logger: Logger): PgBoss {
  const boss = new PgBoss({ db: executorFor(db), schema: 'pgboss', migrate: false, supervise: false, schedule: false });
  boss.on('error', (err) => logger.warn({ err }, 'job queue error'));
  return boss;
}

/** Puts a delivery job on the queue with `tx`: it exists only if the caller's transaction commits. */
export async function transactionalEnqueue(boss: PgBoss, tx: Db, data: { messageId: number }): Promise<void> {
  await boss.send(MESSAGE_QUEUE, data, { db: executorFor(tx) });
}
