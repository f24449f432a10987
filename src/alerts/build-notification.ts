import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { AlertEvent, AlertNotification, Severity } from '../domain/alert.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import type { EpisodeRow } from '../store/alert-store.ts';
import { mentionsFor } from './route-notification.ts';
import type { Stage } from './stage.ts';

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

/** A notification before it is routed: everything but its channel and dedup key. */
export type Notice = Omit<AlertNotification, 'dedupKey' | 'channel'>;

/**
 * The notice of one event of an episode: what people read about it, whichever channel it goes to.
 */
export function buildNotice(
  cfg: AlertsConfig,
  ref: RuleRef,
  episode: EpisodeRow,
  event: AlertEvent,
  facts: NotificationFacts,
  now: Date,
  timeZone: string,
): Notice {
  const severity: Severity = episode.currentSeverity;
  const by = ref.rule?.by;
  const value = facts.value === null ? '–' : ref.kpi ? formatKpiValue(facts.value, ref.kpi.unit, ref.kpi.currency) : String(facts.value);
  return {
    episodeId: episode.id,
    event,
    kind: episode.kind,
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
  };
}

/** The notice stage: the notice of each told event, given its stored episode. */
export const noticeStage: Stage = async (batch, { deps, setup }) => ({
  ...batch,
  alerts: batch.alerts.map((a) =>
    a.tell && a.episode && a.facts ? { ...a, notice: buildNotice(deps.alerts, a.ref, a.episode, a.tell, a.facts, setup.now, deps.calendar.timeZone) } : a,
  ),
});
