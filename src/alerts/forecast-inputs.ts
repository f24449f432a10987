import { closedPeriods } from '../kpi/closed-periods.ts';
import type { RuleConfig } from '../config/alerts-schema.ts';
import type { KpiDefinition, TargetDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import { evaluateKpi, type KpiSeries } from '../kpi/evaluate-kpi.ts';
import { forecastSeries, forecastSum, type ForecastPoint } from '../kpi/forecast/forecast-series.ts';
import { normalCdf } from '../kpi/forecast/normal.ts';
import { additiveKpi, completePeriods, countsOrSums, forecastHistory, HISTORY_PERIODS, SEASON_PERIOD } from '../kpi/kpi-forecast.ts';
import { lastPeriods, periodContaining, previousPeriod, shiftPeriod } from '../kpi/periods.ts';
import type { RuleContext } from './evaluate-rule.ts';

/** The one-step forecast of the judged period, from the periods before it, for the `forecast` condition. */
export type PeriodForecast =
  | ({ readonly kind: 'forecast'; readonly model: string; readonly history: number } & ForecastPoint)
  | { readonly kind: 'none'; readonly reason: string };

/** The forecast for the target's deadline period, for the `forecast_target` condition. */
export type DeadlineForecast =
  | {
      readonly kind: 'forecast';
      readonly target: number;
      /** the deadline period's label, e.g. 2018-Q1 */
      readonly period: string;
      readonly mean: number;
      readonly sd: number | null;
      /** the probability that the deadline period misses the target, from the forecast's normal distribution */
      readonly missProbability: number;
      /** how it was made, e.g. "ETS(A,N,N) by month: 1 month observed + 2 forecast" */
      readonly method: string;
    }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * The forecasts a rule's forecast conditions judge by, per series key ('' for the total): the
 * judged period forecast from the complete periods before it. Nothing is read after the judged
 * period, so a backtest tick sees only its own past.
 * @example await judgedPeriodForecasts(ctx, rule, kpi, judged)
 */
export async function judgedPeriodForecasts(ctx: RuleContext, rule: RuleConfig, kpi: KpiDefinition, judged: Period): Promise<Map<string, PeriodForecast>> {
  const cal = ctx.calendar;
  const grain = rule.grain as Grain;
  const periods = lastPeriods(previousPeriod(judged, cal).start, grain, HISTORY_PERIODS[grain], cal);
  const series = await cachedSeries(ctx, kpi, periods, rule.by);
  const closed = await closedPeriods(ctx.db, kpi, periods, cal);
  const out = new Map<string, PeriodForecast>();
  const keys = rule.by === undefined ? [''] : [...new Set(series.points.flatMap((p) => (p.breakdown ?? []).map((b) => b.key)))];
  for (const key of keys) {
    const values = series.points.map((p) => (key === '' ? p.value : (p.breakdown?.find((b) => b.key === key)?.value ?? (countsOrSums(kpi) ? 0 : null))));
    const history = forecastHistory(periods, values, countsOrSums(kpi), closed);
    if (history.values.length === 0) {
      out.set(key, { kind: 'none', reason: `no history before ${judged.label} to forecast from` });
      continue;
    }
    const fc = forecastSeries(history.values, { horizon: 1, seasonPeriod: SEASON_PERIOD[grain] });
    const p = fc.points[0]!;
    if (p.sd === null) out.set(key, { kind: 'none', reason: `only ${history.values.length} period of history before ${judged.label}; no interval yet` });
    else out.set(key, { kind: 'forecast', model: fc.model, history: history.values.length, ...p });
  }
  return out;
}

/**
 * The forecast of the KPI over the target's deadline period, as of `asOf`. For a sum or a count
 * the deadline period's total is what was observed in its complete sub-periods plus the forecast
 * of the rest, at the next finer grain (months for quarters and years, days for months and weeks),
 * with the variance of the sum of correlated forecast steps; for other KPIs, the forecast of the
 * deadline period itself at the target's grain.
 * @example await deadlineForecast(ctx, kpi, target, asOf) // { kind: 'forecast', period: '2018-Q1', mean: 2.8e6, missProbability: 0.7, … }
 */
export async function deadlineForecast(ctx: RuleContext, kpi: KpiDefinition, target: TargetDefinition, asOf: Date): Promise<DeadlineForecast> {
  const cal = ctx.calendar;
  const deadline = periodContaining(new Date(`${target.by}T12:00:00Z`), target.grain, cal);
  if (asOf.getTime() >= deadline.end.getTime()) return { kind: 'none', reason: `the deadline period ${deadline.label} has ended` };
  const additive = additiveKpi(kpi);
  const grain: Grain = additive ? FINER[target.grain] : target.grain;
  const periods = completePeriods(asOf, grain, HISTORY_PERIODS[grain], cal);
  const series = await cachedSeries(ctx, kpi, periods, undefined);
  const history = forecastHistory(
    periods,
    series.points.map((p) => p.value),
    countsOrSums(kpi),
    await closedPeriods(ctx.db, kpi, periods, cal),
  );
  if (history.values.length === 0) return { kind: 'none', reason: `no history of ${kpi.title} to forecast from` };
  // Complete periods inside the deadline period are observed; the rest, up to its end, forecast.
  const last = periods.at(-1)!;
  const observed = additive
    ? history.periods.map((p, i) => [p, history.values[i]!] as const).filter(([p]) => p.start >= deadline.start && p.end <= deadline.end)
    : [];
  const steps: Period[] = [];
  for (let p = shiftPeriod(last, 1, cal); p.start < deadline.end; p = shiftPeriod(p, 1, cal)) steps.push(p);
  const inside = steps.map((p, i) => [p, i] as const).filter(([p]) => (additive ? p.start >= deadline.start : p.label === deadline.label));
  if (inside.length === 0) return { kind: 'none', reason: `nothing of ${deadline.label} is left to forecast` };
  const fc = forecastSeries(history.values, { horizon: steps.length, seasonPeriod: SEASON_PERIOD[grain] });
  const sum = forecastSum(fc, inside[0]![1], inside.at(-1)![1]);
  const mean = sum.mean + observed.reduce((s, [, v]) => s + v, 0);
  const z = sum.sd ? (target.value - mean) / sum.sd : target.value > mean ? Infinity : -Infinity;
  const below = normalCdf(z);
  const missProbability = kpi.direction === 'higher' ? below : 1 - below;
  const plural = (n: number) => `${n} ${grain}${n === 1 ? '' : 's'}`;
  const method = additive ? `${fc.model} by ${grain}: ${plural(observed.length)} observed + ${plural(inside.length)} forecast` : `${fc.model} by ${grain}`;
  return { kind: 'forecast', target: target.value, period: deadline.label, mean, sd: sum.sd, missProbability, method };
}

/** The grain a deadline period's total is built from. */
const FINER: Readonly<Record<Grain, Grain>> = { day: 'day', week: 'day', month: 'day', quarter: 'month', year: 'month' };

async function cachedSeries(ctx: RuleContext, kpi: KpiDefinition, periods: readonly Period[], by: string | undefined): Promise<KpiSeries> {
  // Backtest ticks share the cache: consecutive ticks read overlapping histories, keyed by their exact periods.
  const key = `forecast|${kpi.key}|${by ?? ''}|${periods[0]?.label}|${periods.at(-1)?.label}|${periods.length}`;
  const cached = ctx.cache?.get(key);
  if (cached) return cached;
  const pending = evaluateKpi(ctx.db, kpi, periods, ctx.calendar as Calendar, by === undefined ? {} : { by });
  ctx.cache?.set(key, pending);
  return pending;
}
