// The discounted-cash-flow CLV of lifetimes' GammaGammaFitter.customer_lifetime_value: the
// purchases expected in each future month times the expected spend, discounted monthly.
import type { BgNbdParams } from './fit-bg-nbd.ts';
import { expectedPurchases } from './bg-nbd-predict.ts';
import { expectedSpend, type GammaGammaParams } from './fit-gamma-gamma.ts';
import type { PurchaseHistory } from './purchase-history.ts';

/** The horizon and discounting of a predicted CLV. */
export interface ClvHorizon {
  readonly months: number;
  /** time units of the fit per month (weeks: 365.25 / 12 / 7) */
  readonly periodsPerMonth: number;
  /** e.g. 0.01 a month ≈ 12.7% a year */
  readonly monthlyDiscountRate: number;
}

/**
 * The predicted CLV of one customer: Σ over months m of E[purchases in month m] × E[spend] /
 * (1 + d)^m.
 * @example lifetimeValue(bg, gg, { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 }, { months: 12, periodsPerMonth: 4.348, monthlyDiscountRate: 0.01 })
 */
export function lifetimeValue(bg: BgNbdParams, gg: GammaGammaParams, h: PurchaseHistory, horizon: ClvHorizon): number {
  const spend = expectedSpend(gg, h.frequency, h.monetary ?? 0);
  let value = 0;
  let before = 0;
  for (let m = 1; m <= horizon.months; m++) {
    const upTo = expectedPurchases(bg, h, m * horizon.periodsPerMonth);
    value += ((upTo - before) * spend) / (1 + horizon.monthlyDiscountRate) ** m;
    before = upTo;
  }
  return value;
}
