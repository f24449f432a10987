import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { sourceHealth } from '../store/source-health.ts';
import { ENTITIES } from '../kpi/entities.ts';
import { evaluateKpi } from '../kpi/evaluate-kpi.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import { formatDuration, parseDuration } from '../lib/duration.ts';
import { judgedPeriod } from './evaluate-rule.ts';
import type { Outcome } from './transition.ts';

/** Name of the built-in rule that watches data health. */
export const DATA_HEALTH_RULE = '_data_health';

/** Data health at one tick: its own alerts, and the KPI rules it holds back. */
export interface DataHealth {
  /** series of the data-health rule: `stale:<source>` and `incomplete` */
  readonly outcomes: readonly { seriesKey: string; kind: 'data_stale' | 'data_incomplete'; outcome: Outcome }[];
  /** rule name → why its alerts are held this tick */
  readonly held: ReadonlyMap<string, string>;
}

/** The CRM objects a KPI reads, and the source it is limited to, if any. */
function kpiObjects(kpi: KpiDefinition): { objects: Set<string>; sources: Set<string> } {
  const objects = new Set<string>();
  const sources = new Set<string>();
  for (const m of Object.values(kpi.metrics)) {
    const table = ENTITIES[m.entity]?.table;
    if (table) objects.add(table);
    if (m.source) sources.add(m.source);
  }
  return { objects, sources };
}

/**
 * Checks the data the rules depend on, so that a broken import does not look like a business
 * collapse: a source whose last successful sync is older than its limit holds every rule whose
 * KPI reads an object that source syncs, and raises one "data is stale" alert instead; deal
 * completeness below the floor in a rule's judged period holds the rules over deals the same way.
 */
export async function checkDataHealth(
  db: Database,
  cfg: AlertsConfig,
  kpis: KpiRegistry,
  cal: Calendar,
  rules: ReadonlyMap<string, RuleConfig>,
  now: Date,
): Promise<DataHealth> {
  const outcomes: DataHealth['outcomes'][number][] = [];
  const held = new Map<string, string>();
  const limits = cfg.data_health;
  for (const source of await sourceHealth(db)) {
    const limitText = limits.sources[source.key] ?? limits.max_sync_age;
    if (limitText === undefined) continue;
    const limit = parseDuration(limitText)!;
    const age = source.lastSuccess ? now.getTime() - source.lastSuccess.getTime() : Infinity;
    const seriesKey = `stale:${source.key}`;
    const comparison = `limit ${limitText}`;
    if (age <= limit) {
      outcomes.push({
        seriesKey,
        kind: 'data_stale',
        outcome: { kind: 'clear', value: age / 3_600_000, period: null, summary: `${source.name} synced ${formatDuration(Math.max(0, age))} ago`, comparison },
      });
      continue;
    }
    const summary = source.lastSuccess
      ? `${source.name} last synced successfully ${formatDuration(age)} ago (limit ${limitText}); alerts on its data are held`
      : `${source.name} has never synced successfully; alerts on its data are held`;
    outcomes.push({
      seriesKey,
      kind: 'data_stale',
      outcome: { kind: 'breach', severity: 'critical', value: Number.isFinite(age) ? age / 3_600_000 : 0, period: null, summary, comparison },
    });
    for (const [name, rule] of rules) {
      const { objects, sources } = kpiObjects(kpis.get(rule.kpi));
      const reads = [...objects].some((o) => source.objects.includes(o)) && (sources.size === 0 || sources.has(source.key));
      if (reads && !held.has(name)) held.set(name, `data from ${source.name} is stale`);
    }
  }
  if (limits.min_completeness !== undefined) {
    const completeness = kpis.get('data_completeness');
    const low = new Map<string, string>();
    const byPeriod = new Map<string, { period: Period; value: number | null }>();
    for (const [name, rule] of rules) {
      if (!kpiObjects(kpis.get(rule.kpi)).objects.has('deals') || rule.kpi === 'data_completeness') continue;
      const period = judgedPeriod(rule, now, cal);
      let reading = byPeriod.get(period.label);
      if (!reading) {
        const [point] = (await evaluateKpi(db, completeness, [period], cal, { asOf: now })).points;
        byPeriod.set(period.label, (reading = { period, value: point?.value ?? null }));
      }
      if (reading.value !== null && reading.value < limits.min_completeness) {
        held.set(name, `deal data in ${period.label} is ${(reading.value * 100).toFixed(1)}% complete`);
        low.set(period.label, `${period.label} ${(reading.value * 100).toFixed(1)}%`);
      }
    }
    const comparison = `floor ${(limits.min_completeness * 100).toFixed(1)}%`;
    outcomes.push({
      seriesKey: 'incomplete',
      kind: 'data_incomplete',
      outcome: low.size
        ? {
            kind: 'breach',
            severity: 'warning',
            value: 0,
            period: null,
            summary: `deal data completeness is under the floor (${[...low.values()].join(', ')}); deal alerts are held`,
            comparison,
          }
        : { kind: 'clear', value: 1, period: null, summary: 'deal data completeness is above the floor', comparison },
    });
  }
  return { outcomes, held };
}
