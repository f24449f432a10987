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
