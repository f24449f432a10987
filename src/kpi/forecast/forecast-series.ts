import { etsForecast, etsName, type EtsSpec } from './ets.ts';
import { fitEts, minimumLength, type EtsFit } from './fit-ets.ts';
import { Z80, Z95 } from './normal.ts';

/** How a forecast was made. */
export type ForecastMethod =
  /** exponential smoothing, the model chosen by AICc */
  | 'ets'
  /** each period repeats the same period one season earlier */
  | 'seasonal_naive'
  /** every period repeats the last value */
  | 'naive';

/** One forecast period: the point forecast and its 80% and 95% prediction intervals. */
export interface ForecastPoint {
  readonly mean: number;
  /** the forecast's standard deviation; null when there is no error to measure it by */
  readonly sd: number | null;
  readonly lo80: number | null;
  readonly hi80: number | null;
  readonly lo95: number | null;
  readonly hi95: number | null;
}

/** What to forecast with. */
export interface ForecastOptions {
  /** periods ahead */
  readonly horizon: number;
  /** the seasonal period of the grain: 7 for days, 52 for weeks, 12 for months; 1 without one */
  readonly seasonPeriod: number;
  /** force a method (the backtest compares them); default: ETS by AICc with the fallbacks */
  readonly method?: ForecastMethod | undefined;
}

/** A forecast: the method and model used, why, and one point per period ahead. */
export interface Forecast {
  readonly method: ForecastMethod;
  /** e.g. ETS(A,Ad,N), seasonal naive (m = 7), naive */
  readonly model: string;
  /** why this method: the fallback's reason, or that the model won on AICc */
  readonly reason: string;
  /** why this method, for answers in any language: chosen by AICc, too short or constant a history, or asked for */
  readonly why: 'aicc' | 'short' | 'constant' | 'asked';
  /** the exponential smoothing models compared by AICc; 0 for a fallback */
  readonly candidates: number;
  /** whether a seasonal pattern is in the model */
  readonly seasonal: boolean;
  readonly points: readonly ForecastPoint[];
  /** the one-step error's standard deviation σ; null when there is no error to measure it by */
  readonly sigma: number | null;
  /**
   * the weights ψ_0 = 1, ψ_1 … ψ_{h−1} of past errors in the forecast errors (the c_j of
   * Hyndman et al. 2008): step i's error is Σ_k ψ_k ε_{i−k}, so sums of steps get their variance
   */
  readonly psi: readonly number[];
  /**
   * the size of each step's own shock relative to σ: 1 with additive errors; the point forecast
   * with multiplicative ones, whose shocks are μ_h ε_h (so sums of steps get their variance, to first order in σ²)
   */
  readonly shockScale: readonly number[];
  /** the fitted model when the method is ETS */
  readonly fit?: EtsFit;
}

/**
 * Forecasts a series of evenly spaced values. With enough history it fits the ETS models — level
 * only, additive trend, damped trend, and each with additive seasonality when there are at least
 * two full seasons — with additive errors and, when every value is above 0, with multiplicative
 * errors too, and keeps the one with the smallest AICc (FPP §8.6). Shorter history falls back to
 * seasonal naive (two full seasons) or naive, and says so. Intervals are normal: the ETS ones
 * analytic (Hyndman et al. 2008, tables 6.1 and 6.2: classes 1 and 2), the naive ones from FPP §5.5.
 * @example forecastSeries([3, 4, 5, 6, 7, 8, 9, 10], { horizon: 2, seasonPeriod: 12 }).model // 'ETS(A,A,N)' or similar
 */
export function forecastSeries(y: readonly number[], options: ForecastOptions): Forecast {
  const { horizon } = options;
  const m = options.seasonPeriod > 1 ? options.seasonPeriod : 0;
  const n = y.length;
  if (n === 0) throw new Error('[kpi] forecast: the series has no values to forecast from');
  if (options.method === 'naive') return naive(y, horizon, 'asked for naive', 'asked');
  if (options.method === 'seasonal_naive') {
    if (!m || n < m) return naive(y, horizon, `seasonal naive needs one full season (${m || 'no'} periods); naive used`, 'short');
    return seasonalNaive(y, horizon, m, 'asked for seasonal naive', 'asked');
  }
  if (new Set(y).size === 1) return naive(y, horizon, 'the history is constant', 'constant');
  const specs: EtsSpec[] = [];
  // Multiplicative errors are defined for strictly positive series only (FPP §8.5).
  const positive = y.every((v) => v > 0);
  for (const error of positive ? (['additive', 'multiplicative'] as const) : (['additive'] as const)) {
    for (const trend of ['none', 'additive', 'damped'] as const) {
      specs.push({ error, trend, period: 0 });
      if (m && n >= 2 * m) specs.push({ error, trend, period: m });
    }
  }
  const fits = specs
    .filter((s) => n >= minimumLength(s))
    .map((s) => fitEts(y, s))
    .filter((f) => Number.isFinite(f.aicc));
  if (fits.length === 0) {
    const short = `only ${n} periods of history; exponential smoothing needs at least ${minimumLength({ trend: 'none', period: 0 })}`;
    return m && n >= 2 * m ? seasonalNaive(y, horizon, m, short, 'short') : naive(y, horizon, short, 'short');
  }
  const best = fits.reduce((a, b) => (b.aicc < a.aicc ? b : a));
  const { mean, variance } = etsForecast(best.run, best.spec, best.params, best.sigma2, horizon);
  const seasonNote = !m ? '' : n >= 2 * m ? '' : `; ${n} periods are fewer than two seasons of ${m}, so no seasonality`;
  const errorNote = positive ? '' : '; values of 0 or below allow additive errors only';
  return {
    method: 'ets',
    model: etsName(best.spec) + (best.spec.period ? ` m=${best.spec.period}` : ''),
    reason: `lowest AICc of ${fits.length} exponential smoothing models${seasonNote}${errorNote}`,
    why: 'aicc',
    candidates: fits.length,
    seasonal: best.spec.period > 0,
    points: mean.map((mu, i) => point(mu, Math.sqrt(variance[i]!))),
    sigma: Math.sqrt(best.sigma2),
    psi: etsPsi(best, horizon),
    shockScale: best.spec.error === 'multiplicative' ? mean : mean.map(() => 1),
    fit: best,
  };
}

/**
 * The mean and standard deviation of the sum of forecast steps `from`…`to` (0-based, inclusive):
 * the errors of steps i < j share the shocks ε_1…ε_{i+1}, so Cov = σ² Σ_{k=0}^{i} ψ_k ψ_{k+j−i} w_{i−k}²,
 * w the shock scale (1 for additive errors; μ for multiplicative ones, to first order in σ²).
 * @example forecastSum(fc, 0, 2) // the next three periods' total, e.g. a quarter from months
 */
export function forecastSum(fc: Forecast, from: number, to: number): { mean: number; sd: number | null } {
  let mean = 0;
  for (let i = from; i <= to; i++) mean += fc.points[i]!.mean;
  if (fc.sigma === null) return { mean, sd: null };
  let variance = 0;
  for (let i = from; i <= to; i++) {
    for (let j = from; j <= to; j++) {
      const [a, b] = i <= j ? [i, j] : [j, i];
      for (let k = 0; k <= a; k++) variance += fc.psi[k]! * fc.psi[k + b - a]! * fc.shockScale[a - k]! ** 2;
    }
  }
  return { mean, sd: fc.sigma * Math.sqrt(variance) };
}

function etsPsi(fit: EtsFit, horizon: number): number[] {
  const { alpha, beta, gamma, phi } = fit.params;
  const { trend, period } = fit.spec;
  const out = [1];
  let phiSum = 0;
  for (let j = 1; j < horizon; j++) {
    phiSum += (trend === 'damped' ? phi : 1) ** j;
    out.push(alpha + (trend === 'none' ? 0 : beta * phiSum) + (period && j % period === 0 ? gamma : 0));
  }
  return out;
}

function point(mean: number, sd: number | null): ForecastPoint {
  if (sd === null || !Number.isFinite(sd)) return { mean, sd: null, lo80: null, hi80: null, lo95: null, hi95: null };
  return { mean, sd, lo80: mean - Z80 * sd, hi80: mean + Z80 * sd, lo95: mean - Z95 * sd, hi95: mean + Z95 * sd };
}

/** FPP §5.5: σ̂_h = σ̂ √h, σ̂ the root mean square of the one-step naive errors. */
function naive(y: readonly number[], horizon: number, reason: string, why: Forecast['why']): Forecast {
  const last = y.at(-1)!;
  const errors = y.slice(1).map((v, i) => v - y[i]!);
  const sigma = errors.length ? Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length) : null;
  return {
    method: 'naive',
    model: 'naive',
    reason,
    why,
    candidates: 0,
    seasonal: false,
    points: Array.from({ length: horizon }, (_, i) => point(last, sigma === null ? null : sigma * Math.sqrt(i + 1))),
    sigma,
    psi: Array.from({ length: horizon }, () => 1),
    shockScale: Array.from({ length: horizon }, () => 1),
  };
}

/** FPP §5.5: σ̂_h = σ̂ √(k + 1), k the whole seasons before step h. */
function seasonalNaive(y: readonly number[], horizon: number, m: number, reason: string, why: Forecast['why']): Forecast {
  const n = y.length;
  const errors = y.slice(m).map((v, i) => v - y[i]!);
  const sigma = errors.length ? Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length) : null;
  return {
    method: 'seasonal_naive',
    model: `seasonal naive m=${m}`,
    reason,
    why,
    candidates: 0,
    seasonal: true,
    points: Array.from({ length: horizon }, (_, i) => {
      const k = Math.floor(i / m);
      return point(y[n - m + (i % m)]!, sigma === null ? null : sigma * Math.sqrt(k + 1));
    }),
    sigma,
    psi: Array.from({ length: horizon }, (_, j) => (j === 0 || j % m === 0 ? 1 : 0)),
    shockScale: Array.from({ length: horizon }, () => 1),
  };
}
