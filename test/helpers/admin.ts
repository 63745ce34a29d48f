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

/** A settings section's form as the page shows it: every field with its current value (what a browser posts back). */
export async function settingsForm(admin: TestClient, section: string): Promise<Record<string, string>> {
  const page = await admin.get(`/admin/settings?section=${section}`);
  if (page.status !== 200) throw new Error(`settings page answered ${page.status}`);
  const form = /<form class="form settings-form"[\s\S]*?<\/form>/.exec(page.text)![0];
  const values: Record<string, string> = {};
  const decode = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input [^>]*name="([^"]+)"[^>]*?(?: value="([^"]*)")?[^>]*>/g)) {
    if (m[1] === '_csrf' || /type="checkbox"/.test(m[0])) continue;
    values[m[1]!] = decode(/ value="([^"]*)"/.exec(m[0])?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) values[m[1]!] = decode(m[2]!);
  for (const m of form.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) values[m[1]!] = decode(/<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? '');
  return values;
}
