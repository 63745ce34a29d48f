// Owns quick apply (快速报名): a visitor with no account applies with a name, a phone and its SMS code. The account,
// the minimal online resume and the application are made in one transaction; a phone that already has an
// account is sent to log in with a code instead of getting a second one.
import type { AppContext } from '../../context';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { createUser, findUserByLogin, type UserRow } from '../accounts/accounts.service';
import { createMinimalResume } from '../onlineResume/onlineResume.service';
import { consumeCode, verifyCode } from '../verification/verification.service';
import { findJobSummary, isJobOpen, isJobVisible } from './applications.queries';
import { applyWithin, asAlreadyApplied, todayOf } from './applications.service';

export const quickMessages = {
  hasAccount: '该手机号已注册,请用验证码登录后投递',
  jobClosed: '该职位已结束招聘,不能再报名',
};

/** Thrown when the code proved the phone is the visitor's and it already has an account. */
export class HasAccountError extends ValidationError {
  constructor() {
    super({ phone: quickMessages.hasAccount }, quickMessages.hasAccount);
  }
}

export type QuickApplyInput = {
  jobId: number;
  realName: string;
  gender: 'male' | 'female';
  birthYear: number;
  phone: string;
  code: string;
  policyVersion: string;
};

/** The job a visitor may quick-apply to: public (404 otherwise) and still open (409 otherwise). */
export async function quickApplyJob(ctx: AppContext, jobId: number) {
  const job = await findJobSummary(ctx.db, jobId);
  if (!isJobVisible(job)) throw new NotFoundError();
  return { ...job, open: isJobOpen(job, todayOf(ctx)) };
}

/**
 * Checks the code, then makes everything at once: the account (no password: it signs in with codes until it sets
 * one), its privacy consent, the online resume's first group, the application with its share consent, and the
 * code used up. Any failure rolls all of it back, and the code still works.
 */
export async function quickApply(ctx: AppContext, input: QuickApplyInput): Promise<{ user: UserRow; jobTitle: string }> {
  const job = await quickApplyJob(ctx, input.jobId);
  if (!job.open) throw new ConflictError(quickMessages.jobClosed);
  const verified = await verifyCode(ctx, { purpose: 'quick_apply', to: input.phone, code: input.code, fields: { to: 'phone', code: 'code' } });
  // Only now, with the number proved to be the visitor's, may the page say it has an account.
  if (await findUserByLogin(ctx.db, verified.recipient)) throw new HasAccountError();
  try {
    return await ctx.db.transaction(async (tx) => {
      await consumeCode(tx, verified);
      const user = await createUser(tx, {
        login: verified.recipient,
        password: null,
        role: 'seeker',
        displayName: input.realName,
        loginVerified: true,
        consented: true,
        policyVersion: input.policyVersion,
      });
      await createMinimalResume(tx, user.id, { realName: input.realName, gender: input.gender, birthYear: input.birthYear, phone: verified.recipient });
      await applyWithin(tx, todayOf(ctx), job.id, { seekerId: user.id, resumeId: 'none', message: '', shareConsent: true }, null);
      return { user, jobTitle: job.title };
    });
  } catch (err) {
    // Two quick applies for one number at once: the second finds the login taken.
    if (err instanceof ValidationError && err.fieldErrors.login) throw new HasAccountError();
    throw asAlreadyApplied(err);
  }
}
