// Lanczos approximation (g = 7, n = 9), the coefficients used by Numerical Recipes' successors
// and by Python's and Boost's reference tables; about 15 significant digits for x > 0.
const G = 7;
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0, without overflow for large x (the likelihoods need Γ of thousands).
 * @example logGamma(5) // ln 24 ≈ 3.1780538
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  // Reflection keeps the approximation accurate near 0: Γ(x)Γ(1−x) = π / sin(πx).
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = COEFFICIENTS[0]!;
  for (let i = 1; i < G + 2; i++) sum += COEFFICIENTS[i]! / (z + i);
  const t = z + G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
