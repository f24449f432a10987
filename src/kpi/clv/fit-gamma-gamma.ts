// Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", JMR 42(4), after Colombo & Jiang (1999); the likelihood as in Fader &
// Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
import { CrmPulseError } from '../../lib/errors.ts';
import { converged, LOG_BOX, MIN_CUSTOMERS, type ModelFit } from './fit-bg-nbd.ts';
import { logGamma } from './log-gamma.ts';
import { nelderMead } from './nelder-mead.ts';

/** Spend per purchase ~ Gamma(p, ν), ν ~ Gamma(q, γ) across customers. */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  /** in the currency of the spends */
  readonly gamma: number;
}

/** A repeat customer's number of repeat purchases and their mean value. */
export interface SpendHistory {
  readonly frequency: number;
  readonly monetary: number;
}

/** One repeat customer's Gamma-Gamma log-likelihood of their mean spend. */
export function gammaGammaLogLikelihood(g: GammaGammaParams, s: SpendHistory): number {
  const px = g.p * s.frequency;
  return (
    logGamma(px + g.q) -
    logGamma(px) -
    logGamma(g.q) +
    g.q * Math.log(g.gamma) +
    (px - 1) * Math.log(s.monetary) +
    px * Math.log(s.frequency) -
    (px + g.q) * Math.log(g.gamma + s.monetary * s.frequency)
  );
}

/**
 * Fits Gamma-Gamma by maximum likelihood to the repeat customers (frequency > 0) and their mean
 * repeat-purchase value. Too few repeat customers, a non-positive spend, or identical spends (no
 * heterogeneity to estimate) are input errors.
 * @example fitGammaGamma(repeaters).params // { p: 6.25, q: 3.74, gamma: 15.44 } on CDNOW
 */
export function fitGammaGamma(spends: readonly SpendHistory[]): ModelFit<GammaGammaParams> {
  const fail = (what: string, hint: string) => {
    throw new CrmPulseError('input', `[kpi] [clv] Gamma-Gamma cannot be fitted: ${what}`, { hint });
  };
  const bad = spends.findIndex((s) => !(Number.isInteger(s.frequency) && s.frequency > 0 && Number.isFinite(s.monetary) && s.monetary > 0));
  if (bad >= 0)
    fail(
      `repeat customer #${bad + 1} has frequency ${spends[bad]!.frequency} and mean spend ${spends[bad]!.monetary}; both must be > 0`,
      'fit only customers with repeat purchases of positive value',
    );
  if (spends.length < MIN_CUSTOMERS)
    fail(`${spends.length} repeat customer${spends.length === 1 ? '' : 's'}; it needs at least ${MIN_CUSTOMERS}`, 'wait for more repeat purchases');
  if (spends.every((s) => s.monetary === spends[0]!.monetary))
    fail(`all ${spends.length} repeat customers spend the same, so the spread of spend across customers cannot be estimated`, 'check the spend amounts');
  // Money is rescaled to a mean spend of 1 so that γ starts near 1; p and q do not depend on the unit.
  const scale = spends.reduce((s, x) => s + x.monetary, 0) / spends.length;
  const scaled = spends.map((s) => ({ frequency: s.frequency, monetary: s.monetary / scale }));
  const of = (t: readonly number[]) => ({ p: Math.exp(t[0]!), q: Math.exp(t[1]!), gamma: Math.exp(t[2]!) });
  const min = nelderMead(
    (t) => (t.some((v) => Math.abs(v) > LOG_BOX) ? Number.POSITIVE_INFINITY : -scaled.reduce((s, x) => s + gammaGammaLogLikelihood(of(t), x), 0)),
    [0, 0, 0],
  );
  const fitted = of(min.x);
  const params = { ...fitted, gamma: fitted.gamma * scale };
  const boundary = converged('Gamma-Gamma', min.converged, min.x, ['p', 'q', 'gamma'], [params.p, params.q, params.gamma], spends.length);
  if (params.q <= 1)
    fail(
      `q = ${params.q.toPrecision(3)} ≤ 1, so the mean spend of the population is infinite`,
      'spend is too heavy-tailed for this model: remove outlier orders',
    );
  const logLikelihood = spends.reduce((s, x) => s + gammaGammaLogLikelihood(params, x), 0);
  return { params, logLikelihood, customers: spends.length, iterations: min.iterations, boundary };
}

/**
 * E[spend per purchase | x, m̄]: the customer's mean shrunk towards the population mean γp/(q−1),
 * by weight px/(px+q−1). Without repeat purchases, the population mean.
 * @example expectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, 2, 22.35) // ≈ 24.66
 */
export function expectedSpend(g: GammaGammaParams, frequency: number, monetary: number): number {
  const population = (g.gamma * g.p) / (g.q - 1);
  if (frequency === 0) return population;
  const w = (g.p * frequency) / (g.p * frequency + g.q - 1);
  return (1 - w) * population + w * monetary;
}
