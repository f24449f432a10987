import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger };

/**
 * Names of fields whose values are never written to a log, wherever they appear. Tokens and
 * connection strings are the secrets crm-pulse handles.
 */
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'authorization',
  'databaseUrl',
  'url',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.password',
  '*.authorization',
  '*.databaseUrl',
  'headers.authorization',
  'env.SLACK_BOT_TOKEN',
  'env.SLACK_APP_TOKEN',
  'env.SLACK_SIGNING_SECRET',
  'env.DATABASE_URL',
  'vars',
  '*.vars',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'clientSecret',
  '*.clientSecret',
];

/** How log lines are written. */
export type LogFormat =
  /** one JSON object a line, for log collectors */
  | 'json'
  /** `21:30:06.123 INFO (crm-pulse): message` with the fields after it, for a person at a terminal */
  | 'pretty';

/** Options of the process logger. */
export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  /** default: `pretty` when the destination is a terminal, else `json` */
  readonly format?: LogFormat;
  /** colours in `pretty` lines; default: when the destination is a terminal */
  readonly colorize?: boolean;
  /** where lines go; default stderr, so that stdout stays for command output */
  readonly destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Creates the process logger: JSON lines, or readable lines on a terminal. Both formats are
 * written synchronously on the calling thread (no worker-thread transport), so secrets are
 * redacted before either is formatted and nothing is lost when the process exits.
 * @example const log = createLogger({ level: env.logLevel, format: env.logFormat });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const tty = options.destination ? options.destination.isTTY === true : process.stderr.isTTY === true;
  const out: DestinationStream = options.destination ?? pino.destination({ fd: 2, sync: true });
  const format = options.format ?? (tty ? 'pretty' : 'json');
  const settings = { level: options.level ?? 'info', name: options.name ?? 'crm-pulse', redact: { paths: REDACT, censor: '[redacted]' } };
  if (format === 'json') return pino(settings, out);
  // pino-pretty's formatter, not its stream: the stream pipes through async Transforms.
  const pretty = prettyFactory({ colorize: options.colorize ?? tty, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  return pino(settings, { write: (line: string) => void out.write(pretty(line)) });
}

/** A logger that drops everything, for tests and quiet CLI verbs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
