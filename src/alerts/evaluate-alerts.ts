import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { AlertEvent, AlertState } from '../domain/alert.ts';
import type { TargetDefinition } from '../domain/kpi.ts';
import type { Calendar } from '../domain/period.ts';
import { hash53 } from '../lib/hash53.ts';
import { parseDuration } from '../lib/duration.ts';
import { failpoint } from '../lib/failpoint.ts';
import type { Database } from '../store/open-database.ts';
import {
  loadSeries,
  openEpisodes,
  queueReminders,
  recordRuleVersions,
  recordTick,
  saveTick,
  type OutboxInput,
  type StoredSeries,
} from '../store/alert-store.ts';
import { mutedNotifications, setOutboxStatus } from '../store/alert-outbox.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import type { KpiCache } from '../kpi/kpi-cache.ts';
import type { RuleRef } from './build-notification.ts';
import { checkDataHealth, type DataHealth } from './data-health.ts';
import { judgeRules, notifyStored, tickSetup, type TickSetup } from './judge-rules.ts';
import type { Pipeline, StageContext } from './stage.ts';
import { releaseMuted } from './mute.ts';

/** What alert evaluation needs: the store, the KPIs and the alerts config. */
export interface AlertsDeps {
  readonly db: Database;
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
  readonly alerts: AlertsConfig;
  readonly targets: Readonly<Record<string, TargetDefinition>>;
  /** KPI values kept across ticks while no data change reaches them (issue 18); none: every tick computes afresh */
  readonly kpiCache?: KpiCache;
  /** the evaluation's stages; none: PIPELINE (pipeline.ts) */
  readonly pipeline?: Pipeline;
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

/** What a tick found, before the reminders: summed over all of its rules. */
export type TickTotals = Omit<TickReport, 'at'>;

/**
 * One evaluation tick at `now`: data health, then every rule (or the named ones) through
 * evaluate → transition → mute, storing states, episodes, transitions and queued notifications
 * in one transaction; then reminders and the release of notifications whose silence ended.
 * Delivery is separate (deliverOutbox), so that a crash after this commit loses nothing.
 * Replicas on PostgreSQL share a tick instead (shareTick in share-tick.ts).
 * @example const report = await evaluateAlerts(deps, clock.now());
 */
export async function evaluateAlerts(deps: AlertsDeps, now: Date, options: { rules?: readonly string[] } = {}): Promise<TickReport> {
  const start = await startTick(deps, now, options);
  const judged = await judgeRules(deps, start.setup, start.names, start.stored, start.reachedCritical, start.health.outcomes);
  failpoint('tick:before-commit');
  await saveTick(deps.db, judged.writes, now);
  failpoint('tick:after-commit');
  const { rules, health, ruleChanges } = start;
  return finishTick(deps, start, {
    rules: rules.size,
    series: judged.series,
    transitions: judged.transitions,
    queued: judged.queued(),
    held: health.held,
    errors: judged.errors,
    ruleChanges,
  });
}

/** What a tick reads before judging its rules. */
export interface TickStart {
  readonly setup: TickSetup;
  readonly rules: ReadonlyMap<string, RuleConfig>;
  /** the rules to judge: all but those held by data health */
  readonly names: readonly string[];
  readonly health: DataHealth;
  readonly stored: ReadonlyMap<string, StoredSeries>;
  readonly reachedCritical: ReadonlySet<number>;
  readonly ruleChanges: readonly string[];
}

/** Starts a tick at `now`: audits rule changes, checks data health, reads the stored states. */
export async function startTick(deps: AlertsDeps, now: Date, options: { rules?: readonly string[] } = {}): Promise<TickStart> {
  const cfg = deps.alerts;
  const rules = new Map(Object.entries(cfg.rules).filter(([name]) => !options.rules || options.rules.includes(name)));
  const ruleChanges = options.rules ? [] : await recordRuleVersions(deps.db, ruleHashes(cfg.rules), now);
  const health = await checkDataHealth(deps.db, cfg, deps.kpis, deps.calendar, rules, now);
  const stored = new Map((await loadSeries(deps.db)).map((s) => [`${s.rule}|${s.seriesKey}`, s]));
  const reachedCritical = new Set((await openEpisodes(deps.db)).filter((e) => e.severity === 'critical').map((e) => e.id));
  const setup = await tickSetup(deps, now);
  return { setup, rules, names: [...rules.keys()].filter((name) => !health.held.has(name)), health, stored, reachedCritical, ruleChanges };
}

/** Ends a tick whose results are stored: queues due reminders, releases muted notifications, records the tick. */
export async function finishTick(deps: AlertsDeps, start: TickStart, totals: TickTotals): Promise<TickReport> {
  const { now, silences, quiet } = start.setup;
  const reminders = await queueDueReminders({ deps, setup: start.setup, stored: start.stored, reachedCritical: start.reachedCritical });
  await setOutboxStatus(deps.db, releaseMuted(await mutedNotifications(deps.db), silences, quiet));
  const queued = totals.queued + reminders;
  await recordTick(deps.db, {
    at: now,
    rules: totals.rules,
    series: totals.series,
    transitions: totals.transitions.length,
    queued,
    errors: totals.errors.size,
  });
  return { at: now, ...totals, queued };
}

/**
 * Reminders of firing, unacknowledged episodes whose rule has `repeat` and whose last notice is that
 * old, queued through the pipeline's stages after STORE, as every told event is.
 */
async function queueDueReminders(ctx: StageContext): Promise<number> {
  const { deps, stored } = ctx;
  const { now } = ctx.setup;
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
    const rows = await notifyStored(ctx, [{ ref, seriesKey: episode.seriesKey, kind: episode.kind, tell: 'reminder', facts, episode }]);
    due.push({ episodeId: episode.id, rows });
  }
  await queueReminders(deps.db, due, now);
  return due.reduce((n, d) => n + d.rows.length, 0);
}

/** A short fingerprint of each rule's config, to audit rule changes. */
function ruleHashes(rules: Readonly<Record<string, RuleConfig>>): Map<string, string> {
  return new Map(Object.entries(rules).map(([name, rule]) => [name, hash53(JSON.stringify(rule)).toString(36)]));
}
