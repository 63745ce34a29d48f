// Owns the process configuration: read once from the environment (and .env), validated with zod.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Limits } from './context';
import { passwordProblem } from './domain/passwords';
import { PRIVACY_POLICY_VERSION } from './domain/policy';
import { PROJECT_ROOT } from './paths';


const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const limit = z.coerce.number().int().min(1).max(1_000_000).optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  // Unset: http://localhost:PORT, so canonical links, the sitemap and RSS are right on whatever port the site runs.
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  UPLOAD_DIR: z.string().optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TRUST_PROXY: z.string().default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Unset: demo data in development and test, none in production (demo accounts do not belong on a real site).
  SEED_DEMO: bool.optional(),
  ADMIN_LOGIN: z.string().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SITE_HOTLINE: z.string().optional(),
  SITE_NAME: z.string().optional(),
  RESUME_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  // A date string (YYYY-MM-DD): users who accepted an older version are asked again.
  PRIVACY_POLICY_VERSION: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').default(PRIVACY_POLICY_VERSION),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  // Server mode: connections opened at start, warmed with a search and kept open however long idle (issue 21).
  DB_POOL_WARM: z.coerce.number().int().min(0).max(200).default(3),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  // Embedded mode: PostgreSQL's buffer cache inside the process (its files stay in the OS page cache beside it).
  PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(1).max(1024).default(16),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).default(20000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120000),
  // Rate limits (unset: the production defaults of src/context.ts). Raised only for load tests and trusted networks.
  RATE_LIMIT_LOGIN_PER_ACCOUNT: limit,
  RATE_LIMIT_LOGIN_PER_IP: limit,
  RATE_LIMIT_SIGNUP_PER_IP: limit,
  RATE_LIMIT_APPLY_PER_USER: limit,
  RATE_LIMIT_APPLY_PER_IP: limit,
  RATE_LIMIT_REPORT_PER_IP: limit,
  RATE_LIMIT_CODE_PER_RECIPIENT: limit,
  RATE_LIMIT_CODE_PER_IP: limit,
  RATE_LIMIT_CODE_INTERVAL_SECONDS: limit,
  RATE_LIMIT_HIRE_PER_IP: limit,
  RATE_LIMIT_HIRE_PER_PHONE: limit,
  // The message channel (docs/messaging.md). outbox: stored for /admin/outbox, nothing leaves the site.
  SMS_DRIVER: z.enum(['outbox', 'aliyun']).default('outbox'),
  EMAIL_DRIVER: z.enum(['outbox', 'smtp']).default('outbox'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().optional(),
  ALIYUN_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().optional(),
  // kind=TemplateCode pairs, comma-separated: code=SMS_123,security_notice=SMS_456
  ALIYUN_SMS_TEMPLATES: z.string().regex(/^\s*[a-z_]+=SMS_\w+(\s*,\s*[a-z_]+=SMS_\w+)*\s*$/, 'must be kind=SMS_xxx pairs separated by commas').optional(),
  ALIYUN_SMS_ENDPOINT: z.url().default('https://dysmsapi.aliyuncs.com/'),
  MESSAGE_WORKER: bool.default(true),
  // Job alerts' quiet hours, Beijing time: "22-7" (the default: nothing from 22:00 to 07:00), or "off" (test sites).
  ALERT_QUIET_HOURS: z
    .string()
    .regex(/^(off|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/, 'must be off or two hours like 22-7')
    .refine((v) => v === 'off' || v.split('-')[0] !== v.split('-')[1], 'the two hours must differ')
    .default('22-7'),
  CODE_DAILY_BUDGET: z.coerce.number().int().min(1).default(1000),
});

export type SmsConfig =
  | { driver: 'outbox' }
  | { driver: 'aliyun'; accessKeyId: string; accessKeySecret: string; signName: string; templates: Record<string, string>; endpoint: string };
export type EmailConfig = { driver: 'outbox' } | { driver: 'smtp'; url: string; from: string };

export type Config = {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  publicUrl: string;
  /** PUBLIC_URL was not set: publicUrl is http://localhost:PORT, and follows the real port when PORT=0 picks one. */
  publicUrlFollowsPort: boolean;
  databaseUrl?: string;
  dataDir: string;
  uploadDir: string;
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  trustProxy: boolean | number | string;
  logLevel: string;
  seedDemo: boolean;
  admin?: { login: string; password: string };
  siteDefaults: { hotline?: string; siteName?: string };
  resumeRetentionDays: number;
  /** The privacy-policy version in force; defaults to src/domain/policy.ts, overridable for a staged change and tests. */
  privacyPolicyVersion: string;
  db: { poolMax: number; /** Connections warmed at start and kept open (at most poolMax). */ poolWarm: number; connectTimeoutMs: number; statementTimeoutMs: number; embeddedSharedBuffersMb: number };
  /** Slow clients (slow-loris, stalled uploads) lose their socket after these. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** Rate limits set in the environment; the rest keep their defaults. */
  limits: Partial<Limits>;
  messaging: { sms: SmsConfig; email: EmailConfig; /** Whether this process delivers queued messages. */ worker: boolean };
  /** One-time codes sent site-wide per day (China time); past it no code is sent and the admins are told. */
  codeDailyBudget: number;
  /** Job alerts wait from `from` o'clock to `until` o'clock, Beijing time; null: never (ALERT_QUIET_HOURS=off). */
  alertQuietHours: { from: number; until: number } | null;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Loads `.env` (when present) without overriding real environment variables. */
export function loadDotEnv(file = path.join(PROJECT_ROOT, '.env')): void {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    const value = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[m[1]!] === undefined) process.env[m[1]!] = value;
  }
}

/** The address of a site without PUBLIC_URL: this machine, on the port it listens on. */
export function localUrl(port: number): string {
  return `http://localhost:${port}`;
}

/** After listen(): a PUBLIC_URL that follows PORT takes the port the system picked for PORT=0. */
export function adoptListeningPort(config: Config, port: number): void {
  if (config.publicUrlFollowsPort) config.publicUrl = localUrl(port);
}

function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false' || raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw; // e.g. "loopback" or a subnet list, passed to Express as is
}

/** Validates the environment once; throws ConfigError with one readable line naming the setting. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')) as Record<string, string>;
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? 'config');
    throw new ConfigError(`配置错误: ${key}=${JSON.stringify(env[key] ?? '')} is invalid: ${issue.message}`);
  }
  const e = result.data;
  if ((e.ADMIN_LOGIN && !e.ADMIN_PASSWORD) || (!e.ADMIN_LOGIN && e.ADMIN_PASSWORD)) {
    throw new ConfigError('配置错误: ADMIN_LOGIN and ADMIN_PASSWORD must be set together');
  }
  // The admin's password meets the same policy as everyone's (not common, not the login).
  const adminPasswordProblem = e.ADMIN_PASSWORD ? passwordProblem(e.ADMIN_PASSWORD, e.ADMIN_LOGIN) : null;
  if (adminPasswordProblem) throw new ConfigError(`配置错误: ADMIN_PASSWORD is refused: ${adminPasswordProblem}`);
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('配置错误: SESSION_SECRET is required when NODE_ENV=production (at least 16 characters)');
  }
  const dataDir = path.resolve(PROJECT_ROOT, e.DATA_DIR);
  const messaging = { sms: smsConfig(e), email: emailConfig(e), worker: e.MESSAGE_WORKER };
  return {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? localUrl(e.PORT)).replace(/\/$/, ''),
    publicUrlFollowsPort: e.PUBLIC_URL === undefined,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    uploadDir: path.resolve(PROJECT_ROOT, e.UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    // Without a configured secret, a per-data-dir secret is generated by server.ts and kept on disk.
    sessionSecret: e.SESSION_SECRET ?? '',
    sessionSecretGenerated: !e.SESSION_SECRET,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    admin: e.ADMIN_LOGIN && e.ADMIN_PASSWORD ? { login: e.ADMIN_LOGIN, password: e.ADMIN_PASSWORD } : undefined,
    siteDefaults: { hotline: e.SITE_HOTLINE, siteName: e.SITE_NAME },
    resumeRetentionDays: e.RESUME_RETENTION_DAYS,
    privacyPolicyVersion: e.PRIVACY_POLICY_VERSION,
    db: {
      poolMax: e.DB_POOL_MAX,
      poolWarm: Math.min(e.DB_POOL_WARM, e.DB_POOL_MAX),
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      embeddedSharedBuffersMb: e.PGLITE_SHARED_BUFFERS_MB,
    },
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
    limits: Object.fromEntries(
      Object.entries({
        loginPerAccount: e.RATE_LIMIT_LOGIN_PER_ACCOUNT,
        loginPerIp: e.RATE_LIMIT_LOGIN_PER_IP,
        signupPerIp: e.RATE_LIMIT_SIGNUP_PER_IP,
        applyPerUser: e.RATE_LIMIT_APPLY_PER_USER,
        applyPerIp: e.RATE_LIMIT_APPLY_PER_IP,
        reportPerIp: e.RATE_LIMIT_REPORT_PER_IP,
        codePerRecipient: e.RATE_LIMIT_CODE_PER_RECIPIENT,
        codePerIp: e.RATE_LIMIT_CODE_PER_IP,
        codeIntervalSeconds: e.RATE_LIMIT_CODE_INTERVAL_SECONDS,
        hirePerIp: e.RATE_LIMIT_HIRE_PER_IP,
        hirePerPhone: e.RATE_LIMIT_HIRE_PER_PHONE,
      }).filter(([, v]) => v !== undefined),
    ),
    messaging,
    codeDailyBudget: e.CODE_DAILY_BUDGET,
    alertQuietHours: e.ALERT_QUIET_HOURS === 'off' ? null : { from: Number(e.ALERT_QUIET_HOURS.split('-')[0]), until: Number(e.ALERT_QUIET_HOURS.split('-')[1]) },
  };
}

type Env = z.infer<typeof schema>;

function required(e: Env, keys: (keyof Env)[], because: string): void {
  const missing = keys.filter((k) => !e[k]);
  if (missing.length) throw new ConfigError(`配置错误: ${missing.join(', ')} must be set when ${because}`);
}

function smsConfig(e: Env): SmsConfig {
  if (e.SMS_DRIVER === 'outbox') return { driver: 'outbox' };
  required(e, ['ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME', 'ALIYUN_SMS_TEMPLATES'], 'SMS_DRIVER=aliyun');
  const templates = Object.fromEntries(e.ALIYUN_SMS_TEMPLATES!.split(',').map((pair) => pair.trim().split('=') as [string, string]));
  return {
    driver: 'aliyun',
    accessKeyId: e.ALIYUN_ACCESS_KEY_ID!,
    accessKeySecret: e.ALIYUN_ACCESS_KEY_SECRET!,
    signName: e.ALIYUN_SMS_SIGN_NAME!,
    templates,
    endpoint: e.ALIYUN_SMS_ENDPOINT,
  };
}

function emailConfig(e: Env): EmailConfig {
  if (e.EMAIL_DRIVER === 'outbox') return { driver: 'outbox' };
  required(e, ['SMTP_URL', 'MAIL_FROM'], 'EMAIL_DRIVER=smtp');
  return { driver: 'smtp', url: e.SMTP_URL!, from: e.MAIL_FROM! };
}
