// Owns the process logger: pino, with personal data and secrets redacted before anything is written; readable lines
// for a person at a terminal in development, one JSON object per line everywhere else (files, journald, collectors).
import pino from 'pino';
import type prettyModule from 'pino-pretty';
import { DrizzleQueryError } from 'drizzle-orm';
import { maskPhonesIn } from './domain/text';

/** Query-string parameters whose values are secrets (CSRF tokens of upload forms, reset tokens, codes). */
const SECRET_PARAMS = new Set(['_csrf', 'csrf', 'token', 'code', 'password', 'passwordconfirm', 'secret', 'key', 'sig']);

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * A URL as it may be logged: the values of secret query parameters replaced by [redacted], whatever the
 * spelling of their name (`_csrf`, `%5Fcsrf`). The logger applies it to every `url` field it writes
 * (serializers below) and pino-http's request line uses it, so no call site can forget it.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMS.has(decodedName(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q + 1)}${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}

function sqlStateOf(err: unknown): { code?: string; constraint?: string; table?: string; column?: string } | undefined {
  let e = err as { code?: unknown; cause?: unknown; constraint?: unknown; table?: unknown; column?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return { code: e.code, constraint: str(e.constraint), table: str(e.table), column: str(e.column) };
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

function drizzleErrorOf(err: unknown): DrizzleQueryError | undefined {
  let e = err as { cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (e instanceof DrizzleQueryError) return e;
    e = e.cause as typeof e;
  }
  return undefined;
}

/**
 * Errors as logged. A failed query is logged by its SQL text (placeholders only) and SQLSTATE: never its
 * parameters, nor the messages of Drizzle and the server, which quote them (logins, phones, search words:
 * `Failed query ... params: 13812345678`, `Key (login)=(...) already exists`).
 */
export function serializeError(err: unknown): unknown {
  // Duck-typed, not instanceof: a driver's error may come from another realm (Node internals under Jest's VM).
  if (!err || typeof err !== 'object') return err;
  const e = err as Error;
  const query = drizzleErrorOf(err);
  const state = sqlStateOf(err);
  if (!query && !state) return pino.stdSerializers.err(e);
  const frames = (typeof e.stack === 'string' ? e.stack : '').split('\n').filter((line) => /^\s+at /.test(line));
  return {
    type: e.constructor?.name ?? 'Error',
    message: `database query failed${state?.code ? ` (SQLSTATE ${state.code})` : ''}`,
    ...(query ? { query: query.query } : {}),
    ...state,
    stack: frames.join('\n'),
  };
}

/** Pretty lines only for a person watching: a terminal, and not production (where logs are collected as JSON). */
export function wantsPrettyLogs(env: { isProduction: boolean }, stdoutIsTty: boolean | undefined): boolean {
  return !env.isProduction && stdoutIsTty === true;
}

/** Colourful one-line entries with local times, as pino-pretty writes them; the masking hook has already run. */
export function prettyDestination(): pino.DestinationStream {
  // Required here: production (JSON lines) never loads it (issue 21, start time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof prettyModule;
  return pretty({ colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname', singleLine: true });
}

export function createLogger(level = 'info', destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        '*.passwordConfirm',
        '*.passwordHash',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.body',
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: serializeError,
      url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url),
    },
    hooks: {
      // Phone numbers can appear in URLs (search terms) and messages: mask them everywhere.
      streamWrite: (line) => maskPhonesIn(line),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;
