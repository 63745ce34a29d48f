// Owns the process logger: pino, with personal data redacted before it is written.
import pino from 'pino';
import { maskPhonesIn } from './domain/text';

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
