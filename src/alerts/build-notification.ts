import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { AlertEvent, AlertNotification, Severity } from '../domain/alert.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import type { EpisodeRow } from '../store/alert-store.ts';
import type { ChannelSubscription } from '../store/channel-subscriptions.ts';
import { channelsFor, mentionsFor } from './route-notification.ts';

/** What an evaluation said about a series, for the words of its notification. */
export interface NotificationFacts {
  readonly value: number | null;
  readonly period: string | null;
  readonly summary: string;
  readonly comparison: string;
}

/** The rule behind an episode: a configured rule, or a built-in one (data health). */
export interface RuleRef {
  readonly name: string;
  readonly rule: RuleConfig | undefined;
  readonly kpi: KpiDefinition | undefined;
  /** the title people read when there is no KPI, e.g. "Data health" */
  readonly title: string;
}

/**
 * The notifications of one event of an episode, one per channel it routes to (the config's
 * routing and the channels subscribed to its KPI). The dedup key
 * names the episode, the event, the instant of the evaluation and the channel: an event is
 * queued once however often a crashed tick is retried.
 */
export function buildNotifications(
  cfg: AlertsConfig,
  ref: RuleRef,
  episode: EpisodeRow,
  event: AlertEvent,
  facts: NotificationFacts,
  now: Date,
  timeZone: string,
  subscriptions: readonly ChannelSubscription[] = [],
): AlertNotification[] {
  const severity: Severity = episode.currentSeverity;
  const by = ref.rule?.by;
  const value = facts.value === null ? '–' : ref.kpi ? formatKpiValue(facts.value, ref.kpi.unit, ref.kpi.currency) : String(facts.value);
  return channelsFor(cfg, ref.name, ref.rule, severity, subscriptions).map((channel) => ({
    dedupKey: `${episode.id}:${event}:${event === 'firing' || event === 'resolved' ? '' : now.toISOString()}:${channel}`,
    episodeId: episode.id,
    event,
    kind: episode.kind,
    channel,
    rule: ref.name,
    kpi: episode.kpi,
    kpiTitle: ref.kpi?.title ?? ref.title,
    ...(by !== undefined ? { dimension: { name: by, value: episode.seriesKey } } : {}),
    severity,
    period: facts.period,
    value,
    comparison: facts.comparison,
    summary: facts.summary,
    since: episode.startedAt.toISOString(),
    evaluatedAt: now.toISOString(),
    timeZone,
    ...(episode.endedAt ? { endedAt: episode.endedAt.toISOString() } : {}),
    mentions: event === 'resolved' ? [] : mentionsFor(cfg, ref.rule, episode.seriesKey, severity),
  }));
}
