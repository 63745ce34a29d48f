// Owns turning a posted form into typed values or Chinese field errors, and the 422 re-render.
import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { normalizeText } from '../domain/text';
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

/** Reads a positive integer route parameter; anything else means the page does not exist. */
export function parseId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 2147483647 ? n : null;
}

/**
 * A POST whose body is not a urlencoded form (JSON, text/plain, none at all) is read as an empty form, so every
 * route sees an object and answers with its own Chinese errors. Multer replaces it on the upload routes.
 */
export const emptyFormForOtherBodies: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object') req.body = {};
  next();
};
