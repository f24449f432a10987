/** Where a series (one rule, one dimension value) stands. */
export type AlertState =
  /** the condition does not hold */
  | 'ok'
  /** the condition holds, but not yet for `for` evaluations */
  | 'pending'
  /** the condition held long enough: an episode is open */
  | 'firing'
  /** the episode just ended; the next clear evaluation makes it ok */
  | 'resolved'
  /** there was nothing to judge: no value, or fewer records than the volume floor */
  | 'nodata'
  /** the evaluation failed; shown instead of hidden */
  | 'error';

/** How bad a breach is. */
export type Severity = 'warning' | 'critical';

/** Severities from least to most urgent. */
export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

/** What happened to an episode that people are told about. */
export type AlertEvent =
  /** an episode opened */
  | 'firing'
  /** a firing episode moved from warning to critical */
  | 'escalated'
  /** a firing episode moved from critical to warning */
  | 'deescalated'
  /** still firing, not acknowledged, `repeat` has passed */
  | 'reminder'
  /** the episode ended */
  | 'resolved';

/** What kind of thing an episode is about. */
export type EpisodeKind =
  /** a KPI rule fired */
  | 'kpi'
  /** a rule could not be evaluated */
  | 'error'
  /** a source has not synced successfully within its limit */
  | 'data_stale'
  /** data completeness is below its floor */
  | 'data_incomplete';

/** A notification as notifiers render it: everything a card or a console line needs. */
export interface AlertNotification {
  readonly dedupKey: string;
  readonly episodeId: number;
  readonly event: AlertEvent;
  readonly kind: EpisodeKind;
  readonly channel: string;
  readonly rule: string;
  readonly kpi: string;
  readonly kpiTitle: string;
  /** the dimension and its value, e.g. { name: 'region', value: 'West' } */
  readonly dimension?: { readonly name: string; readonly value: string };
  readonly severity: Severity;
  /** the period judged, e.g. 2017-09 */
  readonly period: string | null;
  /** the value, formatted in the KPI's unit */
  readonly value: string;
  /** what it was compared with, e.g. "threshold 48.0%" or "expected 12.1 (median of 8 weeks)" */
  readonly comparison: string;
  /** the evaluation's own words, e.g. "dropped 35.2% vs 2017-08 (warning at 30%)" */
  readonly summary: string;
  /** when the episode started (ISO) */
  readonly since: string;
  /**
   * the evaluation this event comes from (ISO): the card's chart is built up to the period judged
   * then, so an edit shows the data of its own event; older outbox rows lack it (then `since`)
   */
  readonly evaluatedAt?: string;
  /** the config's time zone, for showing times as people there read them */
  readonly timeZone: string;
  /** when it ended (ISO), for resolved */
  readonly endedAt?: string;
  /** Slack mentions: a user group or @here for the severity, and the owner's user */
  readonly mentions: readonly string[];
  /** why the notification was held and then released, if it was */
  readonly releasedNote?: string;
}
