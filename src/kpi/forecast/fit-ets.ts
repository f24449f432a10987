import { etsRun, type EtsParams, type EtsRun, type EtsSpec } from './ets.ts';
import { nelderMead } from './nelder-mead.ts';

/** A model fitted to a series: its parameters, the run over the history and its information criteria. */
export interface EtsFit {
  readonly spec: EtsSpec;
  readonly params: EtsParams;
  readonly run: EtsRun;
  /** Σε² ÷ (n − k + 1): the innovations' variance (relative errors' for multiplicative models), as the R forecast package computes it */
  readonly sigma2: number;
  /** parameters counted by the criteria: smoothing parameters, initial states and σ */
  readonly k: number;
  /** −2 log L (constants dropped) + 2k, the R forecast package's AIC: n·log(SSE) + 2k for additive errors, n·log(Σε²) + 2Σlog|ŷ_t| + 2k for multiplicative */
  readonly aic: number;
  readonly aicc: number;
}

/** The fewest observations a model with k parameters is fitted to: AICc needs n − k − 1 > 0 and a few degrees of freedom. */
export function minimumLength(spec: EtsSpec): number {
  return parameterCount(spec) + 4;
}

/**
 * Fits an ETS model by maximum likelihood (FPP §8.6): for additive errors, least squares of the
 * one-step errors; for multiplicative errors, the minimum of L* = n·log(Σε_t²) + 2·Σlog|ŷ_t|,
 * ε_t = (y_t − ŷ_t) ÷ ŷ_t, a candidate whose fitted values reach 0 or below being inadmissible. The smoothing parameters and the initial level
 * and slope are estimated by Nelder–Mead within the R forecast package's "usual" bounds
 * (1e−4 ≤ α ≤ 0.9999, β ≤ α, γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98); the initial seasonal states come from
 * the first two seasons (the means of each position, detrended), as in Hyndman et al. (2008) §2.6.1.
 * @example fitEts(oil, { trend: 'none', period: 0 }).params.alpha // ≈ 0.8339 (FPP2 §7.1)
 */
export function fitEts(y: readonly number[], spec: EtsSpec): EtsFit {
  const n = y.length;
  // Fitting in units of the series' size keeps the simplex steps meaningful for revenue in millions and rates alike.
  const scale = Math.max(1e-12, y.reduce((s, v) => s + Math.abs(v), 0) / n);
  const z = y.map((v) => v / scale);
  const seeds = initialStates(z, spec);
  const hasTrend = spec.trend !== 'none';
  const hasSeason = spec.period > 0;
  const damped = spec.trend === 'damped';

  // Nelder–Mead searches an unbounded space: each parameter is a logistic map of a free variable
  // into its bounds, so an optimum on a bound (β = 1e−4 in FPP's Holt example) is approached, not jumped over.
  const within = (u: number, lo: number, hi: number) => lo + (hi - lo) / (1 + Math.exp(-u));
  const free = (v: number, lo: number, hi: number) => {
    const t = Math.min(1 - 1e-9, Math.max(1e-9, (v - lo) / (hi - lo)));
    return Math.log(t / (1 - t));
  };
  const unpack = (x: readonly number[]): EtsParams => {
    let i = 0;
    const alpha = within(x[i++]!, 1e-4, 0.9999);
    const beta = hasTrend ? within(x[i++]!, 1e-4, alpha) : 0;
    const gamma = hasSeason ? within(x[i++]!, 1e-4, 1 - alpha) : 0;
    const phi = damped ? within(x[i++]!, 0.8, 0.98) : 1;
    const level = x[i++]!;
    const slope = hasTrend ? x[i++]! : 0;
    return { alpha, beta, gamma, phi, level, slope, season: seeds.season };
  };
  const multiplicative = spec.error === 'multiplicative';
  const objective = (x: readonly number[]) => {
    const run = etsRun(z, spec, unpack(x));
    if (!multiplicative) return run.sse;
    return run.fitted.some((f) => !(f > 0)) ? Infinity : n * Math.log(run.innovationSquares) + 2 * run.logFitted;
  };
  const spread = sd(z) || 1;
  const steps = [1, ...(hasTrend ? [1] : []), ...(hasSeason ? [1] : []), ...(damped ? [1] : []), 0.5 * spread, ...(hasTrend ? [0.1 * spread] : [])];
  const startAt = (alpha: number) => [
    free(alpha, 1e-4, 0.9999),
    ...(hasTrend ? [free(0.1 * alpha, 1e-4, alpha)] : []),
    ...(hasSeason ? [free(0.1 * (1 - alpha), 1e-4, 1 - alpha)] : []),
    ...(damped ? [free(0.9, 0.8, 0.98)] : []),
    seeds.level,
    ...(hasTrend ? [seeds.slope] : []),
  ];
  // A few starting α and a restart from the best point guard against Nelder–Mead stalling on a ridge.
  let best = [0.2, 0.5, 0.8].map((a) => nelderMead(objective, startAt(a), steps)).reduce((a, b) => (b.value < a.value ? b : a));
  for (let r = 0; r < 3; r++) {
    const again = nelderMead(
      objective,
      best.x,
      steps.map((s) => s / 4),
    );
    const improved = again.value < best.value - 1e-12 * Math.abs(best.value);
    if (again.value < best.value) best = again;
    if (!improved) break;
  }
  const zp = unpack(best.x);
  const params: EtsParams = { ...zp, level: zp.level * scale, slope: zp.slope * scale, season: zp.season.map((s) => s * scale) };
  const run = etsRun(y, spec, params);
  const k = parameterCount(spec);
  const squares = run.innovationSquares;
  const logLik = n * Math.log(Math.max(squares, Number.MIN_VALUE)) + (multiplicative ? 2 * run.logFitted : 0);
  // A multiplicative model whose best fit still forecasts 0 or less is no candidate.
  const aic = multiplicative && run.fitted.some((f) => !(f > 0)) ? Infinity : logLik + 2 * k;
  return { spec, params, run, sigma2: squares / Math.max(1, n - k + 1), k, aic, aicc: aic + (2 * k * (k + 1)) / (n - k - 1) };
}

/** Smoothing parameters, initial states (m − 1 free seasonal ones) and σ. */
function parameterCount(spec: EtsSpec): number {
  const trend = spec.trend === 'none' ? 0 : spec.trend === 'additive' ? 2 : 3;
  const season = spec.period ? spec.period : 0; // γ and m − 1 initial states
  return 1 + 1 + trend + season + 1; // α, ℓ0, (β, b0, φ), (γ, s), σ
}

function initialStates(y: readonly number[], spec: EtsSpec): { level: number; slope: number; season: number[] } {
  const m = spec.period;
  if (!m) {
    const first = y.slice(0, Math.min(y.length, 10));
    const slope = spec.trend === 'none' || y.length < 2 ? 0 : (first.at(-1)! - first[0]!) / (first.length - 1);
    return { level: y[0]! - slope, slope, season: [] };
  }
  const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const first = mean(y.slice(0, m));
  const second = mean(y.slice(m, 2 * m));
  const slope = spec.trend === 'none' ? 0 : (second - first) / m;
  // Position i of the season: its deviation from the straight line through the two season means, averaged over both seasons.
  const season = Array.from({ length: m }, (_, i) => {
    const line = (t: number) => first + slope * (t - (m - 1) / 2);
    return (y[i]! - line(i) + (y[i + m]! - line(i + m))) / 2;
  });
  const centre = mean(season);
  return { level: first - slope * ((m - 1) / 2) - slope, slope, season: season.map((s) => s - centre) };
}

function sd(a: readonly number[]): number {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, a.length - 1));
}
