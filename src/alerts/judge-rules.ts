import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { AlertEvent, AlertNotification, EpisodeKind } from '../domain/alert.ts';
import type { TargetDefinition } from '../domain/kpi.ts';
import type { Period } from '../domain/period.ts';
import { targetsInForce } from '../store/kpi-targets.ts';
import type { OutboxInput, SeriesWrite, StoredSeries } from '../store/alert-store.ts';
import { activeSilences, type SilenceRow } from '../store/silences.ts';
import { channelSubscriptions, type ChannelSubscription } from '../store/channel-subscriptions.ts';
import { evaluateKpi, type KpiSeries } from '../kpi/evaluate-kpi.ts';
import type { KpiCacheView } from '../kpi/kpi-cache.ts';
import { buildNotifications, type NotificationFacts, type RuleRef } from './build-notification.ts';
import { DATA_HEALTH_RULE, type DataHealth } from './data-health.ts';
import { evaluateRule, rulePeriods, type SeriesOutcome } from './evaluate-rule.ts';
import type { AlertsDeps, TickTransition } from './evaluate-alerts.ts';
import { muteDecision } from './mute.ts';
import { quietUntil } from './quiet-hours.ts';
import { okState, transition, type Outcome } from './transition.ts';

/** Series key of a rule's own error state. */
export const ERROR_SERIES = '#error';

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
 * Judges the named rules (and the data-health outcomes, if given) at the tick's instant: evaluate →
 * transition → mute, against the stored states in `stored` (keyed `rule|seriesKey`). Nothing is
 * written: the writes are returned for the caller to store in one go.
 */
export async function judgeRules(
  deps: AlertsDeps,
  setup: TickSetup,
  names: readonly string[],
  stored: ReadonlyMap<string, StoredSeries>,
  reachedCritical: ReadonlySet<number>,
  health: DataHealth['outcomes'] = [],
): Promise<RulesJudged> {
  const { now, silences, subscriptions, quiet } = setup;
  const cfg = deps.alerts;
  const rules = names.map((name) => [name, cfg.rules[name]!] as const);
  const cache = new Map<string, Promise<KpiSeries>>();
  const { kpiCache } = setup;
  const shared = sharedSeries(
    deps,
    cfg,
    rules.map(([, r]) => r),
    now,
    kpiCache,
  );
  const ctx = {
    db: deps.db,
    kpis: deps.kpis,
    calendar: deps.calendar,
    targets: setup.targets,
    annotations: cfg.annotations,
    cache,
    shared,
    ...(kpiCache ? { kpiCache } : {}),
  };

  const writes: SeriesWrite[] = [];
  const transitions: TickTransition[] = [];
  const errors = new Map<string, string>();
  let series = 0;
  let queued = 0;
  // A severity that swings around the critical level must not page each time: escalation is told
  // once per episode, de-escalation only shows on the card (the episode keeps its current severity).
  const tells = (event: AlertEvent | null, episodeId: number | null): event is AlertEvent =>
    event !== null && event !== 'deescalated' && !(event === 'escalated' && episodeId !== null && reachedCritical.has(episodeId));
  const step = (ref: RuleRef, seriesKey: string, kind: EpisodeKind, outcome: Outcome, opts: { for: number; recover_for: number }) => {
    series++;
    const prev = stored.get(`${ref.name}|${seriesKey}`) ?? { ...okState(now), rule: ref.name, seriesKey, kpi: ref.kpi?.key ?? ref.name };
    const s = transition(prev, outcome, opts, now);
    if (!s.changed && s.episode === null && s.event === null && prev.state === 'ok') return;
    // A series re-evaluated with nothing new (same period, value, severity and counters) is not
    // rewritten: a steady tick over thousands of firing series then costs reads, not writes.
    const same = (['state', 'severity', 'pendingCount', 'recoverCount', 'lastValue', 'lastPeriod'] as const).every((k) => s.next[k] === prev[k]);
    if (same && !s.changed && s.event === null && (s.episode === 'update' || s.episode === null)) return;
    const facts: NotificationFacts = {
      value: 'value' in outcome ? outcome.value : null,
      period: 'period' in outcome ? outcome.period : null,
      summary: outcome.summary,
      comparison: 'comparison' in outcome ? outcome.comparison : '',
    };
    if (s.changed) transitions.push({ rule: ref.name, seriesKey, from: prev.state, to: s.next.state, event: s.event, summary: outcome.summary });
    writes.push({
      next: { ...prev, ...s.next } as StoredSeries,
      fromState: prev.state,
      openEpisodeId: prev.episodeId,
      changed: s.changed,
      episode: s.episode,
      kind,
      value: facts.value,
      period: facts.period,
      summary: outcome.summary,
      worse: ref.kpi?.direction === 'lower' ? 'higher' : 'lower',
      outbox: (episode) => {
        const rows = tells(s.event, prev.episodeId)
          ? queueNotifications(buildNotifications(cfg, ref, episode, s.event, facts, now, deps.calendar.timeZone, subscriptions), silences, quiet, now)
          : [];
        queued += rows.length;
        return rows;
      },
    });
  };

  for (const o of health) {
    step({ name: DATA_HEALTH_RULE, rule: undefined, kpi: undefined, title: 'Data health' }, o.seriesKey, o.kind, o.outcome, { for: 1, recover_for: 1 });
  }
  for (const [name, rule] of rules) {
    const ref: RuleRef = { name, rule, kpi: deps.kpis.get(rule.kpi), title: rule.title ?? name };
    const mine = [...stored.values()].filter((s) => s.rule === name && s.seriesKey !== ERROR_SERIES);
    let outcomes: SeriesOutcome[];
    try {
      outcomes = await evaluateRule(
        ctx,
        rule,
        now,
        (key) => ['pending', 'firing'].includes(stored.get(`${name}|${key}`)?.state ?? 'ok'),
        mine.filter((s) => s.state !== 'ok').map((s) => s.seriesKey),
      );
    } catch (error) {
      const reason = (error as Error).message;
      errors.set(name, reason);
      step(ref, ERROR_SERIES, 'error', { kind: 'error', summary: `rule ${name} could not be evaluated: ${reason}` }, { for: 1, recover_for: 1 });
      continue;
    }
    if (stored.has(`${name}|${ERROR_SERIES}`)) {
      step(
        ref,
        ERROR_SERIES,
        'error',
        { kind: 'clear', value: 0, period: null, summary: `rule ${name} evaluates again`, comparison: '' },
        { for: 1, recover_for: 1 },
      );
    }
    for (const o of outcomes) step(ref, o.seriesKey, 'kpi', o.outcome, rule);
  }
  return { writes, transitions, errors, series, queued: () => queued };
}

/**
 * The key of the KPI evaluation a rule shares with others: its KPI and breakdown. Rules with the
 * same key are judged together (one work item when replicas share a tick), so they share one query.
 */
export function kpiGroup(rule: RuleConfig): string {
  return `${rule.kpi}|${rule.by ?? ''}`;
}

/** Notifications as outbox rows, each muted, held or pending by the silences and quiet hours. */
export function queueNotifications(
  notifications: readonly AlertNotification[],
  silences: readonly SilenceRow[],
  quiet: Date | undefined,
  now: Date,
): OutboxInput[] {
  return notifications.map((n) => {
    const d = muteDecision(n, silences, quiet, now);
    return { dedupKey: n.dedupKey, channel: n.channel, event: n.event, payload: JSON.stringify(n), status: d.status, note: d.note, notBefore: d.notBefore };
  });
}

/**
 * One lazy KPI evaluation per KPI and dimension over the union of the periods its rules need, so
 * that a threshold rule and an anomaly rule on the same KPI cost one query per metric, not two.
 * A failing evaluation is left to each rule, which then falls back to its own and reports its error.
 */
function sharedSeries(
  deps: AlertsDeps,
  cfg: AlertsConfig,
  rules: readonly RuleConfig[],
  now: Date,
  kpiCache: KpiCacheView | undefined,
): Map<string, Promise<KpiSeries>> {
  const groups = new Map<string, { rule: RuleConfig; periods: Map<string, Period> }>();
  for (const rule of rules) {
    // A running period is cut at now and shares its label with the whole period: kept apart.
    if (rule.period === 'current') continue;
    const key = kpiGroup(rule);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rule, periods: new Map() }));
    for (const p of rulePeriods({ calendar: deps.calendar, annotations: cfg.annotations, kpis: deps.kpis }, rule, now).periods)
      g.periods.set(`${p.grain}|${p.label}|${p.end.getTime()}`, p);
  }
  const out = new Map<string, Promise<KpiSeries>>();
  for (const [key, g] of groups) {
    let pending: Promise<KpiSeries> | undefined;
    const periods = [...g.periods.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || a.grain.localeCompare(b.grain));
    // Lazy: started by the first rule that asks; a rejection is caught there (and kept out of unhandled).
    out.set(key, {
      then(ok, fail) {
        pending ??= evaluateKpi(deps.db, deps.kpis.get(g.rule.kpi), periods, deps.calendar, {
          ...(g.rule.by ? { by: g.rule.by } : {}),
          asOf: now,
          ...(kpiCache ? { cache: kpiCache } : {}),
        });
        return pending.then(ok, fail);
      },
    } as Promise<KpiSeries>);
  }
  return out;
}
