import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { Period } from '../domain/period.ts';
import type { StoredSeries } from '../store/alert-store.ts';
import { evaluateKpi, type KpiSeries } from '../kpi/evaluate-kpi.ts';
import type { KpiCacheView } from '../kpi/kpi-cache.ts';
import type { RuleRef } from './build-notification.ts';
import type { AlertsDeps } from './evaluate-alerts.ts';
import { evaluateRule, rulePeriods, type RuleContext, type SeriesOutcome } from './evaluate-rule.ts';
import type { SeriesAlert, Stage } from './stage.ts';

/** Series key of a rule's own error state. */
export const ERROR_SERIES = '#error';

const ONCE = { for: 1, recover_for: 1 } as const;

/**
 * The evaluate stage: evaluates the batch's rules at the tick's instant, each into one alert per
 * series (its outcome), after the alerts already in the batch (data health). A rule that fails
 * becomes an error outcome on its error series; one that evaluates again clears it.
 */
export const evaluateStage: Stage = async (batch, { deps, setup, stored }) => {
  const { now, kpiCache } = setup;
  const rules = batch.rules.map((name) => [name, deps.alerts.rules[name]!] as const);
  const ctx: RuleContext = {
    db: deps.db,
    kpis: deps.kpis,
    calendar: deps.calendar,
    targets: setup.targets,
    annotations: deps.alerts.annotations,
    cache: new Map(),
    shared: sharedSeries(
      deps,
      deps.alerts,
      rules.map(([, r]) => r),
      now,
      kpiCache,
    ),
    ...(kpiCache ? { kpiCache } : {}),
  };
  // Each rule reads its own stored series: indexed once, not filtered per rule.
  const byRule = new Map<string, StoredSeries[]>();
  for (const s of stored.values()) {
    if (s.seriesKey === ERROR_SERIES) continue;
    const list = byRule.get(s.rule);
    if (list) list.push(s);
    else byRule.set(s.rule, [s]);
  }

  const alerts: SeriesAlert[] = [...batch.alerts];
  const errors = new Map(batch.errors);
  for (const [name, rule] of rules) {
    const ref: RuleRef = { name, rule, kpi: deps.kpis.get(rule.kpi), title: rule.title ?? name };
    let outcomes: SeriesOutcome[];
    try {
      outcomes = await evaluateRule(
        ctx,
        rule,
        now,
        (key) => ['pending', 'firing'].includes(stored.get(`${name}|${key}`)?.state ?? 'ok'),
        (byRule.get(name) ?? []).filter((s) => s.state !== 'ok').map((s) => s.seriesKey),
      );
    } catch (error) {
      const reason = (error as Error).message;
      errors.set(name, reason);
      alerts.push({
        ref,
        seriesKey: ERROR_SERIES,
        kind: 'error',
        outcome: { kind: 'error', summary: `rule ${name} could not be evaluated: ${reason}` },
        counts: ONCE,
      });
      continue;
    }
    if (stored.has(`${name}|${ERROR_SERIES}`)) {
      const outcome = { kind: 'clear', value: 0, period: null, summary: `rule ${name} evaluates again`, comparison: '' } as const;
      alerts.push({ ref, seriesKey: ERROR_SERIES, kind: 'error', outcome, counts: ONCE });
    }
    for (const o of outcomes) alerts.push({ ref, seriesKey: o.seriesKey, kind: 'kpi', outcome: o.outcome, counts: rule });
  }
  return { ...batch, rules: [], alerts, errors };
};

/**
 * The key of the KPI evaluation a rule shares with others: its KPI and breakdown. Rules with the
 * same key are judged together (one work item when replicas share a tick), so they share one query.
 */
export function kpiGroup(rule: RuleConfig): string {
  return `${rule.kpi}|${rule.by ?? ''}`;
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
