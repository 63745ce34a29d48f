// Owns an admin's verification of a company (认证): the badge on its jobs, the audit entry, and the employer's notice.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { employerProfiles, users } from '../../db/schema';
import { ConflictError, NotFoundError } from '../../errors';
import { recordAudit, type Actor } from '../audit/audit.service';
import { notifyUser } from '../notifications/notifications.service';
import { isProfileComplete } from '../jobs/jobs.service';

const messages = {
  noProfile: '该企业还没有填写企业资料,无法认证',
  incomplete: '企业资料不完整,无法认证',
  changedSinceViewed: '企业资料在你打开页面后有修改,请核对最新资料后再认证',
  verifiedTitle: '企业认证已通过',
  verifiedBody: (company: string) => `你的企业「${company}」已通过平台认证,职位上会显示“已认证”标识。`,
  unverifiedTitle: '企业认证已取消',
  unverifiedBody: (company: string, reason: string) =>
    `你的企业「${company}」的认证已被管理员取消${reason ? `,原因:${reason}` : ''}。请核对企业资料,如有疑问请联系客服。`,
};

type ProfileRow = typeof employerProfiles.$inferSelect;

/** What an audit entry keeps of a profile's verification: who the company claimed to be when it was checked. */
function verificationState(p: ProfileRow) {
  return {
    companyName: p.companyName,
    creditCode: p.creditCode,
    licenseNo: p.licenseNo,
    verifiedAt: p.verifiedAt,
    verifiedBy: p.verifiedBy,
  };
}

export type VerifyOptions = {
  now: Date;
  /**
   * The profile's `updatedAt` (ISO) as the admin saw it. Verifying vouches for what was on the screen, so a
   * profile edited since then is refused rather than verified unseen.
   */
  seen?: string;
  /** Why the badge is taken away; told to the employer. */
  reason?: string;
};

/** Verifies or un-verifies a company. `changed` is false when it already was in that state (nothing written). */
export async function setEmployerVerified(
  db: Db,
  actor: Actor,
  employerId: number,
  verified: boolean,
  opts: VerifyOptions,
): Promise<{ changed: boolean; companyName: string }> {
  return db.transaction(async (tx) => {
    const [account] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, employerId), eq(users.role, 'employer')));
    if (!account) throw new NotFoundError();
    const [profile] = await tx.select().from(employerProfiles).where(eq(employerProfiles.userId, employerId)).for('update');
    if (!profile) throw new ConflictError(messages.noProfile);
    if ((profile.verifiedAt !== null) === verified) return { changed: false, companyName: profile.companyName };
    if (verified) {
      if (!isProfileComplete(profile)) throw new ConflictError(messages.incomplete);
      if (opts.seen !== profile.updatedAt.toISOString()) throw new ConflictError(messages.changedSinceViewed);
    }
    // The profile's own updatedAt is left alone: it dates the company's edits, which verification is checked against.
    const [updated] = await tx
      .update(employerProfiles)
      .set(verified ? { verifiedAt: opts.now, verifiedBy: actor.id } : { verifiedAt: null, verifiedBy: null })
      .where(eq(employerProfiles.userId, employerId))
      .returning();
    const reason = verified ? '' : (opts.reason ?? '');
    await recordAudit(tx, actor, {
      action: verified ? 'employer.verify' : 'employer.unverify',
      targetType: 'employer',
      targetId: employerId,
      before: verificationState(profile),
      after: { ...verificationState(updated!), ...(reason ? { reason } : {}) },
    });
    await notifyUser(tx, employerId, {
      kind: verified ? 'employer.verified' : 'employer.unverified',
      title: verified ? messages.verifiedTitle : messages.unverifiedTitle,
      body: verified ? messages.verifiedBody(profile.companyName) : messages.unverifiedBody(profile.companyName, reason),
      link: '/employer/profile',
    });
    return { changed: true, companyName: profile.companyName };
  });
}
