import { CrmPulseError } from '../../lib/errors.ts';

/** Terms summed at most; the BG/NBD arguments have |z| < 1, so the series ends long before. */
const MAX_TERMS = 200_000;

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series, summed
 * until a term no longer changes the sum. BG/NBD's conditional expectation needs it
 * (Fader, Hardie & Lee 2005, eq. 10).
 * @example hypergeometric2F1(1, 1, 2, 0.5) // −ln(1 − 0.5) / 0.5 ≈ 1.3862944
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new CrmPulseError('input', `[kpi] [clv] 2F1 needs 0 ≤ z < 1; got z = ${z}`);
  let term = 1;
  let sum = 1;
  for (let k = 0; k < MAX_TERMS; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    // Terms may grow at first (a, b large) and then shrink geometrically: stop once they are negligible and falling.
    if (Math.abs(term) <= 1e-16 * Math.abs(sum) && (a + k) * (b + k) * z < (c + k) * (k + 1)) return sum;
  }
  throw new CrmPulseError('input', `[kpi] [clv] 2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`, {
    hint: "the prediction horizon is very long next to the customers' age; shorten it",
  });
}
