import type { AlertEvent, AlertNotification, EpisodeKind } from '../domain/alert.ts';
import type { EpisodeRow, OutboxInput, StoredSeries } from '../store/alert-store.ts';
import type { Notice, NotificationFacts, RuleRef } from './build-notification.ts';
import type { AlertsDeps } from './evaluate-alerts.ts';
import type { TickSetup } from './judge-rules.ts';
import type { MuteDecision } from './mute.ts';
import type { Outcome, Step } from './transition.ts';

/**
 * One series as it moves through the stages, each stage filling in its part: evaluate finds the
 * outcome, transition the step, the store the episode, then the notice, its mute decision, its
 * notifications per channel and the outbox rows.
 */
export interface SeriesAlert {
  readonly ref: RuleRef;
  readonly seriesKey: string;
  readonly kind: EpisodeKind;
  /** what the evaluation found; none for an alert not judged this tick (a reminder of an open episode) */
  readonly outcome?: Outcome;
  /** the lifecycle's counts for this series: `for` and `recover_for` */
  readonly counts?: { readonly for: number; readonly recover_for: number };
  /** the stored state before this tick, or a fresh ok state (transition) */
  readonly prev?: StoredSeries;
  /** what the lifecycle makes of the outcome (transition) */
  readonly step?: Step;
  /** the event people are told about, null when the step says nothing worth telling (transition) */
  readonly tell?: AlertEvent | null;
  /** the words of the evaluation, for the notification (transition) */
  readonly facts?: NotificationFacts;
  /** the episode as stored (the store, between the judging and the notifying stages) */
  readonly episode?: EpisodeRow;
  /** the told event's notification, before it is routed to channels (notice) */
  readonly notice?: Notice;
  /** sent now, held for quiet hours or muted by a silence (mute) */
  readonly mute?: MuteDecision;
  /** the notice, one per channel it routes to (route) */
  readonly notifications?: readonly AlertNotification[];
  /** the rows to queue in the outbox (queue) */
  readonly outbox?: readonly OutboxInput[];
}

/** What flows through the stages: the rules left to evaluate, the series judged so far, the errors. */
export interface AlertBatch {
  /** the rules the evaluate stage has yet to evaluate */
  readonly rules: readonly string[];
  readonly alerts: readonly SeriesAlert[];
  /** rule → why its evaluation failed */
  readonly errors: ReadonlyMap<string, string>;
  /** how many series were judged, counted by the transition stage (it drops those with nothing to store) */
  readonly judged: number;
}

/** What every stage of one run reads alike: the deps, the tick's setup and the stored states. */
export interface StageContext {
  readonly deps: AlertsDeps;
  readonly setup: TickSetup;
  /** the stored series states, keyed `rule|seriesKey` */
  readonly stored: ReadonlyMap<string, StoredSeries>;
  /** the open episodes that have reached critical: their escalation was told already */
  readonly reachedCritical: ReadonlySet<number>;
}

/**
 * One step of alert evaluation: it takes the batch and returns it further along (fewer, more or
 * richer alerts). Every stage has this signature, so adding one never touches the others (as
 * Alertmanager's notify.Stage).
 */
export type Stage = (batch: AlertBatch, ctx: StageContext) => Promise<AlertBatch>;

/**
 * Where a pipeline stores its series: the stages before it judge the whole batch, the stages after
 * it run on each stored series with its episode, inside the store's transaction.
 */
export const STORE = 'store';

/** The stages in order, with STORE between judging and notifying. */
export type Pipeline = readonly (Stage | typeof STORE)[];

/** The stages before and after the store. */
export function pipelinePhases(pipeline: Pipeline): { judge: readonly Stage[]; notify: readonly Stage[] } {
  const at = pipeline.indexOf(STORE);
  if (at < 0 || pipeline.lastIndexOf(STORE) !== at) throw new Error('[alerts] a pipeline has exactly one STORE');
  return { judge: pipeline.slice(0, at) as Stage[], notify: pipeline.slice(at + 1) as Stage[] };
}

/** Runs `stages` in order over `batch`. */
export async function runStages(stages: readonly Stage[], batch: AlertBatch, ctx: StageContext): Promise<AlertBatch> {
  let out = batch;
  for (const stage of stages) out = await stage(out, ctx);
  return out;
}
