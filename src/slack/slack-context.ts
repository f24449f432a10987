import { availableParallelism } from 'node:os';
import type { WebClient } from '@slack/web-api';
import type { AlertsService } from '../alerts/alerts-service.ts';
import type { CommandService } from '../answers/command-service.ts';
import type { CommandContext } from '../answers/reply.ts';
import type { Locale } from '../domain/locale.ts';
import type { Config } from '../config/config-schema.ts';
import type { DigestService } from '../digest/digest-service.ts';
import type { Logger } from '../lib/logger.ts';
import type { ChartInput } from '../answers/reply.ts';
import type { SlackMetrics } from './slack-metrics.ts';
import type { NativeRefusal } from './native-refusal.ts';
import type { NotifierChart } from './slack-notifier.ts';
import type { AlertNotification } from '../domain/alert.ts';
import { channelDirectory } from './channel-directory.ts';
import { CrmPulseError } from '../lib/errors.ts';

/** The /kpi command service the listeners call (src/commands builds it). */
export type KpiCommands = Pick<CommandService, 'run' | 'execute' | 'refusal' | 'explain'>;

/** Everything a listener needs, bundled as probot's Context does: listeners stay a few lines. */
export interface SlackServices {
  readonly commands: KpiCommands;
  readonly alerts: AlertsService;
  readonly config: Config;
  readonly log: Logger;
  /** "now" for commands and actions: the wall clock, or a pinned clock in trials */
  readonly now: () => Promise<Date>;
  /** PNG of a chart */
  readonly chartPng: (chart: ChartInput) => Promise<Buffer>;
  /** what /healthz reports; without it /healthz only says the process is up */
  readonly health?: () => Promise<HealthReport>;
  /** the process metrics: served at /metrics, and counting failed Web API calls */
  readonly metrics?: SlackMetrics;
  /** /kpi answers worked out at once (default DEFAULT_ANSWER_CONCURRENCY); each user's still arrive in order */
  readonly answerConcurrency?: number;
  /** the KPI App Home shows by owner for the viewer's team (kpi/kpi-dimensions.ts: ownerKpi); none: the section is left out */
  readonly homeKpi?: string | undefined;
  /** the weekly digests, for App Home's "next digest" */
  readonly digests?: Pick<DigestService, 'upcoming' | 'managerOf'>;
  /** the workspace's refusal of native blocks, shared with alert cards and digests (kept in the database by the bot) */
  readonly nativeRefusal?: NativeRefusal;
  /** the chart of an alert's card at an event (app/alert-chart.ts), so that a card redrawn after a button keeps its line */
  readonly alertChart?: ((n: AlertNotification) => Promise<NotifierChart | undefined>) | undefined;
}

/** The body of /healthz: the database's reachability and each source's last successful sync. */
export interface HealthReport {
  readonly database: 'ok' | 'unreachable';
  /** 'unreachable' while the bot waits for Slack at start-up (auth.test failing) */
  readonly slack?: 'ok' | 'unreachable';
  readonly error?: string;
  readonly sources: readonly { readonly key: string; readonly name: string; readonly lastSuccess: Date | null }[];
}

/**
 * /kpi answers worked out at once by default: twice the cores, at least 4. SQLite reads run on the
 * reader thread and PostgreSQL's are async, so the main thread mostly formats and draws.
 */
export const DEFAULT_ANSWER_CONCURRENCY = Math.max(4, availableParallelism() * 2);

/** The language of a user: their override, else the workspace's. */
export function localeOf(config: Config, userId: string): Locale {
  return config.slack.user_locales[userId] ?? config.slack.locale;
}

const groupCache = new Map<string, { at: number; users: Set<string> }>();

/** Whether a user may run mutating commands: listed in slack.admins, or in slack.admin_group. */
export async function isAdmin(config: Config, client: WebClient, userId: string, now = Date.now()): Promise<boolean> {
  if (config.slack.admins.includes(userId)) return true;
  const group = config.slack.admin_group;
  if (!group) return false;
  let cached = groupCache.get(group);
  if (!cached || now - cached.at > 300_000) {
    const res = await client.usergroups.users.list({ usergroup: group });
    cached = { at: now, users: new Set(res.users ?? []) };
    groupCache.set(group, cached);
  }
  return cached.users.has(userId);
}

/** The context of a command or button from a user in a channel. */
export async function commandContext(s: SlackServices, client: WebClient, userId: string, channelId: string | undefined): Promise<CommandContext> {
  return {
    userId,
    ...(channelId ? { channelId } : {}),
    locale: localeOf(s.config, userId),
    isAdmin: await isAdmin(s.config, client, userId),
    now: await s.now(),
    channelExists: channelExists(client),
  };
}

/** Whether a channel exists for the bot: a `#name` is looked up in the workspace's channels (an ID, which Slack itself wrote into the command, passes). */
function channelExists(client: WebClient): (channel: string) => Promise<boolean> {
  const lookup = channelDirectory(client);
  return async (channel) => {
    try {
      await lookup(channel);
      return true;
    } catch (error) {
      if (error instanceof CrmPulseError && /channel_not_found/.test(error.message)) return false;
      throw error;
    }
  };
}
