/**
 * An exponential smoothing model with additive or multiplicative errors and additive components,
 * ETS(A,·,·) or ETS(M,·,·) with trend N, A or Ad and season N or A, in the taxonomy of Hyndman,
 * Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing: The State Space Approach"
 * (Springer 2008), and of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice" (FPP), chapter 7/8.
 */
export interface EtsSpec {
  /**
   * additive (default): errors of a constant spread, y_t = ŷ_t + ε_t; multiplicative: errors in
   * proportion to the level, y_t = ŷ_t (1 + ε_t), for strictly positive series only (FPP §8.5)
   */
  readonly error?: 'additive' | 'multiplicative';
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
  /** y_t − ŷ_t */
  readonly residuals: readonly number[];
  /** Σ (y_t − ŷ_t)² */
  readonly sse: number;
  /** Σ ε_t², the model's innovations: y_t − ŷ_t for additive errors, (y_t − ŷ_t) ÷ ŷ_t for multiplicative ones */
  readonly innovationSquares: number;
  /** Σ log|ŷ_t|, the multiplicative-error likelihood's second term (FPP §8.6) */
  readonly logFitted: number;
  readonly level: number;
  readonly slope: number;
  /** the last m seasonal states, oldest first */
  readonly season: readonly number[];
}

/** Short name of a model, e.g. ETS(A,Ad,A) with m = 7, ETS(M,N,N). */
export function etsName(spec: EtsSpec): string {
  const trend = spec.trend === 'none' ? 'N' : spec.trend === 'additive' ? 'A' : 'Ad';
  return `ETS(${spec.error === 'multiplicative' ? 'M' : 'A'},${trend},${spec.period ? 'A' : 'N'})`;
}

/**
 * Runs the state space recursions (FPP table 8.7, additive error rows):
 *   ŷ_t = ℓ + φb + s_{t−m};  e_t = y_t − ŷ_t
 *   ℓ_t = ℓ + φb + αe_t;  b_t = φb + βe_t;  s_t = s_{t−m} + γe_t
 * The multiplicative-error rows with additive components update the states by αŷ_tε_t with
 * ε_t = (y_t − ŷ_t) ÷ ŷ_t, which is the same αe_t: only the innovations and the likelihood differ.
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
  let innovationSquares = 0;
  let logFitted = 0;
  const relative = spec.error === 'multiplicative';
  for (const value of y) {
    const s = spec.period ? season[0]! : 0;
    const yhat = level + phi * slope + s;
    const e = value - yhat;
    fitted.push(yhat);
    residuals.push(e);
    sse += e * e;
    innovationSquares += relative ? (e / yhat) ** 2 : e * e;
    logFitted += Math.log(Math.abs(yhat));
    level = level + phi * slope + p.alpha * e;
    slope = spec.trend === 'none' ? 0 : phi * slope + p.beta * e;
    if (spec.period) {
      season.shift();
      season.push(s + p.gamma * e);
    }
  }
  return { fitted, residuals, sse, innovationSquares, logFitted, level, slope, season };
}

/**
 * The h-step point forecasts and their variances from the end of a run. The variance is the
 * analytic one of the class-1 (linear, additive error) models, Hyndman et al. (2008) §6.3, table 6.1:
 *   v_h = σ² [1 + Σ_{j=1}^{h−1} c_j²],  c_j = α + β φ_j + γ·[j mod m = 0],  φ_j = φ + φ² + … + φ^j;
 * for multiplicative errors with additive components (class 2, §6.4, with σ² the variance of the
 * relative errors): v_h = (1 + σ²) θ_h − μ_h²,  θ_1 = μ_1²,  θ_h = μ_h² + σ² Σ_{j=1}^{h−1} c_j² θ_{h−j},
 * so v_1 = σ² μ_1²; the point forecast μ_h is the forecast mean in both classes.
 * @example etsForecast(run, spec, params, 29.8282 ** 2, 2) // { mean: [542.68, 542.68], variance: [889.7, 1508.4] }
 */
export function etsForecast(run: EtsRun, spec: EtsSpec, p: EtsParams, sigma2: number, h: number): { mean: number[]; variance: number[] } {
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const mean: number[] = [];
  const variance: number[] = [];
  let phiSum = 0;
  let cSquares = 0;
  const c2: number[] = []; // c_j² for j = 1, 2, …
  const theta: number[] = [];
  for (let step = 1; step <= h; step++) {
    phiSum += phi ** step;
    const s = spec.period ? run.season[(step - 1) % spec.period]! : 0;
    const mu = run.level + (spec.trend === 'none' ? 0 : phiSum * run.slope) + s;
    mean.push(mu);
    if (spec.error === 'multiplicative') {
      let th = mu * mu;
      for (let j = 1; j < step; j++) th += sigma2 * c2[j - 1]! * theta[step - j - 1]!;
      theta.push(th);
      variance.push((1 + sigma2) * th - mu * mu);
    } else {
      variance.push(sigma2 * (1 + cSquares));
    }
    // c_j for the next step's sum: j = step.
    const c = p.alpha + (spec.trend === 'none' ? 0 : p.beta * phiSum) + (spec.period && step % spec.period === 0 ? p.gamma : 0);
    cSquares += c * c;
    c2.push(c * c);
  }
  return { mean, variance };
}
