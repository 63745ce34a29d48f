// Owns the security notices an account receives (password reset or changed, phone or e-mail changed): by SMS or
// e-mail through the message channel, and in the site inbox, inside the transaction of the change.
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { maskLogin } from '../../domain/text';
import type { Channel } from '../../messaging/messaging';
import { notifyUser } from '../notifications/notifications.service';
import type { UserRow } from './accounts.service';

export type SecurityEvent = 'password_reset' | 'password_changed' | 'phone_changed' | 'email_changed';

const messages = {
  title: '账号安全提醒',
  action: {
    password_reset: () => '密码已重置',
    password_changed: () => '密码已修改',
    phone_changed: (to: string) => `已换绑手机号 ${to}`,
    email_changed: (to: string) => `已换绑邮箱 ${to}`,
  } satisfies Record<SecurityEvent, (to: string) => string>,
  body: (site: string, action: string, hotline: string) => `你在${site}的账号${action}。如非本人操作请联系客服 ${hotline}。`,
  subject: (site: string) => `${site}账号安全提醒`,
};

/**
 * Tells the account holder, on every channel the account has (its phone and its e-mail: whoever reset a password
 * through one of them, the other still reaches the owner), or only `to` (a changed phone: the old number).
 * `newValue` is the new phone or e-mail, shown masked.
 */
export async function sendSecurityNotice(
  ctx: AppContext,
  tx: Db,
  user: Pick<UserRow, 'id' | 'phone' | 'email'>,
  event: SecurityEvent,
  options: { to?: { channel: Channel; recipient: string }; newValue?: string } = {},
): Promise<void> {
  const site = await ctx.settings.getWithin(tx);
  const action = messages.action[event](options.newValue ? maskLogin(options.newValue) : '');
  const body = messages.body(site.siteName, action, site.hotline);
  const recipients: { channel: Channel; recipient: string }[] = options.to
    ? [options.to]
    : [
        ...(user.phone ? [{ channel: 'sms' as const, recipient: user.phone }] : []),
        ...(user.email ? [{ channel: 'email' as const, recipient: user.email }] : []),
      ];
  for (const to of recipients) {
    await ctx.messaging.send(tx, {
      channel: to.channel,
      to: to.recipient,
      kind: 'security_notice',
      subject: to.channel === 'email' ? messages.subject(site.siteName) : undefined,
      body,
      params: { action, hotline: site.hotline },
      userId: user.id,
    });
  }
  await notifyUser(tx, user.id, { kind: 'security', title: messages.title, body, link: '/me/security' });
}
