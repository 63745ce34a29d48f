// Owns 订阅这个搜索 for a visitor: the button leads to login (or signup, or login with a code) with `next` set to
// the same /jobs search plus `subscribe=1`; the POST that signs them in makes the subscription (a CSRF-checked
// POST, never a GET with a side effect) and they land back on the search without the marker.
import type { AppContext } from '../../context';
import { ValidationError } from '../../errors';
import { parseJobListQuery } from '../jobs/jobs.validation';
import { createAlert, messages as alertMessages, searchOf } from './alerts.service';

const messages = {
  seekersOnly: '只有求职者账号可以订阅职位搜索',
  purpose: '登录或注册后,自动为你订阅这个搜索,有新职位会通知你。',
};

const SEARCH_PATH = '/jobs';
const MARKER = 'subscribe';

/** The link of a visitor's 订阅这个搜索: login, then back to this search (always /jobs, the preset type as a filter). */
export function visitorSubscribeHref(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (k === 'sort' || k === 'page' || v === undefined || v === null || v === '') continue;
    for (const one of ([] as unknown[]).concat(v)) query.append(k, String(one));
  }
  query.set(MARKER, '1');
  return `/login?next=${encodeURIComponent(`${SEARCH_PATH}?${query.toString()}`)}`;
}

/** The /jobs URL of a `next` marked for subscribing, or null for any other `next`. */
function subscribeTarget(next: string): URL | null {
  if (!next.startsWith(`${SEARCH_PATH}?`)) return null;
  const url = new URL(next, 'http://local.invalid');
  return url.pathname === SEARCH_PATH && url.searchParams.get(MARKER) === '1' ? url : null;
}

/** What signing in will also do for this `next`, said on the login and signup pages; null when nothing. */
export function signInPurpose(next: unknown): string | null {
  return typeof next === 'string' && subscribeTarget(next) ? messages.purpose : null;
}

export type ReturnAction = { next: string; notice?: { type: 'success' | 'error' | 'info'; text: string } };

/**
 * After a sign-in: when `next` (already a safe local path) is a /jobs search marked `subscribe=1`, a seeker gets the
 * subscription made and goes back to the search without the marker. Any other `next` is returned as it is.
 */
export async function subscribeFromNext(ctx: AppContext, user: { id: number; role: string }, next: string): Promise<ReturnAction> {
  const url = subscribeTarget(next);
  if (!url) return { next };
  url.searchParams.delete(MARKER);
  // Only the path and query are kept: the result is a local /jobs page whatever the marker's URL held.
  const back = `${SEARCH_PATH}${url.searchParams.size ? `?${url.searchParams.toString()}` : ''}`;
  if (user.role !== 'seeker') return { next: back, notice: { type: 'info', text: messages.seekersOnly } };
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    raw[key] = all.length > 1 ? all : all[0]!;
  }
  try {
    const { alert, created } = await createAlert(ctx.db, user.id, searchOf(parseJobListQuery(raw)), ctx.now());
    const notice = created ? { type: 'success' as const, text: alertMessages.created(alert.name) } : { type: 'info' as const, text: alertMessages.already(alert.name) };
    return { next: back, notice };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { next: back, notice: { type: 'error', text: err.fieldErrors.alert ?? alertMessages.tooMany } };
  }
}
