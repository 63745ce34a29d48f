// Owns the page data of the account forms that POST /auth/code can show again (reset, phone and e-mail change).
import type { Request } from 'express';
import type { AppContext } from '../../context';
import { maskEmail, maskPhone } from '../../domain/text';
import { NotFoundError } from '../../errors';
import { safeNextPath } from '../../web/guards';
import { findUserById } from './accounts.service';

const messages = {
  resetTitle: '重置密码',
  title: (kind: 'phone' | 'email', state: 'none' | 'unverified' | 'verified') =>
    `${state === 'none' ? '绑定' : state === 'unverified' ? '验证' : '更换'}${kind === 'phone' ? '手机号' : '邮箱'}`,
};

export function forgotResetData() {
  return { title: messages.resetTitle, noindex: true };
}

export type ContactKind = 'phone' | 'email';

/** The phone or e-mail page of /me/security: the current value (masked), whether it is verified, where to go next. */
export async function contactPageData(ctx: AppContext, req: Request, kind: ContactKind) {
  const user = await findUserById(ctx.db, req.user!.id);
  if (!user) throw new NotFoundError();
  const current = kind === 'phone' ? user.phone : user.email;
  const verifiedAt = kind === 'phone' ? user.phoneVerifiedAt : user.emailVerifiedAt;
  const query = req.method === 'GET' ? req.query : (req.body as Record<string, unknown>);
  const title = messages.title(kind, !current ? 'none' : verifiedAt ? 'verified' : 'unverified');
  return {
    title,
    noindex: true,
    kind,
    current: current ? (kind === 'phone' ? maskPhone(current) : maskEmail(current)) : '',
    verified: Boolean(current && verifiedAt),
    /** An unverified number or address is filled in, so verifying it is one tap on 获取验证码. */
    prefill: current && !verifiedAt ? current : '',
    // Shown right after login to an account from before phone checks, with a "later" link to where it was going.
    prompt: query.prompt === '1',
    next: safeNextPath(query.next) ?? '',
    breadcrumbs: [{ label: '账号安全', href: '/me/security' }, { label: title }],
  };
}
