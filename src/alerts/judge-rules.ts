import type { TargetDefinition } from '../domain/kpi.ts';
import { targetsInForce } from '../store/kpi-targets.ts';
import type { OutboxInput, SeriesWrite, StoredSeries } from '../store/alert-store.ts';
import { activeSilences, type SilenceRow } from '../store/silences.ts';
import { channelSubscriptions, type ChannelSubscription } from '../store/channel-subscriptions.ts';
import type { KpiCacheView } from '../kpi/kpi-cache.ts';
import type { RuleRef } from './build-notification.ts';
import { DATA_HEALTH_RULE, type DataHealth } from './data-health.ts';
import type { AlertsDeps, TickTransition } from './evaluate-alerts.ts';
import { PIPELINE } from './pipeline.ts';
import { quietUntil } from './quiet-hours.ts';
import { pipelinePhases, runStages, type AlertBatch, type SeriesAlert, type StageContext } from './stage.ts';

/** What every rule of a tick reads alike: the tick's instant, silences, subscriptions, quiet hours and targets. */
export interface TickSetup {
  readonly now: Date;
  readonly silences: readonly SilenceRow[];
  readonly subscriptions: readonly ChannelSubscription[];
  readonly quiet: Date | undefined;
  readonly targets: Readonly<Record<string, TargetDefinition>>;
  /** the KPI cache's view for this tick: the data versions are read once, at the first KPI the tick computes */
  readonly kpiCache?: KpiCacheView;
}

/** Reads what every rule of the tick at `now` shares. */
export async function tickSetup(deps: AlertsDeps, now: Date): Promise<TickSetup> {
  return {
    now,
    silences: await activeSilences(deps.db, now),
    subscriptions: await channelSubscriptions(deps.db),
    quiet: quietUntil(now, deps.alerts.quiet_hours, deps.calendar.timeZone),
    // Targets set with /kpi target replace the config's, as they do everywhere else.
    targets: await targetsInForce(deps.db, deps.targets),
    ...(deps.kpiCache ? { kpiCache: deps.kpiCache.view(deps.db) } : {}),
  };
}

/** What judging some rules found: the writes to store and what people read about it. */
export interface RulesJudged {
  readonly writes: readonly SeriesWrite[];
  readonly transitions: readonly TickTransition[];
  /** rule → why its evaluation failed */
  readonly errors: ReadonlyMap<string, string>;
  readonly series: number;
  /** notifications queued by the writes, counted as they are stored */
  queued(): number;
}

/**
 * Judges the named rules (and the data-health outcomes, if given) at the tick's instant through the
 * pipeline's stages (PIPELINE, or the deps' own), against the stored states in `stored` (keyed
 * `rule|seriesKey`). Nothing is written: the writes are returned for the caller to store in one go,
 * and each runs the stages after STORE on its series once its episode is stored.
 */
export async function judgeRules(
  deps: AlertsDeps,
  setup: TickSetup,
  names: readonly string[],
  stored: ReadonlyMap<string, StoredSeries>,
  reachedCritical: ReadonlySet<number>,
  health: DataHealth['outcomes'] = [],
): Promise<RulesJudged> {
  const { judge, notify } = pipelinePhases(deps.pipeline ?? PIPELINE);
  const ctx: StageContext = { deps, setup, stored, reachedCritical };
  const dataHealth: RuleRef = { name: DATA_HEALTH_RULE, rule: undefined, kpi: undefined, title: 'Data health' };
  const start: AlertBatch = {
    rules: names,
    alerts: health.map((o) => ({ ref: dataHealth, seriesKey: o.seriesKey, kind: o.kind, outcome: o.outcome, counts: { for: 1, recover_for: 1 } })),
    errors: new Map(),
    judged: 0,
  };
  const judged = await runStages(judge, start, ctx);
  let queued = 0;
  const transitions: TickTransition[] = [];
  const writes = judged.alerts.map((a): SeriesWrite => {
    const { ref, seriesKey, prev, step, facts } = a;
    if (!prev || !step || !facts) throw new Error(`[alerts] ${ref.name}|${seriesKey} reached the store without a transition`);
    if (step.changed) transitions.push({ rule: ref.name, seriesKey, from: prev.state, to: step.next.state, event: step.event, summary: facts.summary });
    return {
      next: { ...prev, ...step.next } as StoredSeries,
      fromState: prev.state,
      openEpisodeId: prev.episodeId,
      changed: step.changed,
      episode: step.episode,
      kind: a.kind,
      value: facts.value,
      period: facts.period,
      summary: facts.summary,
      worse: ref.kpi?.direction === 'lower' ? 'higher' : 'lower',
      outbox: async (episode) => {
        const rows = await notifyStored(ctx, [{ ...a, episode }], notify);
        queued += rows.length;
        return rows;
      },
    };
  });
  return { writes, transitions, errors: judged.errors, series: judged.judged, queued: () => queued };
}

/**
 * Runs the stages after STORE (the deps' pipeline's unless given) on alerts whose episode is
 * stored, and resolves the outbox rows they queue: a judged series' event, or a reminder.
 */
export async function notifyStored(
  ctx: StageContext,
  alerts: readonly SeriesAlert[],
  notify = pipelinePhases(ctx.deps.pipeline ?? PIPELINE).notify,
): Promise<OutboxInput[]> {
  const done = await runStages(notify, { rules: [], alerts, errors: new Map(), judged: 0 }, ctx);
  return done.alerts.flatMap((a) => a.outbox ?? []);
}
