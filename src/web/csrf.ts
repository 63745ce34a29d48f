// Owns CSRF protection: a synchroniser token in the session, checked on every POST before any route runs.
// Pages never carry the session's token itself, only a copy masked afresh for each use (BREACH, below).
import crypto from 'node:crypto';
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

/** The token as the client sent it: form field, header, or (upload forms only) the action URL. */
function tokenFromRequest(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromBody === 'string') return fromBody;
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  // Multipart bodies are parsed by Multer inside the upload route, after this check. Upload forms carry
  // the token in their action URL instead, so every POST is checked here, before any bytes touch the disk.
  if (isMultipart(req) && typeof req.query._csrf === 'string') return req.query._csrf;
  return undefined;
}

const sync = csrfSync({ size: 32 });

/**
 * BREACH: a gzip-compressed page that reflects what the visitor typed (`/jobs?q=`) and also carries a fixed secret
 * leaks the secret byte by byte through the compressed length. So, as Rails and Django do, each token printed is
 * the session's token XOR a fresh random mask, sent with the mask: `base64url(mask ‖ mask ⊕ token)`. It differs on
 * every render, so there is nothing fixed to guess, and unmasking gives the same session token. A bare session
 * token is still accepted (pages rendered before this change), as Rails and Django also do.
 */
export function maskToken(token: string): string {
  const raw = Buffer.from(token, 'utf8');
  const mask = crypto.randomBytes(raw.length);
  const masked = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = raw[i]! ^ mask[i]!;
  return Buffer.concat([mask, masked]).toString('base64url');
}

/** The session token inside a masked token, or the token as sent when it is not a masked one. */
export function unmaskToken(sent: string, expectedLength: number): string {
  if (!/^[A-Za-z0-9_-]+$/.test(sent)) return sent;
  const bytes = Buffer.from(sent, 'base64url');
  if (bytes.length !== expectedLength * 2) return sent;
  const out = Buffer.alloc(expectedLength);
  for (let i = 0; i < expectedLength; i++) out[i] = bytes[i]! ^ bytes[i + expectedLength]!;
  return out.toString('utf8');
}

function isRequestValid(req: Request): boolean {
  const stored = sync.getTokenFromState(req);
  const sent = tokenFromRequest(req);
  if (typeof stored !== 'string' || typeof sent !== 'string' || stored.length === 0) return false;
  const storedBytes = Buffer.from(stored, 'utf8');
  const candidate = Buffer.from(unmaskToken(sent, storedBytes.length), 'utf8');
  return candidate.length === storedBytes.length && crypto.timingSafeEqual(candidate, storedBytes);
}

/** Checks the token of every state-changing request; GET/HEAD/OPTIONS pass. */
export const csrfProtection: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  if (!req.session || !isRequestValid(req)) return next(new CsrfError());
  next();
};

/**
 * The token for forms on this page, masked afresh on each call. Lazy: only a page that shows a form creates a
 * session, so anonymous readers of lists and articles cost no session row.
 */
export function csrfTokenFor(req: Request): string {
  return maskToken(sync.generateToken(req));
}
