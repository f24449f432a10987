import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { compileFormula, type CompiledFormula } from './compile-formula.ts';
import { compileMetric, type MetricRange } from './compile-metric.ts';
import { previousPeriod, shiftPeriod } from './periods.ts';
import { minSample } from './sample-size.ts';

/** A KPI's value in one period (or one dimension value of it), or why it has none. */
export interface KpiValue {
  readonly value: number | null;
  /** why there is no value, e.g. "division by zero" in a period without closed deals */
  readonly reason?: string;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** n, the sample behind the value (closed deals, answers, customers), for a KPI that defines one */
  readonly n?: number | null;
  /** n is under the KPI's minimum sample: the value is shown marked, and judges nothing */
  readonly low?: boolean;
}

/** A KPI over periods: the total per period, and per dimension value when asked. */
export interface KpiSeries {
  readonly kpi: KpiDefinition;
  readonly by?: string;
  readonly points: readonly (KpiValue & { readonly period: Period; readonly breakdown?: readonly (KpiValue & { readonly key: string })[] })[];
}

/**
 * Evaluates a KPI for each period: every metric is one SQL aggregate over all periods at once
 * (plus one more per metric for a breakdown), then the formula runs per period.
 * @example await evaluateKpi(db, winRate, lastPeriods(asOf, 'month', 12, cal), cal)
 */
export async function evaluateKpi(
  db: Database,
  kpi: KpiDefinition,
  periods: readonly Period[],
  cal: Calendar,
  options: { by?: string } = {},
): Promise<KpiSeries> {
  const formula = compileFormula(kpi.formula, Object.keys(kpi.metrics), `kpis.${kpi.key}.formula`);
  const sample = kpi.sample === undefined ? undefined : compileFormula(kpi.sample, Object.keys(kpi.metrics), `kpis.${kpi.key}.sample`);
  const totals = await metricValues(db, kpi, periods, cal, undefined);
  const split = options.by === undefined ? undefined : await metricValues(db, kpi, periods, cal, options.by);
  const points = periods.map((period, i) => {
    const total = apply(formula, sample, kpi, (m) => totals.get(m)!.value(i, ''));
    if (!split) return { period, ...total };
    const keys = new Set<string>();
    for (const metric of split.values()) for (const k of metric.keys(i)) keys.add(k);
    const breakdown = [...keys].sort().map((key) => ({ key, ...apply(formula, sample, kpi, (m) => split.get(m)!.value(i, key)) }));
    return { period, ...total, breakdown };
  });
  return { kpi, ...(options.by !== undefined ? { by: options.by } : {}), points };
}

/** One metric's values by period index and dimension value. */
interface MetricValues {
  /** the value, or what an absent row means: 0 for counts and sums, no value for averages */
  value(i: number, key: string): number | null;
  /** the dimension values that have rows in period i */
  keys(i: number): Iterable<string>;
}

async function metricValues(
  db: Database,
  kpi: KpiDefinition,
  periods: readonly Period[],
  cal: Calendar,
  by: string | undefined,
): Promise<Map<string, MetricValues>> {
  const out = new Map<string, MetricValues>();
  for (const [name, metric] of Object.entries(kpi.metrics)) {
    const ranges: MetricRange[] = periods.map((p, i) => {
      const q = metric.shift ? shiftPeriod(p, metric.shift, cal) : p;
      const before = previousPeriod(q, cal);
      return { i, start: q.start, end: q.end, prevStart: before.start, prevEnd: before.end };
    });
    const compiled = compileMetric(metric, ranges, { dialect: db.dialect, by, where: `kpis.${kpi.key}.metrics.${name}` });
    const rows = await db.sql.all<{ i: number; d: string; v: number | string | null }>(compiled.sql, compiled.params);
    const byPeriod = new Map<number, Map<string, number | null>>();
    for (const r of rows) {
      const i = Number(r.i);
      let m = byPeriod.get(i);
      if (!m) byPeriod.set(i, (m = new Map()));
      m.set(String(r.d), r.v === null ? null : Number(r.v));
    }
    const absent = compiled.zeroWhenEmpty ? 0 : null;
    out.set(name, {
      value: (i, key) => {
        const v = byPeriod.get(i)?.get(key);
        return v === undefined ? absent : v;
      },
      keys: (i) => byPeriod.get(i)?.keys() ?? [],
    });
  }
  return out;
}

function apply(formula: CompiledFormula, sample: CompiledFormula | undefined, kpi: KpiDefinition, get: (metric: string) => number | null): KpiValue {
  const metrics: Record<string, number | null> = {};
  for (const name of Object.keys(kpi.metrics)) metrics[name] = get(name);
  const values = new Map(Object.entries(metrics));
  const result = formula.evaluate(values);
  const value = result.ok ? { value: result.value, metrics } : { value: null, reason: result.reason, metrics };
  if (!sample) return value;
  // The sample size rides on the value itself, so every surface that shows the value can show n.
  const counted = sample.evaluate(values);
  const n = counted.ok ? counted.value : null;
  return { ...value, n, low: result.ok && n !== null && n < minSample(kpi) };
}
