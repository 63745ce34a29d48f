// Test helpers of the back office: audit entries of an action, the flash shown after a redirect.
import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../src/context';
import { auditLog } from '../../src/db/schema';
import type { TestClient } from './client';

/** The audit entries of an action (optionally for one target), newest first. */
export async function auditEntries(ctx: AppContext, action: string, targetId?: number | string) {
  return ctx.db
    .select()
    .from(auditLog)
    .where(targetId === undefined ? eq(auditLog.action, action) : and(eq(auditLog.action, action), eq(auditLog.targetId, String(targetId))))
    .orderBy(desc(auditLog.id));
}

/** Follows a 303 and returns the page it leads to (with its one-time flash messages). */
export async function follow(client: TestClient, res: { status: number; headers: Record<string, string> }) {
  if (res.status !== 303 && res.status !== 302) throw new Error(`expected a redirect, got ${res.status}`);
  return client.get(res.headers.location!);
}

/** The text of the flash messages of a page, by type. */
export function flashes(html: string): { type: string; text: string }[] {
  return [...html.matchAll(/<div class="flash flash-(\w+)" role="\w+">([^<]*)<\/div>/g)].map((m) => ({ type: m[1]!, text: m[2]! }));
}
