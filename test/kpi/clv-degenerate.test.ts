// Data that cannot identify BG/NBD or Gamma-Gamma gets a clear input error, never NaN parameters.
import { describe, expect, it } from 'vitest';
import { expectedPurchases, probabilityAlive } from '../../src/kpi/clv/bg-nbd-predict.ts';
import { fitBgNbd } from '../../src/kpi/clv/fit-bg-nbd.ts';
import { fitGammaGamma } from '../../src/kpi/clv/fit-gamma-gamma.ts';
import { hypergeometric2F1 } from '../../src/kpi/clv/hypergeometric-2f1.ts';
import { logGamma } from '../../src/kpi/clv/log-gamma.ts';
import { nelderMead } from '../../src/kpi/clv/nelder-mead.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

function failure(fn: () => unknown): CrmPulseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CrmPulseError);
    return error as CrmPulseError;
  }
  throw new Error('expected a CrmPulseError');
}

/** A seeded uniform generator, so the simulated customers are the same every run. */
const uniforms = mulberry32;

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the boost for shape < 1. */
function gamma(shape: number, u: () => number): number {
  if (shape < 1) return gamma(shape + 1, u) * u() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const n = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const v = (1 + c * n) ** 3;
    if (v > 0 && Math.log(1 - u()) < 0.5 * n * n + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Customers simulated by the BG/NBD story itself (FHL 2005, section 3): a Poisson purchase rate
 * λ ~ Gamma(r, α), a drop-out chance p ~ Beta(a, b) after each purchase, ages 20 to 40 weeks.
 */
function simulate(n: number, truth: { r: number; alpha: number; a: number; b: number }, seed: number) {
  const u = uniforms(seed);
  return Array.from({ length: n }, (_, i) => {
    const T = 20 + (i % 21);
    const lambda = gamma(truth.r, u) / truth.alpha;
    const x1 = gamma(truth.a, u);
    const p = x1 / (x1 + gamma(truth.b, u));
    let t = 0;
    let frequency = 0;
    let recency = 0;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      if (t > T) break;
      frequency++;
      recency = t;
      if (u() < p) break;
    }
    return { frequency, recency, T };
  });
}

const TRUTH = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };
const VARIED = simulate(3000, TRUTH, 19);

describe('BG/NBD on degenerate data', () => {
  it('refuses a single customer', () => {
    const e = failure(() => fitBgNbd([{ frequency: 3, recency: 20, T: 30 }]));
    expect(e.code).toBe('input');
    expect(e.message).toMatch(/^\[kpi\] \[clv\] BG\/NBD cannot be fitted: 1 customer; the model describes a population and needs at least 10/);
  });

  it('refuses customers without a repeat purchase', () => {
    const none = Array.from({ length: 50 }, (_, i) => ({ frequency: 0, recency: 0, T: 10 + i }));
    expect(failure(() => fitBgNbd(none)).message).toContain('none of the 50 customers made a repeat purchase');
  });

  it('refuses customers who are all identical', () => {
    const same = Array.from({ length: 30 }, () => ({ frequency: 2, recency: 8, T: 12 }));
    expect(failure(() => fitBgNbd(same)).message).toContain('all 30 customers have the same frequency, recency and age');
  });

  it('names an impossible history', () => {
    const bad = [...VARIED.slice(0, 5), { frequency: 2, recency: 40, T: 30 }, ...VARIED.slice(5)];
    expect(failure(() => fitBgNbd(bad)).message).toBe(
      '[kpi] [clv] customer #6: recency 40 is not between 0 and T = 30\n  fix: frequency counts repeat purchases, recency is first to last purchase, T is first purchase to the end of observation',
    );
  });

  it('settles at the limit of the model when the likelihood is highest there, and says which parameters ran to the edge', () => {
    // Everyone bought at the same steady pace up to the last day: no sign of drop-out (a → 0) and
    // no spread of rates (r, α → ∞ with r/α the common rate). The limit is a Poisson process at
    // the pooled rate, 90 purchases in 20 × 30 weeks, so 4.5 in the next 30 weeks, alive for sure.
    const steady = Array.from({ length: 20 }, (_, i) => ({ frequency: 4 + (i % 2), recency: 30, T: 30 }));
    const fit = fitBgNbd(steady);
    expect(fit.boundary).toEqual(['r', 'alpha', 'a']);
    expect(fit.params.r / fit.params.alpha).toBeCloseTo(90 / 600, 4);
    expect(expectedPurchases(fit.params, steady[0]!, 30)).toBeCloseTo(4.5, 3);
    expect(probabilityAlive(fit.params, steady[0]!)).toBeCloseTo(1, 6);
  });

  it('converges on simulated customers and recovers the parameters that made them', () => {
    const fit = fitBgNbd(VARIED);
    // 3,000 customers pin r and α well; a and b, seen only through drop-outs, more loosely.
    expect(fit.params.r / TRUTH.r).toBeGreaterThan(0.85);
    expect(fit.params.r / TRUTH.r).toBeLessThan(1.15);
    expect(fit.params.alpha / TRUTH.alpha).toBeGreaterThan(0.8);
    expect(fit.params.alpha / TRUTH.alpha).toBeLessThan(1.2);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(TRUTH.a / (TRUTH.a + TRUTH.b), 1);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    expect(fit.boundary).toEqual([]);
  });
});

describe('Gamma-Gamma on degenerate data', () => {
  it('refuses a single repeat customer', () => {
    expect(failure(() => fitGammaGamma([{ frequency: 2, monetary: 30 }])).message).toContain('1 repeat customer; it needs at least 10');
  });

  it('refuses no repeat customers', () => {
    expect(failure(() => fitGammaGamma([])).message).toContain('0 repeat customers');
  });

  it('refuses identical spends', () => {
    const same = Array.from({ length: 20 }, (_, i) => ({ frequency: 1 + (i % 3), monetary: 25 }));
    expect(failure(() => fitGammaGamma(same)).message).toContain('all 20 repeat customers spend the same');
  });

  it('refuses a customer without repeat purchases or with no spend', () => {
    expect(failure(() => fitGammaGamma([{ frequency: 0, monetary: 10 }])).message).toContain('repeat customer #1 has frequency 0');
    expect(failure(() => fitGammaGamma([{ frequency: 1, monetary: 0 }])).message).toContain('mean spend 0');
  });
});

describe('the numerical pieces', () => {
  it('logGamma matches factorials and Γ(½) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // Beyond Γ's double range ln Γ stays finite (values from Python's math.lgamma).
    expect(logGamma(171.5) / 709.1431630309282).toBeCloseTo(1, 13);
    expect(logGamma(1000.25) / 5906.947268271117).toBeCloseTo(1, 13);
  });

  it('2F1 matches closed forms', () => {
    expect(hypergeometric2F1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 13);
    // ₂F₁(a, b; b; z) = (1 − z)^−a
    expect(hypergeometric2F1(3.5, 2, 2, 0.9)).toBeCloseTo(0.1 ** -3.5, 7);
  });

  it('Nelder–Mead finds the Rosenbrock minimum', () => {
    const m = nelderMead(([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2, [-1.2, 1]);
    expect(m.converged).toBe(true);
    expect(m.x[0]).toBeCloseTo(1, 6);
    expect(m.x[1]).toBeCloseTo(1, 6);
  });

  it('Nelder–Mead stops on a ridge whose minimum is at infinity, with the other coordinate right', () => {
    // The infimum 0 is approached as y → ∞, like BG/NBD's a → 0 on data without drop-out; the
    // search box (|y| ≤ 20) is the caller's, as in fitBgNbd.
    const m = nelderMead(([x, y]) => (Math.abs(y!) > 20 ? Infinity : 1000 + (x! - 3) ** 2 + Math.exp(-y!)), [0, 0]);
    expect(m.converged).toBe(true);
    expect(m.x[0]).toBeCloseTo(3, 3);
    expect(m.x[1]).toBeGreaterThan(10);
  });
});
