import { z } from 'zod';
import { CrmPulseError } from '../lib/errors.ts';
import type { LogFormat } from '../lib/logger.ts';

/** Settings that come from the environment, read once at start-up. Every one is in .env.example. */
export interface Env {
  /** SQLite file URL (`file:./data/crm-pulse.db`, the default) or `postgres://…` */
  readonly databaseUrl: string;
  /** path of the YAML config; when it does not exist the bundled demo config is used */
  readonly configPath: string;
  /** whether CRM_PULSE_CONFIG was set explicitly (then a missing file is an error) */
  readonly configPathExplicit: boolean;
  /** pino level; `info` unless LOG_LEVEL says otherwise */
  readonly logLevel: string;
  /** whether LOG_LEVEL was set (the CLI otherwise picks `warn` for --quiet) */
  readonly logLevelExplicit: boolean;
  /** LOG_FORMAT; unset means JSON lines, or readable lines when stderr is a terminal */
  readonly logFormat: LogFormat | undefined;
  readonly slackBotToken: string | undefined;
  readonly slackAppToken: string | undefined;
  readonly slackSigningSecret: string | undefined;
  readonly slackApiUrl: string | undefined;
  readonly port: number;
  /** pins "now" in local mode (ISO date); otherwise the config or the end of the data */
  readonly asOf: string | undefined;
  /** where local mode delivers alert notifications: a JSON-lines file, also printed */
  readonly notificationsFile: string;
  /** the longest any one outbound HTTP call (Slack Web API, response_url, HubSpot, Salesforce) may take, in ms */
  readonly httpTimeoutMs: number;
  /** this replica's name across restarts, for its job leases; undefined means the host name */
  readonly instanceId: string | undefined;
  /** /kpi answers the bot works out at once (CRM_PULSE_ANSWER_CONCURRENCY); undefined: twice the cores, at least 4 */
  readonly answerConcurrency: number | undefined;
  /** CRM_PULSE_ROLLUPS=on: alert ticks and /kpi answers sum counts, sums and averages from kpi_rollups (default off) */
  readonly rollups: boolean;
  /**
   * Every variable that is set, for the ones the config names: a CRM source's `token_env`,
   * `instance_url_env` and refresh variables. Never logged (see lib/logger.ts).
   */
  readonly vars: Readonly<Record<string, string>>;
}

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, "must start with 'file:' (SQLite) or 'postgres://' (PostgreSQL)")
    .optional(),
  CRM_PULSE_CONFIG: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, "must start with 'xoxb-' (the Bot User OAuth Token)")
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "must start with 'xapp-' (an app-level token with connections:write)")
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CRM_PULSE_AS_OF: z.iso.date('must be a date like 2017-12-31').optional(),
  CRM_PULSE_NOTIFICATIONS: z.string().min(1).optional(),
  CRM_PULSE_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be letters, digits, dots, dashes or underscores, e.g. crm-pulse-0')
    .optional(),
  CRM_PULSE_ANSWER_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64').optional(),
  CRM_PULSE_ROLLUPS: z.enum(['on', 'off'], "must be 'on' or 'off'").optional(),
  CRM_PULSE_HTTP_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, 'must be at least 100 (milliseconds)')
    .max(120_000, 'must be at most 120000 (two minutes)')
    .optional(),
});

/** The default of CRM_PULSE_HTTP_TIMEOUT_MS: a Slack call or a CRM page answers well within it. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/**
 * Reads and validates the environment. Empty strings count as unset, as in most .env tooling.
 * @example readEnv({ DATABASE_URL: 'postgres://localhost/crm' }).databaseUrl
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    // The message names the variable, never its value: values may be secrets.
    throw new CrmPulseError('config', `[config] environment:\n${lines.join('\n')}`, { hint: 'correct these variables (see .env.example)' });
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL ?? 'file:./data/crm-pulse.db',
    configPath: e.CRM_PULSE_CONFIG ?? 'crm-pulse.yaml',
    configPathExplicit: e.CRM_PULSE_CONFIG !== undefined,
    logLevel: e.LOG_LEVEL ?? 'info',
    logLevelExplicit: e.LOG_LEVEL !== undefined,
    logFormat: e.LOG_FORMAT,
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackApiUrl: e.SLACK_API_URL,
    port: e.PORT ?? 3000,
    asOf: e.CRM_PULSE_AS_OF,
    notificationsFile: e.CRM_PULSE_NOTIFICATIONS ?? './data/notifications.jsonl',
    httpTimeoutMs: e.CRM_PULSE_HTTP_TIMEOUT_MS ?? DEFAULT_HTTP_TIMEOUT_MS,
    instanceId: e.CRM_PULSE_INSTANCE_ID,
    answerConcurrency: e.CRM_PULSE_ANSWER_CONCURRENCY,
    rollups: e.CRM_PULSE_ROLLUPS === 'on',
    vars: present as Record<string, string>,
  };
}
