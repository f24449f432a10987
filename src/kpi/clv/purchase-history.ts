import { CrmPulseError } from '../../lib/errors.ts';

/**
 * One customer's repeat-buying summary, in the "frequency, recency, T" form of Fader, Hardie &
 * Lee (2005) and of lifetimes: time in any one unit (CDNOW: weeks).
 */
export interface PurchaseHistory {
  /** repeat purchases: purchase occasions (days) after the first, x */
  readonly frequency: number;
  /** the time from the first purchase to the last, t_x (0 without repeat purchases) */
  readonly recency: number;
  /** the customer's age: the time from the first purchase to the end of observation */
  readonly T: number;
  /** the mean value of the repeat purchases; undefined or 0 without repeat purchases */
  readonly monetary?: number;
}

/**
 * Throws a clear input error for the first history that cannot be a purchase history, naming it
 * by its position (or `name`), so that a bad summary never turns into NaN parameters.
 */
export function checkHistories(histories: readonly PurchaseHistory[], name: (i: number) => string = (i) => `customer #${i + 1}`): void {
  histories.forEach((h, i) => {
    const problem =
      !Number.isInteger(h.frequency) || h.frequency < 0
        ? `frequency ${h.frequency} is not a whole number ≥ 0`
        : !(Number.isFinite(h.T) && h.T > 0)
          ? `age T ${h.T} is not > 0`
          : !(Number.isFinite(h.recency) && h.recency >= 0 && h.recency <= h.T)
            ? `recency ${h.recency} is not between 0 and T = ${h.T}`
            : h.frequency === 0 && h.recency !== 0
              ? `recency ${h.recency} without a repeat purchase (frequency 0 means recency 0)`
              : undefined;
    if (problem) {
      throw new CrmPulseError('input', `[kpi] [clv] ${name(i)}: ${problem}`, {
        hint: 'frequency counts repeat purchases, recency is first to last purchase, T is first purchase to the end of observation',
      });
    }
  });
}
