// Reads one-time codes the way a tester does in development: from the outbox (the `messages` table the outbox
// driver keeps, which /admin/outbox shows), never from the code table, which only holds hashes.
import { and, desc, eq } from 'drizzle-orm';
import { messages } from '../../src/db/schema';
import { normalizePhone } from '../../src/domain/text';
import type { TestApp } from './app';
import type { TestClient } from './client';

/** The newest message to a phone or e-mail address. */
export async function lastMessageTo(t: TestApp, to: string, kind?: string) {
  const recipient = to.includes('@') ? to.toLowerCase() : normalizePhone(to);
  const [row] = await t.ctx.db
    .select()
    .from(messages)
    .where(kind ? and(eq(messages.recipient, recipient), eq(messages.kind, kind)) : eq(messages.recipient, recipient))
    .orderBy(desc(messages.id))
    .limit(1);
  return row;
}

/** The 6 digits of the newest code sent to `to`. */
export async function lastCodeTo(t: TestApp, to: string): Promise<string> {
  const message = await lastMessageTo(t, to, 'code');
  const code = message ? /\b(\d{6})\b/.exec(message.body)?.[1] : undefined;
  if (!code) throw new Error(`no code was sent to ${to}`);
  return code;
}

/** Presses 获取验证码 on a form (POST /auth/code with the form's fields) and returns the code that arrived. */
export async function requestCodeFor(t: TestApp, client: TestClient, purpose: string, fields: Record<string, string>): Promise<string> {
  const res = await client.post('/auth/code', { ...fields, purpose });
  if (res.status !== 200) throw new Error(`code request failed: ${res.status} ${/class="error"[^>]*>([^<]*)/.exec(res.text)?.[1] ?? ''}`);
  const to = fields.login ?? fields.phone ?? fields.email!;
  return lastCodeTo(t, to);
}

/** Signs up through the forms: a code to the phone or e-mail, then the signup form. */
export async function signUpWithCode(
  t: TestApp,
  client: TestClient,
  form: { role?: string; login: string; displayName?: string; password?: string; next?: string },
) {
  const fields = { role: form.role ?? 'seeker', login: form.login, displayName: form.displayName ?? '张三', consent: 'yes' };
  const code = await requestCodeFor(t, client, 'signup', fields);
  const password = form.password ?? 'kite-river-48';
  return client.post('/signup', { ...fields, code, password, passwordConfirm: password, next: form.next });
}
