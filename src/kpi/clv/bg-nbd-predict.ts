// Predictions of the fitted BG/NBD model: Fader, Hardie & Lee (2005), eq. 10 (expected purchases
// in (T, T + t]) and the probability of being alive from their technical appendix.
import type { BgNbdParams } from './fit-bg-nbd.ts';
import { hypergeometric2F1 } from './hypergeometric-2f1.ts';
import type { PurchaseHistory } from './purchase-history.ts';

/** ln of the odds term a/(b+x−1)·((α+T)/(α+t_x))^(r+x) of a customer with repeat purchases. */
function logDeadOdds(p: BgNbdParams, h: PurchaseHistory): number {
  const x = h.frequency;
  return Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + h.T) - Math.log(p.alpha + h.recency));
}

/**
 * P(alive | x, t_x, T): the probability that the customer has not dropped out. A customer without
 * repeat purchases has not had a chance to drop out under BG/NBD (drop-out follows a purchase), so 1.
 * @example probabilityAlive(params, { frequency: 2, recency: 30.43, T: 38.86 })
 */
export function probabilityAlive(p: BgNbdParams, h: PurchaseHistory): number {
  if (h.frequency === 0) return 1;
  const l = logDeadOdds(p, h);
  return l > 700 ? 0 : 1 / (1 + Math.exp(l));
}

/**
 * E[purchases in the next t periods | x, t_x, T] (same time unit as the fit).
 * @example expectedPurchases(params, { frequency: 26, recency: 30.86, T: 31 }, 1)
 */
export function expectedPurchases(p: BgNbdParams, h: PurchaseHistory, t: number): number {
  if (t <= 0) return 0;
  const x = h.frequency;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + h.T + t);
  const power = Math.exp((r + x) * Math.log((alpha + h.T) / (alpha + h.T + t)));
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - power * hypergeometric2F1(r + x, b + x, a + b + x - 1, z));
  const denominator = x > 0 ? 1 + Math.exp(Math.min(700, logDeadOdds(p, h))) : 1;
  return numerator / denominator;
}
