// Owns consent to the privacy policy after signup: who must accept a newer version, recording it, and the
// gate that sends such a user to /consent before anything else.
import { eq, sql } from 'drizzle-orm';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { consents, users } from '../../db/schema';

/**
 * Seekers and employers who accepted an older version (or none) must accept the one in force. Admins are the
 * operator's own staff, not users the policy is addressed to. Versions are dates (YYYY-MM-DD), so they compare as text.
 */
export function needsPolicyConsent(user: Express.User | undefined, current: string): boolean {
  // Staff accounts are made by an admin for the company's own people: not asked to accept the users' policy.
  if (!user || user.role === 'admin' || user.role === 'consultant') return false;
  return (user.policyVersion ?? '') < current;
}

/** The user accepts `version`: the user row says so, and a consent record keeps the time. */
export async function recordPolicyConsent(db: Db, userId: number, version: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ policyVersion: version, policyAcceptedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(users.id, userId));
    await tx.insert(consents).values({ userId, kind: 'privacy_policy', policyVersion: version });
  });
}

/**
 * While a pending consent is open, the user may still read the policy, leave, or take their data and go
 * (export, delete): refusing the new policy must not lock anyone into it.
 */
const OPEN_WHILE_PENDING = /^\/(consent|logout|privacy|terms|healthz|me\/export|me\/delete)(\/|$)/;

export function consentGate(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!needsPolicyConsent(req.user, ctx.config.privacyPolicyVersion) || OPEN_WHILE_PENDING.test(req.path)) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.session.returnTo = req.originalUrl;
      return res.redirect('/consent');
    }
    res.redirect(303, '/consent');
  };
}
