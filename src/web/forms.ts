// Owns turning a posted form into typed values or Chinese field errors, and the 422 re-render.
import querystring from 'node:querystring';
import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { normalizeText, stripControlChars } from '../domain/text';
import { ValidationError, type FieldErrors } from '../errors';

export type FormValues = Record<string, string | string[]>;

/** The body as plain strings (NFKC-normalised), safe to echo back into the form. Passwords are left out. */
export function formValues(body: unknown, omit: string[] = ['password', 'passwordConfirm', '_csrf']): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (omit.includes(key) || key.startsWith('__')) continue;
    // Passwords are compared byte for byte: never normalised or trimmed.
    if (typeof raw === 'string') out[key] = /password/i.test(key) ? raw : normalizeText(raw);
    else if (Array.isArray(raw)) out[key] = raw.filter((x): x is string => typeof x === 'string').map(normalizeText);
  }
  return out;
}

export type ParseResult<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/** Validates a form body with a zod schema; the first error of each field is kept. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): ParseResult<z.infer<S>> {
  const values = formValues(body, ['_csrf']);
  const result = schema.safeParse(values);
  const shown = formValues(body);
  if (result.success) return { ok: true, data: result.data, values: shown };
  return { ok: false, errors: zodFieldErrors(result.error), values: shown };
}

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_form';
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Renders the form again with status 422, its errors beside the fields and the typed values kept. */
export function renderInvalid(res: Response, view: string, data: Record<string, unknown>, errors: FieldErrors, values: FormValues): void {
  res.status(422).render(view, { ...data, errors, values });
}

/** Runs a service call; a ValidationError from it re-renders the form (422) instead of reaching the error page. */
export async function orRenderInvalid<T>(
  res: Response,
  view: string,
  data: Record<string, unknown>,
  values: FormValues,
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await action() };
  } catch (err) {
    if (err instanceof ValidationError) {
      renderInvalid(res, view, data, err.fieldErrors, values);
      return { ok: false };
    }
    throw err;
  }
}

/** The largest id a row can have: ids are PostgreSQL `integer` (serial) columns. */
export const MAX_ID = 2147483647;

/**
 * The one parser of ids, wherever they come from (route parameter, form field, query string): a positive
 * integer that fits the id columns, else null. A larger number would make PostgreSQL fail the query (a 500).
 */
export function parseId(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 && raw <= MAX_ID ? raw : null;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_ID ? n : null;
}

/** Every string of a parsed body or query, control characters removed; the shape stays. */
export function withoutControlChars<T>(value: T): T {
  if (typeof value === 'string') return stripControlChars(value) as T;
  if (Array.isArray(value)) return value.map(withoutControlChars) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[stripControlChars(k)] = withoutControlChars(v);
    return out as T;
  }
  return value;
}

/**
 * The app's query-string parser (app.set('query parser', ...)): Express's 'simple' parser, with control
 * characters removed, so no route ever sees a NUL in `req.query` (PostgreSQL refuses it: a 500).
 */
export function parseQueryString(str: string): Record<string, unknown> {
  return withoutControlChars(querystring.parse(str));
}

/**
 * Removes control characters from every field of a form body before any route (or the login rate limit, or
 * Passport) reads it. Multipart bodies get the same treatment from acceptUpload once Multer has parsed them.
 */
export const stripControlCharsFromBody: RequestHandler = (req, _res, next) => {
  if (req.body && typeof req.body === 'object') req.body = withoutControlChars(req.body);
  next();
};

/**
 * A POST whose body is not a urlencoded form (JSON, text/plain, none at all) is read as an empty form, so every
 * route sees an object and answers with its own Chinese errors. Multer replaces it on the upload routes.
 */
export const emptyFormForOtherBodies: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object') req.body = {};
  next();
};
