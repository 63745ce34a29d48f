// Owns what every delivery driver is: one message in, the provider's id out, or an error that says whether to retry.
import type { messages } from '../../db/schema';

export type StoredMessage = typeof messages.$inferSelect;

export type DeliveryResult = { providerId?: string };

export type Driver = {
  /** As recorded on each message and shown on the outbox page: outbox, smtp, aliyun. */
  name: string;
  /** True for the outbox: the message is kept for /admin/outbox and nothing leaves the site. */
  storesOnly: boolean;
  deliver(message: StoredMessage): Promise<DeliveryResult>;
  close?(): Promise<void>;
};

/** A delivery that failed. `permanent`: trying again cannot help (a refused number, no template configured). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export const outboxDriver: Driver = {
  name: 'outbox',
  storesOnly: true,
  // The row itself is the outbox: there is nothing to hand over.
  deliver: async () => ({}),
};
