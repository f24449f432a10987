import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Names of fields whose values are never written to a log, wherever they appear. Tokens and
 * connection strings are the secrets crm-pulse handles.
 */
const REDACT = [
  'token', 'botToken', 'appToken', 'signingSecret', 'password', 'authorization', 'databaseUrl', 'url',
  '*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.password', '*.authorization', '*.databaseUrl',
  'headers.authorization', 'env.SLACK_BOT_TOKEN', 'env.SLACK_APP_TOKEN', 'env.SLACK_SIGNING_SECRET', 'env.DATABASE_URL',
  'vars', '*.vars', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken', 'clientSecret', '*.clientSecret',
];

/** Creates the process logger: JSON lines on stderr, so that stdout stays for command output. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', name: options.name ?? 'crm-pulse', redact: { paths: REDACT, censor: '[redacted]' } },
    pino.destination(2),
  );
}

/** A logger that drops everything, for tests and quiet CLI verbs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
