import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import { closedPeriods } from './closed-periods.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Database } from '../store/open-database.ts';
import { evaluateKpi, type KpiValue } from './evaluate-kpi.ts';
import { forecastSeries, type Forecast } from './forecast/forecast-series.ts';
import { dataEndBefore } from './metric-coverage.ts';
import { lastPeriods, periodContaining, shiftPeriod } from './periods.ts';

/** The seasonal period of each grain: weekdays for days, the year for weeks and months. */
export const SEASON_PERIOD: Readonly<Record<Grain, number>> = { day: 7, week: 52, month: 12, quarter: 4, year: 1 };

/** How far back a forecast reads, per grain: enough for two yearly seasons where the data has them. */
export const HISTORY_PERIODS: Readonly<Record<Grain, number>> = { day: 730, week: 156, month: 60, quarter: 20, year: 10 };

/** The most periods a forecast looks ahead. */
export const MAX_HORIZON = 366;

/** What to forecast. */
export interface KpiForecastRequest {
  readonly grain: Grain;
  /** the last instant of data to use: the forecast starts after the last period complete at as-of */
  readonly asOf: Date;
  /** periods ahead */
  readonly horizon: number;
  readonly by?: string | undefined;
  /** when the KPI's data ends before the period holding as-of, forecast from the end of its data (no as-of was asked for) */
  readonly atDataEnd?: boolean | undefined;
  /** at most this many dimension values, the largest by their latest total; default 6 */
  readonly top?: number | undefined;
}

/** The history a forecast stands on: complete periods with values, after any leading empty stretch or gap. */
export interface ForecastHistory {
  readonly periods: readonly Period[];
  readonly values: readonly number[];
  /** what was left out and why, e.g. "12 periods before the data begins" */
  readonly notes: readonly string[];
}

/** One series' forecast: the total, or one dimension value. */
export interface KpiForecastSeries {
  /** the dimension value, '' for the total */
  readonly key: string;
  readonly history: ForecastHistory;
  /** the periods forecast, one per forecast point */
  readonly periods: readonly Period[];
  readonly forecast: Forecast;
}

/** A KPI forecast: per series, the history used, the method chosen and the forecast periods. */
export interface KpiForecast {
  readonly kpi: KpiDefinition;
  readonly grain: Grain;
  readonly asOf: Date;
  readonly seasonPeriod: number;
  /** whether period totals add up (a sum or a count), so a quarter is the sum of its months */
  readonly additive: boolean;
  readonly by?: string;
  readonly series: readonly KpiForecastSeries[];
  /** set when the KPI's data stopped before the asked as-of: the forecast starts from this, its last record */
  readonly dataEnd?: Date;
}

/**
 * Forecasts a KPI: evaluates it over the complete periods up to as-of (HISTORY_PERIODS of them),
 * keeps the stretch with values and forecasts the next `horizon` periods by forecastSeries.
 * @example await kpiForecast(db, registry.get('won_revenue'), { grain: 'month', asOf, horizon: 3 }, cal)
 */
export async function kpiForecast(db: Database, kpi: KpiDefinition, request: KpiForecastRequest, cal: Calendar): Promise<KpiForecast> {
  const { grain, horizon } = request;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new CrmPulseError('usage', `[kpi] cannot forecast ${horizon} periods ahead`, { hint: `ask for 1 to ${MAX_HORIZON} periods` });
  }
  // Unless the as-of was asked for, a KPI whose data stopped before the clock (the demo's older
  // datasets, a source no longer synced) is forecast from the end of its data, and says so.
  const dataEnd = request.atDataEnd ? await dataEndBefore(db, kpi, request.asOf, grain, cal) : undefined;
  const asOf = dataEnd ?? request.asOf;
  const staleNote = dataEnd ? [`no data since ${periodContaining(dataEnd, 'day', cal).label}: forecast from the end of the data`] : [];
  const periods = completePeriods(asOf, grain, HISTORY_PERIODS[grain], cal);
  const series = await evaluateKpi(db, kpi, periods, cal, request.by === undefined ? { asOf } : { by: request.by, asOf });
  const closed = await closedPeriods(db, kpi, periods, cal);
  const last = periods.at(-1)!;
  const ahead = Array.from({ length: horizon }, (_, i) => shiftPeriod(last, i + 1, cal));
  const seasonPeriod = SEASON_PERIOD[grain];
  const one = (key: string, values: readonly (KpiValue | undefined)[]): KpiForecastSeries | undefined => {
    const found = forecastHistory(
      periods,
      values.map((v) => v?.value ?? null),
      countsOrSums(kpi),
      closed,
    );
    if (found.values.length === 0) return undefined;
    const history = staleNote.length ? { ...found, notes: [...staleNote, ...found.notes] } : found;
    return { key, history, periods: ahead, forecast: forecastSeries(history.values, { horizon, seasonPeriod }) };
  };
  const base = { kpi, grain, asOf, seasonPeriod, additive: additiveKpi(kpi), ...(dataEnd ? { dataEnd } : {}) };
  if (request.by === undefined) {
    const total = one('', series.points);
    if (!total) throw noHistory(kpi, periods);
    return { ...base, series: [total] };
  }
  // The largest dimension values by their total over the last season (or the whole history when shorter).
  const recent = series.points.slice(-Math.max(seasonPeriod, 1));
  const size = new Map<string, number>();
  for (const p of recent) for (const b of p.breakdown ?? []) size.set(b.key, (size.get(b.key) ?? 0) + Math.abs(b.value ?? 0));
  const keys = [...size.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, request.top ?? 6)
    .map(([k]) => k);
  const out = keys
    .map((key) =>
      one(
        key,
        series.points.map((p) => p.breakdown?.find((b) => b.key === key) ?? (countsOrSums(kpi) ? { value: 0, metrics: {} } : undefined)),
      ),
    )
    .filter((s) => s !== undefined);
  if (out.length === 0) throw noHistory(kpi, periods);
  return { ...base, by: request.by, series: out };
}

/** The `n` periods of `grain` that are complete at as-of, oldest first. */
export function completePeriods(asOf: Date, grain: Grain, n: number, cal: Calendar): Period[] {
  const running = periodContaining(asOf, grain, cal);
  // as-of on the last instant of a period (the end of the data's last day) completes it.
  const lastComplete = asOf.getTime() + 1 >= running.end.getTime() ? running : shiftPeriod(running, -1, cal);
  return lastPeriods(lastComplete.start, grain, n, cal);
}

/**
 * The history to forecast from: periods before the first value (or, for a sum or count, the first
 * non-zero value: before the data begins) are left out, and so is everything up to the last period
 * without a value, since exponential smoothing needs evenly spaced values. Periods in `closed`
 * (closedPeriods: no record at all) count as without a value.
 */
export function forecastHistory(
  periods: readonly Period[],
  given: readonly (number | null)[],
  additive: boolean,
  closed: ReadonlySet<string> = new Set(),
): ForecastHistory {
  const notes: string[] = [];
  // A period without any record (closedPeriods) is a gap, not a zero.
  const values = given.map((v, i) => (closed.has(periods[i]!.label) ? null : v));
  let start = values.findIndex((v) => v !== null && (!additive || v !== 0));
  if (start < 0) return { periods: [], values: [], notes: ['no period has a value'] };
  if (start > 0) notes.push(`${start} periods before the data begins left out`);
  const lastGap = values.findLastIndex((v, i) => i >= start && v === null);
  if (lastGap >= 0) {
    const label = periods[lastGap]!.label;
    const why = closed.has(label) ? `no record at all in ${label} (a closure or a gap in the data, not a zero)` : `no value in ${label}`;
    notes.push(`${why}; only the ${values.length - lastGap - 1} periods after it are used`);
    start = lastGap + 1;
  }
  return { periods: periods.slice(start), values: values.slice(start) as number[], notes };
}

/** A KPI is additive when it is one sum or count: the total of a quarter is the sum of its months. */
export function additiveKpi(kpi: KpiDefinition): boolean {
  const metrics = Object.entries(kpi.metrics);
  if (metrics.length !== 1) return false;
  const [name, metric] = metrics[0]!;
  return kpi.formula.trim() === name && ['sum', 'count'].includes(metric.aggregate) && !metric.shift && !metric.mode;
}

/** A KPI whose every metric is a count or sum: 0 in a period before the data begins, not "no value". */
export function countsOrSums(kpi: KpiDefinition): boolean {
  return Object.values(kpi.metrics).every((m) => ['sum', 'count', 'count_distinct'].includes(m.aggregate));
}

function noHistory(kpi: KpiDefinition, periods: readonly Period[]): CrmPulseError {
  return new CrmPulseError('usage', `[kpi] ${kpi.key} has no value in ${periods[0]!.label}–${periods.at(-1)!.label} to forecast from`, {
    hint: 'load data first (crm-pulse ingest), or choose a KPI with data',
  });
}
