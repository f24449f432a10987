/**
 * An additive-error exponential smoothing model, ETS(A,·,·) in the taxonomy of Hyndman, Koehler,
 * Ord & Snyder, "Forecasting with Exponential Smoothing: The State Space Approach" (Springer 2008),
 * and of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice" (FPP), chapter 7/8.
 */
export interface EtsSpec {
  /** none: level only (simple exponential smoothing); additive: Holt's linear trend; damped: Holt's damped trend */
  readonly trend: 'none' | 'additive' | 'damped';
  /** the seasonal period m (7 for weekdays, 12 for months, 52 for weeks), 0 without seasonality */
  readonly period: number;
}

/** The smoothing parameters and the initial states of one model. */
export interface EtsParams {
  readonly alpha: number;
  /** trend smoothing (FPP's β = αβ*); 0 without a trend */
  readonly beta: number;
  /** seasonal smoothing; 0 without seasonality */
  readonly gamma: number;
  /** trend damping; 1 for an undamped trend */
  readonly phi: number;
  readonly level: number;
  readonly slope: number;
  /** initial seasonal states s_{1−m} … s_0, oldest first; empty without seasonality */
  readonly season: readonly number[];
}

/** What running the model over a series gives: one-step fitted values, errors and the final states. */
export interface EtsRun {
  readonly fitted: readonly number[];
  readonly residuals: readonly number[];
  readonly sse: number;
  readonly level: number;
  readonly slope: number;
  /** the last m seasonal states, oldest first */
  readonly season: readonly number[];
}

/** Short name of a model, e.g. ETS(A,Ad,A) with m = 7. */
export function etsName(spec: EtsSpec): string {
  const trend = spec.trend === 'none' ? 'N' : spec.trend === 'additive' ? 'A' : 'Ad';
  return `ETS(A,${trend},${spec.period ? 'A' : 'N'})`;
}

/**
 * Runs the state space recursions (FPP table 8.7, additive error rows):
 *   ŷ_t = ℓ + φb + s_{t−m};  e_t = y_t − ŷ_t
 *   ℓ_t = ℓ + φb + αe_t;  b_t = φb + βe_t;  s_t = s_{t−m} + γe_t
 * @example etsRun([445.36, 453.20], { trend: 'none', period: 0 }, { alpha: 0.8339, level: 446.59, … }).fitted[0] // 446.59
 */
export function etsRun(y: readonly number[], spec: EtsSpec, p: EtsParams): EtsRun {
  let level = p.level;
  let slope = spec.trend === 'none' ? 0 : p.slope;
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const season = spec.period ? p.season.slice() : [];
  const fitted: number[] = [];
  const residuals: number[] = [];
  let sse = 0;
  for (const value of y) {
    const s = spec.period ? season[0]! : 0;
    const yhat = level + phi * slope + s;
    const e = value - yhat;
    fitted.push(yhat);
    residuals.push(e);
    sse += e * e;
    level = level + phi * slope + p.alpha * e;
    slope = spec.trend === 'none' ? 0 : phi * slope + p.beta * e;
    if (spec.period) {
      season.shift();
      season.push(s + p.gamma * e);
    }
  }
  return { fitted, residuals, sse, level, slope, season };
}

/**
 * The h-step point forecasts and their variances from the end of a run. The variance is the
 * analytic one of the class-1 (linear, additive error) models, Hyndman et al. (2008) §6.3, table 6.1:
 *   v_h = σ² [1 + Σ_{j=1}^{h−1} c_j²],  c_j = α + β φ_j + γ·[j mod m = 0],  φ_j = φ + φ² + … + φ^j.
 * @example etsForecast(run, spec, params, 29.8282 ** 2, 2) // { mean: [542.68, 542.68], variance: [889.7, 1508.4] }
 */
export function etsForecast(run: EtsRun, spec: EtsSpec, p: EtsParams, sigma2: number, h: number): { mean: number[]; variance: number[] } {
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const mean: number[] = [];
  const variance: number[] = [];
  let phiSum = 0;
  let cSquares = 0;
  for (let step = 1; step <= h; step++) {
    phiSum += phi ** step;
    const s = spec.period ? run.season[(step - 1) % spec.period]! : 0;
    mean.push(run.level + (spec.trend === 'none' ? 0 : phiSum * run.slope) + s);
    variance.push(sigma2 * (1 + cSquares));
    // c_j for the next step's sum: j = step.
    const c = p.alpha + (spec.trend === 'none' ? 0 : p.beta * phiSum) + (spec.period && step % spec.period === 0 ? p.gamma : 0);
    cSquares += c * c;
  }
  return { mean, variance };
}
