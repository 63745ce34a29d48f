// Owns the process logger: pino, with personal data redacted before it is written; readable lines for a person
// at a terminal in development, one JSON object per line everywhere else (files, journald, log collectors).
import pino from 'pino';
import pretty from 'pino-pretty';
import { maskPhonesIn } from './domain/text';

/** Pretty lines only for a person watching: a terminal, and not production (where logs are collected as JSON). */
export function wantsPrettyLogs(env: { isProduction: boolean }, stdoutIsTty: boolean | undefined): boolean {
  return !env.isProduction && stdoutIsTty === true;
}

/** Colourful one-line entries with local times, as pino-pretty writes them; the masking hook has already run. */
export function prettyDestination(): pino.DestinationStream {
  return pretty({ colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname', singleLine: true });
}

export function createLogger(level = 'info', destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        '*.passwordConfirm',
        '*.passwordHash',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.body',
      ],
      censor: '[redacted]',
    },
    hooks: {
      // Phone numbers can appear in URLs (search terms) and messages: mask them everywhere.
      streamWrite: (line) => maskPhonesIn(line),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;
