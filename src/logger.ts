// Owns the process logger: pino, with personal data redacted before it is written.
import pino from 'pino';

const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

/** Masks mainland mobile numbers inside free text: 13812345678 → 138****5678. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, '$1****$2');
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
      streamWrite: (line) => maskPhones(line),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;
