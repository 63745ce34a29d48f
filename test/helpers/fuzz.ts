// Shared pieces of the fuzz and abuse tests: hostile strings, a form's fields read from its page, a fingerprint of
// the data (to prove a refused request changed nothing) and the checks every answer must pass.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/context';
import { queryRows } from '../../src/db/client';

/** Tables whose rows change on reads or on every request (sessions, counters, views): left out of the fingerprint. */
const VOLATILE_TABLES = new Set(['sessions', 'rate_limits', 'job_views', 'article_views', '__drizzle_migrations']);

/** SQL metacharacters and injection shapes. */
export const SQL_META = ["'", '";--', '%', '_', '\\', "' OR 1=1 --", "' OR '1'='1", '$$', '$1', "'; DROP TABLE users; --", '%_%', '\\%', 'E\'\\x00\'', ':name', '?', '/* */', '`', '\u0000'];

/** Unicode that breaks naive code: ZWJ emoji, lone-surrogate-free astral chars, full-width, bidi and zero-width marks, combining marks. */
export const UNICODE_EDGE = [
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '𠀋𡈽𤭢',
  '１３８００１３８０００',
  'ＡＢＣ＃＄％',
  '\u202e反转\u202c',
  '\u200f\u200e',
  'a\u200bb\u200c\u200d\ufeff',
  'é́̃̈',
  'Z̴̡̛̖̗a̸̢͇̓l̵͈̾g̶̙͛o̷͎͐',
  '\t\r\n',
  '\u2028\u2029',
];

/** Markup that must come back escaped: a tag no sanitiser allow-list has. */
export const MARKUP = '<fuzz-tag onclick="x">"\'&</fuzz-tag>';

/** A hostile text value: random text, SQL, Unicode edge cases, markup, empty, very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_META) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE_EDGE) },
  { weight: 1, arbitrary: fc.constant(MARKUP) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1.5', '007', '99999999999999999999', 'NaN', 'Infinity', '1e309', 'true', 'null', 'undefined', '[object Object]') },
  { weight: 1, arbitrary: fc.constantFrom('好'.repeat(10_000), 'a'.repeat(10_000), '👍'.repeat(5_000), '普工 日结 '.repeat(2_000)) },
);

export type FormField = { name: string; options: string[] };

/**
 * The fields of the form(s) on a page that post to `action` (path without query): names, plus the values offered by
 * selects, radios and checkboxes. The fuzzer mixes real choices with hostile text.
 */
export function formFieldsOf(html: string, action: string): FormField[] {
  const fields = new Map<string, Set<string>>();
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].filter((m) => {
    const a = /action="([^"]*)"/.exec(m[1]!)?.[1]?.replace(/&amp;/g, '&').split('?')[0];
    return a === action;
  });
  for (const form of forms) {
    for (const m of form[2]!.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
      const name = /\sname="([^"]+)"/.exec(m[2]!)?.[1];
      if (!name || name === '_csrf') continue;
      const set = fields.get(name) ?? new Set<string>();
      const value = /\svalue="([^"]*)"/.exec(m[2]!)?.[1];
      if (value !== undefined && /type="(radio|checkbox|hidden)"/.test(m[2]!)) set.add(decodeEntities(value));
      fields.set(name, set);
    }
    for (const m of form[2]!.matchAll(/<select\b[^>]*\sname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const set = fields.get(m[1]!)!;
      for (const o of m[2]!.matchAll(/<option\b[^>]*value="([^"]*)"/g)) set.add(decodeEntities(o[1]!));
    }
  }
  return [...fields].map(([name, options]) => ({ name, options: [...options] }));
}

function decodeEntities(s: string): string {
  return s.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export type FormBody = Record<string, string | string[]>;

/** Bodies for a form: each field left out, given a real choice, hostile text or several values; sometimes unknown fields. */
export function formBody(fields: FormField[]): fc.Arbitrary<FormBody> {
  const value = (f: FormField): fc.Arbitrary<string | string[] | undefined> =>
    fc.oneof(
      fc.constant(undefined),
      f.options.length ? fc.constantFrom(...f.options) : hostileString,
      hostileString,
      fc.array(f.options.length ? fc.oneof(fc.constantFrom(...f.options), hostileString) : hostileString, { minLength: 2, maxLength: 3 }),
    );
  const known = fc.record(Object.fromEntries(fields.map((f) => [f.name, value(f)])));
  const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'role', 'status', 'id', 'userId', 'employerId', 'x'), hostileString, { maxKeys: 2 });
  return fc.tuple(known, extra).map(([k, e]) => {
    const out: FormBody = {};
    for (const [name, v] of Object.entries({ ...e, ...k })) if (v !== undefined) out[name] = v;
    return out;
  });
}

/** A urlencoded body built by hand, so keys like __proto__ reach the server as sent. */
export function encodeForm(body: FormBody, csrf?: string): string {
  const parts: string[] = [];
  if (csrf) parts.push(`_csrf=${encodeURIComponent(csrf)}`);
  for (const [k, v] of Object.entries(body)) for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(x)}`);
  return parts.join('&');
}

/**
 * A digest of every row of every table that requests may change. Equal digests before and after a refused request
 * mean it changed nothing.
 */
export async function dataFingerprint(ctx: AppContext): Promise<string> {
  const rows = await queryRows<{ table_name: string }>(ctx.db, sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const tables = rows.map((r) => r.table_name).filter((name) => !VOLATILE_TABLES.has(name));
  const parts = tables.map((name) => `select '${name}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${name}" x`);
  const digests = await queryRows<{ t: string; h: string }>(ctx.db, sql.raw(parts.join(' union all ')));
  return digests.map((r) => `${r.t}:${r.h}`).join(',');
}

/** The tables whose digest differs between two fingerprints (for a readable failure). */
export function changedTables(before: string, after: string): string[] {
  const a = new Map(before.split(',').map((p) => p.split(':') as [string, string]));
  return after
    .split(',')
    .map((p) => p.split(':') as [string, string])
    .filter(([t, h]) => a.get(t) !== h)
    .map(([t]) => t);
}

/** Text as EJS's `<%=` writes it: what a page must contain for a value shown escaped. */
export function escaped(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

const CJK = /[\u4e00-\u9fff]/;

/** An answer to hostile input: never a 5xx; a refusal says why in Chinese; hostile markup never comes back raw. */
export function expectSafeAnswer(res: { status: number; text?: string; headers: Record<string, string> }, label: string): void {
  if (res.status >= 500) throw new Error(`${label}: answered ${res.status}\n${(res.text ?? '').slice(0, 500)}`);
  const text = res.text ?? '';
  if (res.status >= 400 && res.status !== 431 && !CJK.test(text)) throw new Error(`${label}: ${res.status} without a Chinese message: ${text.slice(0, 200)}`);
  if (text.includes('<fuzz-tag')) throw new Error(`${label}: hostile markup echoed unescaped`);
}

/** Runs shared by every property of the fuzz files: bounded, so the whole fuzz set stays within a couple of minutes. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 30);
