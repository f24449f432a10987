import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import { targetsInForce } from '../store/kpi-targets.ts';
import type { AlertEvent, AlertNotification, AlertState, EpisodeKind } from '../domain/alert.ts';
import type { TargetDefinition } from '../domain/kpi.ts';
import type { Calendar } from '../domain/period.ts';
import { hash53 } from '../lib/hash53.ts';
import { parseDuration } from '../lib/duration.ts';
import { failpoint } from '../lib/failpoint.ts';
import type { Database } from '../store/open-database.ts';
import { loadSeries, openEpisodes, queueReminders, recordRuleVersions, recordTick, saveTick, type OutboxInput, type SeriesWrite, type StoredSeries } from '../store/alert-store.ts';
import { mutedNotifications, setOutboxStatus } from '../store/alert-outbox.ts';
import { activeSilences, type SilenceRow } from '../store/silences.ts';
import { channelSubscriptions, type ChannelSubscription } from '../store/channel-subscriptions.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import type { KpiSeries } from '../kpi/evaluate-kpi.ts';
import type { KpiCache, KpiCacheView } from '../kpi/kpi-cache.ts';
import { buildNotifications, type NotificationFacts, type RuleRef } from './build-notification.ts';
import { checkDataHealth, DATA_HEALTH_RULE } from './data-health.ts';
import { evaluateRule, rulePeriods, type SeriesOutcome } from './evaluate-rule.ts';
import { evaluateKpi } from '../kpi/evaluate-kpi.ts';
import type { Period } from '../domain/period.ts';
import { muteDecision, releaseMuted } from './mute.ts';
import { quietUntil } from './quiet-hours.ts';
import { okState, transition, type Outcome } from './transition.ts';

/** What alert evaluation needs: the store, the KPIs and the alerts config. */
export interface AlertsDeps {
  readonly db: Database;
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
  readonly alerts: AlertsConfig;
  readonly targets: Readonly<Record<string, TargetDefinition>>;
  /** KPI values kept across ticks while no data change reaches them (issue 18); none: every tick computes afresh */
  readonly kpiCache?: KpiCache;
}

/** One state change of one tick, as people read it. */
export interface TickTransition {
  readonly rule: string;
  readonly seriesKey: string;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly event: AlertEvent | null;
  readonly summary: string;
}

/** What one evaluation tick did. */
export interface TickReport {
  readonly at: Date;
  readonly rules: number;
  readonly series: number;
  readonly transitions: readonly TickTransition[];
  /** notifications queued: sent later by deliverOutbox */
  readonly queued: number;
  /** rule → why it was not evaluated (data health) */
  readonly held: ReadonlyMap<string, string>;
  /** rule → why its evaluation failed */
  readonly errors: ReadonlyMap<string, string>;
  /** rules added, changed or removed since the last tick */
  readonly ruleChanges: readonly string[];
}

/** Series key of a rule's own error state. */
const ERROR_SERIES = '#error';

/**
 * One evaluation tick at `now`: data health, then every rule (or the named ones) through
 * evaluate → transition → mute, storing states, episodes, transitions and queued notifications
 * in one transaction; then reminders and the release of notifications whose silence ended.
 * Delivery is separate (deliverOutbox), so that a crash after this commit loses nothing.
 * @example const report = await evaluateAlerts(deps, clock.now());
 */
export async function evaluateAlerts(deps: AlertsDeps, now: Date, options: { rules?: readonly string[] } = {}): Promise<TickReport> {
  const cfg = deps.alerts;
  const rules = new Map(Object.entries(cfg.rules).filter(([name]) => !options.rules || options.rules.includes(name)));
  const ruleChanges = options.rules ? [] : await recordRuleVersions(deps.db, ruleHashes(cfg.rules), now);
  const health = await checkDataHealth(deps.db, cfg, deps.kpis, deps.calendar, rules, now);
  const stored = new Map((await loadSeries(deps.db)).map((s) => [`${s.rule}|${s.seriesKey}`, s]));
  const reachedCritical = new Set((await openEpisodes(deps.db)).filter((e) => e.severity === 'critical').map((e) => e.id));
  const silences = await activeSilences(deps.db, now);
  const subscriptions = await channelSubscriptions(deps.db);
  const quiet = quietUntil(now, cfg.quiet_hours, deps.calendar.timeZone);
  const cache = new Map<string, Promise<KpiSeries>>();
  // One view per tick: the data versions are read once, at the first KPI the tick computes.
  const kpiCache = deps.kpiCache?.view(deps.db);
  const shared = sharedSeries(deps, cfg, [...rules.values()].filter((_, i) => !health.held.has([...rules.keys()][i]!)), now, kpiCache);
  // Targets set with /kpi target replace the config's, as they do everywhere else.
  const targets = await targetsInForce(deps.db, deps.targets);
  const ctx = { db: deps.db, kpis: deps.kpis, calendar: deps.calendar, targets, annotations: cfg.annotations, cache, shared, ...(kpiCache ? { kpiCache } : {}) };

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
        const rows = tells(s.event, prev.episodeId) ? queue(buildNotifications(cfg, ref, episode, s.event, facts, now, deps.calendar.timeZone, subscriptions), silences, quiet, now) : [];
        queued += rows.length;
        return rows;
      },
    });
  };

  for (const o of health.outcomes) {
    step({ name: DATA_HEALTH_RULE, rule: undefined, kpi: undefined, title: 'Data health' }, o.seriesKey, o.kind, o.outcome, { for: 1, recover_for: 1 });
  }
  for (const [name, rule] of rules) {
    if (health.held.has(name)) continue;
    const ref: RuleRef = { name, rule, kpi: deps.kpis.get(rule.kpi), title: rule.title ?? name };
    const mine = [...stored.values()].filter((s) => s.rule === name && s.seriesKey !== ERROR_SERIES);
    let outcomes: SeriesOutcome[];
    try {
      outcomes = await evaluateRule(ctx, rule, now, (key) => ['pending', 'firing'].includes(stored.get(`${name}|${key}`)?.state ?? 'ok'), mine.filter((s) => s.state !== 'ok').map((s) => s.seriesKey));
    } catch (error) {
      const reason = (error as Error).message;
      errors.set(name, reason);
      step(ref, ERROR_SERIES, 'error', { kind: 'error', summary: `rule ${name} could not be evaluated: ${reason}` }, { for: 1, recover_for: 1 });
      continue;
    }
    if (stored.has(`${name}|${ERROR_SERIES}`)) {
      step(ref, ERROR_SERIES, 'error', { kind: 'clear', value: 0, period: null, summary: `rule ${name} evaluates again`, comparison: '' }, { for: 1, recover_for: 1 });
    }
    for (const o of outcomes) step(ref, o.seriesKey, 'kpi', o.outcome, rule);
  }

  failpoint('tick:before-commit');
  await saveTick(deps.db, writes, now);
  failpoint('tick:after-commit');
  const reminders = await queueDueReminders(deps, stored, silences, subscriptions, quiet, now);
  await setOutboxStatus(deps.db, releaseMuted(await mutedNotifications(deps.db), silences, quiet));
  await recordTick(deps.db, { at: now, rules: rules.size, series, transitions: transitions.length, queued: queued + reminders, errors: errors.size });
  return {
    at: now,
    rules: rules.size,
    series,
    transitions,
    queued: queued + reminders,
    held: health.held,
    errors,
    ruleChanges,
  };
}

/**
 * One lazy KPI evaluation per KPI and dimension over the union of the periods its rules need, so
 * that a threshold rule and an anomaly rule on the same KPI cost one query per metric, not two.
 * A failing evaluation is left to each rule, which then falls back to its own and reports its error.
 */
function sharedSeries(deps: AlertsDeps, cfg: AlertsConfig, rules: readonly RuleConfig[], now: Date, kpiCache: KpiCacheView | undefined): Map<string, Promise<KpiSeries>> {
  const groups = new Map<string, { rule: RuleConfig; periods: Map<string, Period> }>();
  for (const rule of rules) {
    // A running period is cut at now and shares its label with the whole period: kept apart.
    if (rule.period === 'current') continue;
    const key = `${rule.kpi}|${rule.by ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rule, periods: new Map() }));
    for (const p of rulePeriods({ calendar: deps.calendar, annotations: cfg.annotations, kpis: deps.kpis }, rule, now).periods) g.periods.set(`${p.grain}|${p.label}|${p.end.getTime()}`, p);
  }
  const out = new Map<string, Promise<KpiSeries>>();
  for (const [key, g] of groups) {
    let pending: Promise<KpiSeries> | undefined;
    const periods = [...g.periods.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || a.grain.localeCompare(b.grain));
    // Lazy: started by the first rule that asks; a rejection is caught there (and kept out of unhandled).
    out.set(key, {
      then(ok, fail) {
        pending ??= evaluateKpi(deps.db, deps.kpis.get(g.rule.kpi), periods, deps.calendar, { ...(g.rule.by ? { by: g.rule.by } : {}), asOf: now, ...(kpiCache ? { cache: kpiCache } : {}) });
        return pending.then(ok, fail);
      },
    } as Promise<KpiSeries>);
  }
  return out;
}

function queue(notifications: readonly AlertNotification[], silences: readonly SilenceRow[], quiet: Date | undefined, now: Date): OutboxInput[] {
  return notifications.map((n) => {
    const d = muteDecision(n, silences, quiet, now);
    return { dedupKey: n.dedupKey, channel: n.channel, event: n.event, payload: JSON.stringify(n), status: d.status, note: d.note, notBefore: d.notBefore };
  });
}

/** Reminders of firing, unacknowledged episodes whose rule has `repeat` and whose last notice is that old. */
async function queueDueReminders(
  deps: AlertsDeps,
  stored: ReadonlyMap<string, StoredSeries>,
  silences: readonly SilenceRow[],
  subscriptions: readonly ChannelSubscription[],
  quiet: Date | undefined,
  now: Date,
): Promise<number> {
  const due: { episodeId: number; rows: OutboxInput[] }[] = [];
  for (const episode of await openEpisodes(deps.db)) {
    const rule = deps.alerts.rules[episode.rule];
    const every = rule?.repeat ? parseDuration(rule.repeat)! : undefined;
    if (!rule || every === undefined || episode.acknowledgedAt || episode.kind !== 'kpi') continue;
    const last = episode.lastNotifiedAt ?? episode.startedAt;
    if (now.getTime() - last.getTime() < every) continue;
    const series = stored.get(`${episode.rule}|${episode.seriesKey}`);
    const ref: RuleRef = { name: episode.rule, rule, kpi: deps.kpis.get(rule.kpi), title: rule.title ?? episode.rule };
    const facts = { value: episode.lastValue, period: series?.lastPeriod ?? null, summary: `still firing: ${episode.summary}`, comparison: '' };
    const rows = queue(buildNotifications(deps.alerts, ref, episode, 'reminder', facts, now, deps.calendar.timeZone, subscriptions), silences, quiet, now);
    due.push({ episodeId: episode.id, rows });
  }
  await queueReminders(deps.db, due, now);
  return due.reduce((n, d) => n + d.rows.length, 0);
}

/** A short fingerprint of each rule's config, to audit rule changes. */
function ruleHashes(rules: Readonly<Record<string, RuleConfig>>): Map<string, string> {
  return new Map(Object.entries(rules).map(([name, rule]) => [name, hash53(JSON.stringify(rule)).toString(36)]));
}
