/** The standard normal quantiles of the two-sided 80% and 95% prediction intervals. */
export const Z80 = 1.2815515655446004;
/** See Z80. */
export const Z95 = 1.959963984540054;

/**
 * The standard normal cumulative distribution Φ(x), by the Abramowitz & Stegun 7.1.26 rational
 * approximation of erf (absolute error under 1.5e−7, ample for a probability shown in percent).
 * @example normalCdf(1.959963984540054) // ≈ 0.975
 */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The standard normal quantile Φ⁻¹(p), by bisection on normalCdf (to 1e−10; called once per judged value).
 * @example normalQuantile(0.9) // ≈ 1.2816
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`[kpi] normal quantile of ${p}: p must be strictly between 0 and 1`);
  let lo = -40;
  let hi = 40;
  while (hi - lo > 1e-10) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
