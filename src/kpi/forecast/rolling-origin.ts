import { forecastSeries, type Forecast, type ForecastMethod } from './forecast-series.ts';

/** How one method did over the held-out points of a rolling-origin backtest. */
export interface MethodAccuracy {
  readonly method: ForecastMethod | 'auto';
  /** the model each origin chose, with how often, e.g. { 'ETS(A,N,N)': 9, naive: 2 } */
  readonly models: Readonly<Record<string, number>>;
  /** mean absolute scaled error: mean |error| ÷ the in-sample MAE of one-step naive forecasts, per origin */
  readonly mase: number;
  /** share of held-out values inside the 80% interval (of the points that had one) */
  readonly coverage80: number | null;
  readonly coverage95: number | null;
  /** held-out values scored */
  readonly points: number;
}

/** One comparison run on one set of origins: every method scored on the same held-out values. */
export interface AccuracyComparison {
  /** the first origin: periods of history the first forecast was fitted to */
  readonly firstOrigin: number;
  readonly methods: readonly MethodAccuracy[];
}

/** A rolling-origin backtest: the chosen method against naive, and against seasonal naive where history allows. */
export interface AccuracyReport {
  readonly length: number;
  readonly horizon: number;
  readonly seasonPeriod: number;
  /** auto and naive from the earliest origin ETS can fit */
  readonly vsNaive: AccuracyComparison;
  /** auto and seasonal naive from the first origin with a full season; undefined with too few such origins */
  readonly vsSeasonalNaive?: AccuracyComparison | undefined;
  /** why there is no seasonal naive comparison */
  readonly seasonalNaiveNote?: string | undefined;
}

/** The fewest held-out values a comparison is reported on; fewer say nothing about coverage. */
export const MIN_HELD_OUT = 8;

/**
 * Rolling-origin evaluation (FPP §5.10, "time series cross-validation"): for each origin t, fit on
 * the first t values, forecast 1…horizon ahead and score against what followed. MASE scales each
 * origin's errors by the in-sample mean absolute one-step naive error of its own training values
 * (Hyndman & Koehler 2006), so a MASE below 1 beats in-sample naive and the ratio of two methods'
 * MASE on the same origins says which is better. At most `maxOrigins` origins, the latest ones.
 * @example rollingOrigin(monthlyRevenue, { horizon: 1, seasonPeriod: 12, firstOrigin: 7 }).vsNaive.methods[0].mase
 */
export function rollingOrigin(
  y: readonly number[],
  options: { horizon: number; seasonPeriod: number; firstOrigin: number; maxOrigins?: number },
): AccuracyReport {
  const { horizon, seasonPeriod: m } = options;
  const last = y.length - 1;
  const origins = (from: number) => {
    const all: number[] = [];
    for (let t = Math.max(2, from); t <= last; t++) all.push(t);
    return all.slice(-(options.maxOrigins ?? all.length));
  };
  // Both comparisons score the chosen method on overlapping origins: fit each origin once.
  const memo = new Map<string, Forecast>();
  const vsNaive = compare(y, origins(options.firstOrigin), horizon, m, ['auto', 'naive'], memo);
  const base = { length: y.length, horizon, seasonPeriod: m, vsNaive };
  if (m <= 1) return { ...base, seasonalNaiveNote: 'the grain has no seasonal period' };
  const seasonal = origins(Math.max(options.firstOrigin, m));
  const held = seasonal.reduce((s, t) => s + Math.min(horizon, y.length - t), 0);
  if (held < MIN_HELD_OUT) {
    return {
      ...base,
      seasonalNaiveNote: `seasonal naive needs a full season of ${m} periods to forecast from; ${y.length} periods leave ${held} held-out values (at least ${MIN_HELD_OUT} needed)`,
    };
  }
  return { ...base, vsSeasonalNaive: compare(y, seasonal, horizon, m, ['auto', 'seasonal_naive'], memo) };
}

function compare(
  y: readonly number[],
  origins: readonly number[],
  horizon: number,
  m: number,
  methods: readonly (ForecastMethod | 'auto')[],
  memo: Map<string, Forecast>,
): AccuracyComparison {
  const acc = methods.map(() => ({ scaled: 0, points: 0, in80: 0, in95: 0, withInterval: 0, models: {} as Record<string, number> }));
  for (const t of origins) {
    const train = y.slice(0, t);
    const scale = train.slice(1).reduce((s, v, i) => s + Math.abs(v - train[i]!), 0) / (train.length - 1);
    if (!(scale > 0)) continue;
    methods.forEach((method, k) => {
      const key = `${method}|${t}`;
      const fc = memo.get(key) ?? forecastSeries(train, { horizon, seasonPeriod: m, ...(method === 'auto' ? {} : { method }) });
      memo.set(key, fc);
      const a = acc[k]!;
      a.models[fc.model] = (a.models[fc.model] ?? 0) + 1;
      fc.points.forEach((p, h) => {
        const actual = y[t + h];
        if (actual === undefined) return;
        a.scaled += Math.abs(actual - p.mean) / scale;
        a.points++;
        if (p.lo80 === null) return;
        a.withInterval++;
        if (actual >= p.lo80 && actual <= p.hi80!) a.in80++;
        if (actual >= p.lo95! && actual <= p.hi95!) a.in95++;
      });
    });
  }
  return {
    firstOrigin: origins[0] ?? y.length,
    methods: methods.map((method, k) => {
      const a = acc[k]!;
      return {
        method,
        models: a.models,
        mase: a.points ? a.scaled / a.points : NaN,
        coverage80: a.withInterval ? a.in80 / a.withInterval : null,
        coverage95: a.withInterval ? a.in95 / a.withInterval : null,
        points: a.points,
      };
    }),
  };
}
