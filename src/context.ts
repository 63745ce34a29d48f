// Owns what every feature is built with: the database, config, logger, settings, file storage and clock.
import type { Config } from './config';
import type { Db, DbHandle } from './db/client';
import type { SettingsStore } from './features/site/settings.service';
import type { Logger } from './logger';
import type { Messaging } from './messaging/messaging';
import type { FileStorage } from './storage/files';
import type { DbGate } from './web/dbGate';

/** Request limits; the defaults are production values, tests may raise them. */
export type Limits = {
  loginPerAccount: number;
  loginPerIp: number;
  signupPerIp: number;
  applyPerUser: number;
  /** Applications per IP per hour: many accounts behind one address (a script) are held back too. */
  applyPerIp: number;
  reportPerIp: number;
  /** One-time codes per phone number or e-mail address per day (China time). */
  codePerRecipient: number;
  /** One-time codes requested from one IP per day (China time). */
  codePerIp: number;
  /** The shortest wait between two codes to one number or address, in seconds. */
  codeIntervalSeconds: number;
  /** Client demand forms (/hire) submitted per IP per hour. */
  hirePerIp: number;
  /** Client demand leads from one phone number per day. */
  hirePerPhone: number;
};

export const DEFAULT_LIMITS: Limits = {
  loginPerAccount: 5,
  loginPerIp: 20,
  signupPerIp: 20,
  applyPerUser: 30,
  applyPerIp: 60,
  reportPerIp: 10,
  codePerRecipient: 10,
  codePerIp: 20,
  codeIntervalSeconds: 60,
  hirePerIp: 10,
  hirePerPhone: 3,
};

export type AppContext = {
  db: Db;
  dbHandle: DbHandle;
  config: Config;
  logger: Logger;
  settings: SettingsStore;
  storage: FileStorage;
  limits: Limits;
  sessionCookieName: string;
  /** Knows when the database is down, so requests get a quick 503 instead of waiting on it. */
  dbGate: DbGate;
  /** The current time; tests replace it to move through retention windows and expiry dates. */
  now: () => Date;
  /** The message channel: `ctx.messaging.send(tx, message)` queues an SMS or e-mail inside the caller's transaction. */
  messaging: Messaging;
};
