// Owns e-mail delivery through an SMTP server (nodemailer): the site's own mail server or a provider's.
import type nodemailerModule from 'nodemailer';
import { DeliveryError, type Driver } from './driver';

/** SMTP replies 5xx mean "never" (no such mailbox, refused); 4xx and lost connections mean "later". */
function isPermanent(err: { responseCode?: number }): boolean {
  return typeof err.responseCode === 'number' && err.responseCode >= 500;
}

export function smtpDriver(options: { url: string; from: string }): Driver {
  // One pooled connection, closed on shutdown; timeouts so a dead server fails the try instead of hanging it.
  // Required here, not at the top: a site without SMTP never loads nodemailer (issue 21, start time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodemailer = require('nodemailer') as typeof nodemailerModule;
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 1,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    name: 'smtp',
    storesOnly: false,
    async deliver(message) {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.recipient,
          subject: message.subject ?? '',
          text: message.body,
        });
        return { providerId: info.messageId };
      } catch (err) {
        const e = err as Error & { responseCode?: number; response?: string };
        throw new DeliveryError(`SMTP: ${e.response ?? e.message}`.slice(0, 500), isPermanent(e));
      }
    },
    async close() {
      transport.close();
    },
  };
}
