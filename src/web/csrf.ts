// Owns CSRF protection: a synchroniser token in the session, checked on every POST before any route runs.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { ForbiddenError } from '../errors';

const messages = {
  invalid: '页面已过期或请求来源无效,请刷新页面后重试',
};

export class CsrfError extends ForbiddenError {
  constructor() {
    super(messages.invalid);
  }
}

function isMultipart(req: Request): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

const sync = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    // Multipart bodies are parsed by Multer inside the upload route, after this check. Upload forms carry
    // the token in their action URL instead, so every POST is checked here, before any bytes touch the disk.
    if (isMultipart(req) && typeof req.query._csrf === 'string') return req.query._csrf;
    return undefined;
  },
});

/** Checks the token of every state-changing request; GET/HEAD/OPTIONS pass. */
export const csrfProtection: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  if (!req.session || !sync.isRequestValid(req)) return next(new CsrfError());
  next();
};

/**
 * The token for forms on this page. Lazy: only a page that shows a form creates a session,
 * so anonymous readers of lists and articles cost no session row.
 */
export function csrfTokenFor(req: Request): string {
  return sync.generateToken(req);
}
