// Golden test of the BG/NBD and Gamma-Gamma fits on CDNOW, the dataset of the BG/NBD paper
// (fixtures: test/kpi/fixtures/cdnow/README.md). The expected figures are published ones:
// - BG/NBD: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way", Marketing
//   Science 24(2): r = 0.243, α = 4.414, a = 0.793, b = 2.426; the same fit in lifetimes'
//   documentation, docs/Quickstart.md (CamDavidsonPilon/lifetimes, "bgf.summary"), to six
//   decimals: r 0.242593, alpha 4.413532, a 0.792886, b 2.425752, and its table of the five
//   customers with the most predicted purchases in the next week.
// - Gamma-Gamma on the 946 repeat customers: Fader & Hardie (2013), "The Gamma-Gamma Model of
//   Monetary Value": p = 6.25, q = 3.74, γ = 15.44, log-likelihood −4055.9177, as CLVTools'
//   test_correctness_gg.R checks them (lifetimes' Quickstart prints p 6.25, q 3.74, v 15.45 from a
//   looser optimiser); lifetimes' Quickstart also prints the spend–frequency correlation 0.113884
//   and customer 1's expected average profit 24.658619.
// The repeat customers' mean spend is computed here from the raw transactions, apart from src/.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { expectedPurchases, probabilityAlive } from '../../src/kpi/clv/bg-nbd-predict.ts';
import { fitBgNbd } from '../../src/kpi/clv/fit-bg-nbd.ts';
import { expectedSpend, fitGammaGamma } from '../../src/kpi/clv/fit-gamma-gamma.ts';
import { lifetimeValue } from '../../src/kpi/clv/lifetime-value.ts';

const DIR = 'test/kpi/fixtures/cdnow';

const SUMMARY = (parse(readFileSync(`${DIR}/cdnow_customers_summary.csv`), { columns: true }) as Record<string, string>[]).map((r) => ({
  id: Number(r.ID),
  frequency: Number(r.frequency),
  recency: Number(r.recency),
  T: Number(r.T),
}));

/** Per sample id: the purchase days of the 39-week calibration period (1997-01-01 to 1997-09-30) with their value. */
const DAYS = (() => {
  const byCustomer = new Map<number, Map<string, number>>();
  for (const line of readFileSync(`${DIR}/CDNOW_sample.txt`, 'utf8').split('\n')) {
    const [, id, date, , dollars] = line.trim().split(/\s+/);
    if (!date || date > '19970930') continue;
    const days = byCustomer.get(Number(id)) ?? new Map<string, number>();
    days.set(date, (days.get(date) ?? 0) + Number(dollars));
    byCustomer.set(Number(id), days);
  }
  return byCustomer;
})();

/** Repeat customers' repeat purchases and their mean value (the first purchase day left out). */
const REPEATERS = [...DAYS.entries()]
  .map(([id, days]) => {
    const values = [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => v)
      .slice(1);
    return { id, frequency: values.length, monetary: values.reduce((s, v) => s + v, 0) / Math.max(1, values.length) };
  })
  .filter((c) => c.frequency > 0);

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe('BG/NBD on CDNOW', () => {
  const fit = fitBgNbd(SUMMARY);

  it('reproduces the published parameters', () => {
    expect(SUMMARY).toHaveLength(2357);
    const { r, alpha, a, b } = fit.params;
    // Fader, Hardie & Lee (2005), three decimals.
    expect([r.toFixed(3), alpha.toFixed(3), a.toFixed(3), b.toFixed(3)]).toEqual(['0.243', '4.414', '0.793', '2.426']);
    // lifetimes' Quickstart, six decimals: the maximum is flat enough in b that two optimisers
    // agree to a few units of the sixth decimal.
    expect(r).toBeCloseTo(0.242593, 5);
    expect(alpha).toBeCloseTo(4.413532, 5);
    expect(a).toBeCloseTo(0.792886, 5);
    expect(b).toBeCloseTo(2.425752, 4);
    expect(fit.customers).toBe(2357);
    expect(fit.boundary).toEqual([]);
  });

  it("predicts lifetimes' top five customers for the next week", () => {
    // lifetimes' Quickstart: conditional_expected_number_of_purchases_up_to_time(1, …).
    const published: [number, number][] = [
      [509, 0.424877],
      [841, 0.474738],
      [1981, 0.486526],
      [157, 0.662396],
      [1516, 0.710623],
    ];
    const predicted = SUMMARY.map((c) => ({ id: c.id, e: expectedPurchases(fit.params, c, 1) }))
      .sort((x, y) => x.e - y.e)
      .slice(-5);
    expect(predicted.map((p) => p.id)).toEqual(published.map(([id]) => id));
    predicted.forEach((p, i) => expect(p.e).toBeCloseTo(published[i]![1], 5));
  });

  it('gives P(alive) 1 without repeat purchases and less after a long silence', () => {
    expect(probabilityAlive(fit.params, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
    // Bought at the very end: the odds of having left are just a/(b+x−1) (FHL 2005, appendix).
    expect(probabilityAlive(fit.params, { frequency: 5, recency: 38.86, T: 38.86 })).toBeCloseTo(1 / (1 + 0.793 / (2.426 + 4)), 3);
    expect(probabilityAlive(fit.params, { frequency: 5, recency: 5, T: 38.86 })).toBeLessThan(0.2);
  });
});

describe('Gamma-Gamma on the CDNOW repeat customers', () => {
  it('reproduces the published parameters and log-likelihood', () => {
    expect(REPEATERS).toHaveLength(946);
    // The repeat counts computed from the transactions agree with the summary file.
    const summary = new Map(SUMMARY.map((c) => [c.id, c.frequency]));
    for (const c of REPEATERS) expect(c.frequency).toBe(summary.get(c.id));
    expect(
      pearson(
        REPEATERS.map((c) => c.monetary),
        REPEATERS.map((c) => c.frequency),
      ),
    ).toBeCloseTo(0.113884, 4);
    const fit = fitGammaGamma(REPEATERS);
    const { p, q, gamma } = fit.params;
    expect([p.toFixed(2), q.toFixed(2), gamma.toFixed(2)]).toEqual(['6.25', '3.74', '15.44']);
    expect(fit.logLikelihood.toFixed(4)).toBe('-4055.9177');
    // lifetimes' Quickstart, customer 1: 2 repeat purchases worth $22.35 on average.
    expect(expectedSpend(fit.params, 2, 22.35)).toBeCloseTo(24.658619, 2);
    // …and the population mean spend of a customer without repeat purchases (customer 3).
    expect(expectedSpend(fit.params, 0, 0)).toBeCloseTo(35.170981, 2);
  });

  it("reproduces lifetimes' discounted CLV of customers 1 and 3", () => {
    // lifetimes' Quickstart: customer_lifetime_value(bgf, …, time=12, discount_rate=0.01) with
    // its default freq='D', i.e. 30 of CDNOW's weeks per "month": 140.096211 and 38.180574. The
    // small gap is lifetimes' looser Gamma-Gamma optimum (v 15.45).
    const bg = fitBgNbd(SUMMARY).params;
    const gg = fitGammaGamma(REPEATERS).params;
    const horizon = { months: 12, periodsPerMonth: 30, monthlyDiscountRate: 0.01 };
    expect(lifetimeValue(bg, gg, { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 }, horizon) / 140.096211).toBeCloseTo(1, 4);
    expect(lifetimeValue(bg, gg, { frequency: 0, recency: 0, T: 38.86 }, horizon) / 38.180574).toBeCloseTo(1, 4);
  });
});
