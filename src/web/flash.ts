// Owns one-time messages shown after a redirect (Post/Redirect/Get).
import type { Request } from 'express';
import { startSession } from './session';

export type FlashType = 'success' | 'error' | 'info';

export function flash(req: Request, type: FlashType, text: string): void {
  if (!startSession(req)) return;
  req.session.flash = [...(req.session.flash ?? []), { type, text }];
}

/** Takes the pending messages out of the session (only when there are any, so no needless session write). */
export function takeFlashes(req: Request): { type: FlashType; text: string }[] {
  const pending = req.session?.flash;
  if (!pending || pending.length === 0) return [];
  delete req.session.flash;
  return pending;
}
