import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { compileFormula, type CompiledFormula } from './compile-formula.ts';
import { compileMetric, type MetricRange, type SegmentOf } from './compile-metric.ts';
import { metricCoverage, type Coverage } from './metric-coverage.ts';
import { periodContaining, previousPeriod, shiftPeriod } from './periods.ts';
import { rfmAssignments } from './rfm.ts';
import { minSample } from './sample-size.ts';
import { evaluateModelKpi } from './evaluate-model-kpi.ts';
import type { KpiCacheView } from './kpi-cache.ts';
import { readRollup } from './read-rollup.ts';
import { dataVersions, type DataVersion } from '../store/data-versions.ts';

/** A KPI's value in one period (or one dimension value of it), or why it has none. */
export interface KpiValue {
  readonly value: number | null;
  /**
   * why there is no value: "before the data starts", "no data since 2011-12-09", or the
   * formula's reason, e.g. "division by zero" in a period without closed deals
   */
  readonly reason?: string;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** set when the period is "to date": the first instant it leaves out (the as-of cut), before its natural end */
  readonly cutAt?: Date;
  /** set when the data starts inside the period: its first record, so the period is only partly covered */
  readonly dataFrom?: Date;
  /** n, the sample behind the value (closed deals, answers, customers), for a KPI that defines one */
  readonly n?: number | null;
  /** n is under the KPI's minimum sample: the value is shown marked, and judges nothing */
  readonly low?: boolean;
}

/** The reason of a period that ends before a metric's first record. */
export const BEFORE_DATA = 'before the data starts';

/** The reason of a compared period that the data covers only from a date inside it: "data only from <date>". */
export const DATA_ONLY_FROM = 'data only from';

/** The reason of a period that starts after a metric's last record (as of the cut): "no data since <date>". */
export const NO_DATA_SINCE = 'no data since';

/** A KPI over periods: the total per period, and per dimension value when asked. */
export interface KpiSeries {
  readonly kpi: KpiDefinition;
  readonly by?: string;
  readonly points: readonly (KpiValue & { readonly period: Period; readonly breakdown?: readonly (KpiValue & { readonly key: string })[] })[];
}

/**
 * Evaluates a KPI for each period: every metric is one SQL aggregate over all periods at once
 * (plus one more per metric for a breakdown), then the formula runs per period. With `cache` (a
 * tick's view of the KPI cache), a metric's SQL asks only for the periods whose kept values no
 * longer hold, and none when all do; the answer is the same either way (kpi-cache.ts). With
 * `rollups` (or a cache made with them), a count, sum or average over whole local days sums its
 * days from kpi_rollups instead of reading records (read-rollup.ts); again the same answer.
 * @example await evaluateKpi(db, winRate, lastPeriods(asOf, 'month', 12, cal), cal)
 */
export async function evaluateKpi(
  db: Database,
  kpi: KpiDefinition,
  periods: readonly Period[],
  cal: Calendar,
  options: { by?: string; asOf?: Date; cache?: KpiCacheView; rollups?: boolean } = {},
): Promise<KpiSeries> {
  // A computed KPI is valued by its model at each period's end, not by SQL over its metrics.
  if (kpi.model !== undefined) return evaluateModelKpi(db, kpi, periods, cal, options);
  const formula = compileFormula(kpi.formula, Object.keys(kpi.metrics), `kpis.${kpi.key}.formula`);
  // Records after the as-of instant do not exist for this evaluation: periods end at the cut at the latest.
  const cut = options.asOf === undefined ? undefined : new Date(options.asOf.getTime() + 1);
  const cutPeriods = periods.map((p) => (cut !== undefined && p.end > cut ? { ...p, end: new Date(Math.max(cut.getTime(), p.start.getTime())) } : p));
  // With a cache, what no change since its last computation could reach is reused (kpi-cache.ts).
  const coverage = options.cache ? await options.cache.coverage(kpi.metrics, cut, () => metricCoverage(db, kpi, cut)) : await metricCoverage(db, kpi, cut);
  const sample = kpi.sample === undefined ? undefined : compileFormula(kpi.sample, Object.keys(kpi.metrics), `kpis.${kpi.key}.sample`);
  // With rollups, the data versions are read once for every metric of the evaluation.
  let versions: Promise<Map<string, DataVersion>> | undefined;
  const rollups = (options.rollups ?? options.cache?.rollups ?? false) ? () => (versions ??= dataVersions(db)) : undefined;
  const totals = await metricValues(db, kpi, cutPeriods, cal, { cut, cache: options.cache, rollups });
  const split =
    options.by === undefined
      ? undefined
      : await metricValues(db, kpi, cutPeriods, cal, { ...(await splitOptions(db, options.by, cut, periods, options.cache)), rollups });
  const points = cutPeriods.map((p, i) => {
    const period = periods[i]!;
    const natural = periodContaining(period.start, period.grain, cal);
    const cutAt = period.range || p.end >= natural.end ? undefined : p.end;
    const gap = coverageGap(kpi, p, cal, coverage);
    const dataFrom = gap === undefined ? startInside(kpi, p, cal, coverage) : undefined;
    const value = (get: (m: string) => number | null): KpiValue => ({
      // Outside the data there is no value, but n still counts what there is (usually 0).
      ...(gap === undefined ? apply(formula, sample, kpi, get) : { ...apply(formula, sample, kpi, get), value: null, reason: gap, low: false }),
      ...(cutAt ? { cutAt } : {}),
      ...(dataFrom ? { dataFrom } : {}),
    });
    const total = value((m) => totals.get(m)!.value(i, ''));
    if (!split) return { period, ...total };
    const keys = new Set<string>();
    for (const metric of split.values()) for (const k of metric.keys(i)) keys.add(k);
    const breakdown = [...keys].sort().map((key) => ({ key, ...value((m) => split.get(m)!.value(i, key)) }));
    return { period, ...total, breakdown };
  });
  return { kpi, ...(options.by !== undefined ? { by: options.by } : {}), points };
}

/**
 * Why a period has no value because the data does not cover it: a metric's (shifted) period ends
 * before its first record, or starts after its last one. Inside the data, an empty period is 0.
 */
function coverageGap(kpi: KpiDefinition, p: Period, cal: Calendar, coverage: ReadonlyMap<string, Coverage>): string | undefined {
  let since: Date | undefined;
  for (const [name, metric] of Object.entries(kpi.metrics)) {
    const c = coverage.get(name)!;
    if (c.first === undefined) return BEFORE_DATA;
    const q = shifted(p, metric.shift, cal);
    if (q.end <= c.first) return BEFORE_DATA;
    if (c.last !== undefined && q.start > c.last && (since === undefined || c.last < since)) since = c.last;
  }
  return since === undefined ? undefined : `${NO_DATA_SINCE} ${periodContaining(since, 'day', cal).label}`;
}

/** The latest first record of a metric that falls after the first day of its (shifted) period, if any. */
function startInside(kpi: KpiDefinition, p: Period, cal: Calendar, coverage: ReadonlyMap<string, Coverage>): Date | undefined {
  let from: Date | undefined;
  for (const [name, metric] of Object.entries(kpi.metrics)) {
    const first = coverage.get(name)!.first!;
    const q = shifted(p, metric.shift, cal);
    // Data that starts on the period's first day (a shop opening at 8:26) covers the period.
    if (first >= periodContaining(q.start, 'day', cal).end && (from === undefined || first > from)) from = first;
  }
  return from;
}

/**
 * The period a shifted metric reads. A period cut short (to date) shifts with the same cut, so
 * that month to date is compared with the previous month to the same day.
 */
function shifted(p: Period, shift: number | undefined, cal: Calendar): Period {
  if (!shift) return p;
  const q = shiftPeriod(p, shift, cal);
  const natural = p.range ? p : periodContaining(p.start, p.grain, cal);
  if (p.end >= natural.end) return q;
  return { ...q, end: new Date(Math.min(q.end.getTime(), q.start.getTime() + (p.end.getTime() - p.start.getTime()))) };
}

function metricsOf(kpi: KpiDefinition, get: (metric: string) => number | null): Record<string, number | null> {
  const metrics: Record<string, number | null> = {};
  for (const name of Object.keys(kpi.metrics)) metrics[name] = get(name);
  return metrics;
}

/** One metric's values by period index and dimension value. */
interface MetricValues {
  /** the value, or what an absent row means: 0 for counts and sums, no value for averages */
  value(i: number, key: string): number | null;
  /** the dimension values that have rows in period i */
  keys(i: number): Iterable<string>;
}

/** How metricValues reads: the breakdown, the as-of cut, the cache, and the segments a breakdown by segment joins. */
interface ReadOptions {
  readonly by?: string | undefined;
  readonly cut: Date | undefined;
  readonly cache: KpiCacheView | undefined;
  readonly segments?: readonly SegmentOf[] | undefined;
  /** set when a metric that adds up over days reads its rollup (read-rollup.ts): the data versions, read once */
  readonly rollups?: (() => Promise<Map<string, DataVersion>>) | undefined;
}

/**
 * A breakdown's read options. By segment, each customer's RFM segment as of the cut (else the
 * last period's end) goes into the query as a parameter, so that a read never writes; the
 * cache keeps no such split, since the segments move with orders its key does not follow.
 */
async function splitOptions(
  db: Database,
  by: string,
  cut: Date | undefined,
  periods: readonly Period[],
  cache: KpiCacheView | undefined,
): Promise<ReadOptions> {
  if (by !== 'segment') return { by, cut, cache };
  const end = cut ?? new Date(Math.max(...periods.map((p) => p.end.getTime())));
  return { by, cut, cache: undefined, segments: await rfmAssignments(db, { asOf: new Date(end.getTime() - 1) }) };
}

async function metricValues(
  db: Database,
  kpi: KpiDefinition,
  periods: readonly Period[],
  cal: Calendar,
  read: ReadOptions,
): Promise<Map<string, MetricValues>> {
  const { by, cut, cache } = read;
  const out = new Map<string, MetricValues>();
  const upTo = (d: Date) => (cut !== undefined && d > cut ? cut : d);
  for (const [name, metric] of Object.entries(kpi.metrics)) {
    const ranges: MetricRange[] = periods.map((p, i) => {
      const q = shifted(p, metric.shift, cal);
      // retained: the previous period, cut at the same offset when this one is to date
      const before = shifted(q, -1, cal);
      return { i, start: q.start, end: upTo(q.end), prevStart: before.start, prevEnd: upTo(before.end) };
    });
    const options = { dialect: db.dialect, by, where: `kpis.${kpi.key}.metrics.${name}`, cut, segments: read.segments };
    const compiled = compileMetric(metric, ranges, options);
    const run = async (some: readonly MetricRange[]) => {
      // A metric that adds up sums its rollup's days where it can; what the cache keeps stays kept.
      const rolled = read.rollups && read.segments === undefined ? await readRollup(db, metric, by, cal, some, cut, read.rollups) : undefined;
      if (rolled) return rolled;
      const c = some === ranges ? compiled : compileMetric(metric, some, options);
      const rows = await db.sql.all<{ i: number; d: string; v: number | string | null }>(c.sql, c.params);
      const out = new Map<number, Map<string, number | null>>();
      for (const r of rows) {
        const i = Number(r.i);
        let m = out.get(i);
        if (!m) out.set(i, (m = new Map()));
        m.set(String(r.d), r.v === null ? null : Number(r.v));
      }
      return out;
    };
    const byPeriod: ReadonlyMap<number, ReadonlyMap<string, number | null>> = cache
      ? await cache.metricRows({ metric, by, sql: compiled.sql, ranges, cut }, run)
      : await run(ranges);
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
  const metrics = metricsOf(kpi, get);
  const values = new Map(Object.entries(metrics));
  const result = formula.evaluate(values);
  const value = result.ok ? { value: result.value, metrics } : { value: null, reason: result.reason, metrics };
  if (!sample) return value;
  // The sample size rides on the value itself, so every surface that shows the value can show n.
  const counted = sample.evaluate(values);
  const n = counted.ok ? counted.value : null;
  return { ...value, n, low: result.ok && n !== null && n < minSample(kpi) };
}
