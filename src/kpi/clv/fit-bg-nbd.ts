// BG/NBD: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An Alternative to
// the Pareto/NBD Model", Marketing Science 24(2), 275–284. The log-likelihood is their eq. 6,
// written in log space as in Hardie's note "Implementing the BG/NBD Model" and lifetimes, so that
// customers with many purchases never overflow.
import { CrmPulseError } from '../../lib/errors.ts';
import { logGamma } from './log-gamma.ts';
import { nelderMead } from './nelder-mead.ts';
import { checkHistories, type PurchaseHistory } from './purchase-history.ts';

/** The BG/NBD parameters: Gamma(r, α) purchase rates, Beta(a, b) drop-out probabilities. */
export interface BgNbdParams {
  readonly r: number;
  /** in the time unit of the histories (CDNOW: weeks) */
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** A fitted model with how the fit went. */
export interface ModelFit<P> {
  readonly params: P;
  /** the maximised log-likelihood, summed over the customers fitted */
  readonly logLikelihood: number;
  readonly customers: number;
  /** simplex iterations to convergence */
  readonly iterations: number;
  /**
   * Parameters that ran to the edge of the search (beyond 3·10⁶ or below 3·10⁻⁷): the likelihood
   * is highest in a limit of the model, e.g. a → 0 (BG/NBD without drop-out, which is NBD). The
   * predictions are those of that limit; the parameter's own value means nothing.
   */
  readonly boundary: readonly string[];
}

/** Below this many customers a population model says nothing; one customer has no heterogeneity. */
export const MIN_CUSTOMERS = 10;

/** A log-parameter beyond this (a parameter above 3·10⁶ or below 3·10⁻⁷) is at the edge of the search. */
const LOG_BOUND = 15;
/** The search box: the likelihood is +∞ beyond, so the simplex settles at the edge of a limit. */
export const LOG_BOX = 20;

/**
 * One customer's BG/NBD log-likelihood at `p`.
 * @example bgNbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { frequency: 2, recency: 30.43, T: 38.86 })
 */
export function bgNbdLogLikelihood(p: BgNbdParams, h: PurchaseHistory): number {
  const { r, alpha, a, b } = p;
  const x = h.frequency;
  const a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
  const a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + h.T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + h.recency);
  const hi = Math.max(a3, a4);
  return a1 + a2 + hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi));
}

/**
 * Fits BG/NBD by maximum likelihood (Nelder–Mead on the log-parameters) to the customers'
 * frequency, recency and age. Data that cannot identify the model (too few customers, no repeat
 * purchase, every customer alike) or a fit that runs off to a boundary is an input error saying
 * so, never NaN parameters.
 * @example fitBgNbd(cdnow).params // { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } on CDNOW
 */
export function fitBgNbd(histories: readonly PurchaseHistory[]): ModelFit<BgNbdParams> {
  checkHistories(histories);
  identifiable(histories);
  // Time is rescaled so that the oldest customer is 10 units old: α then starts near 1 like the
  // other parameters, whatever the unit (days or weeks). Only α depends on the unit.
  const scale = 10 / Math.max(...histories.map((h) => h.T));
  const scaled = histories.map((h) => ({ frequency: h.frequency, recency: h.recency * scale, T: h.T * scale }));
  const of = (theta: readonly number[]): BgNbdParams => ({
    r: Math.exp(theta[0]!),
    alpha: Math.exp(theta[1]!),
    a: Math.exp(theta[2]!),
    b: Math.exp(theta[3]!),
  });
  const negative = (theta: readonly number[]) => {
    if (theta.some((t) => Math.abs(t) > LOG_BOX)) return Number.POSITIVE_INFINITY;
    const p = of(theta);
    let sum = 0;
    for (const h of scaled) sum += bgNbdLogLikelihood(p, h);
    return -sum;
  };
  const min = nelderMead(negative, [0, 0, 0, 0]);
  const fitted = of(min.x);
  const params = { ...fitted, alpha: fitted.alpha / scale };
  const boundary = converged('BG/NBD', min.converged, min.x, ['r', 'alpha', 'a', 'b'], Object.values(params), histories.length);
  const logLikelihood = histories.reduce((s, h) => s + bgNbdLogLikelihood(params, h), 0);
  return { params, logLikelihood, customers: histories.length, iterations: min.iterations, boundary };
}

function identifiable(histories: readonly PurchaseHistory[]): void {
  const fail = (what: string, hint: string) => {
    throw new CrmPulseError('input', `[kpi] [clv] BG/NBD cannot be fitted: ${what}`, { hint });
  };
  if (histories.length < MIN_CUSTOMERS) {
    fail(
      `${histories.length} customer${histories.length === 1 ? '' : 's'}; the model describes a population and needs at least ${MIN_CUSTOMERS}`,
      'import more customers, or move the reference date later',
    );
  }
  if (histories.every((h) => h.frequency === 0)) {
    fail(
      `none of the ${histories.length} customers made a repeat purchase, so nothing shows how often they buy or when they leave`,
      'wait for repeat purchases, or move the reference date later',
    );
  }
  const [first] = histories;
  if (histories.every((h) => h.frequency === first!.frequency && h.recency === first!.recency && h.T === first!.T)) {
    fail(
      `all ${histories.length} customers have the same frequency, recency and age, so their differences cannot be estimated`,
      'check that the purchase summary is computed per customer',
    );
  }
}

/**
 * Throws when the simplex did not settle or a parameter is not a number; returns the names of the
 * parameters that settled at the edge of the search box (see ModelFit.boundary).
 */
export function converged(
  model: string,
  settled: boolean,
  theta: readonly number[],
  names: readonly string[],
  params: readonly number[],
  customers: number,
): string[] {
  if (!settled || theta.some((t) => !Number.isFinite(t)) || params.some((p) => !Number.isFinite(p))) {
    const shown = names.map((name, i) => `${name} = ${params[i]!.toPrecision(4)}`).join(', ');
    throw new CrmPulseError('input', `[kpi] [clv] ${model} fit on ${customers} customers did not converge: ${shown}`, {
      hint: 'the data cannot identify the model: use more customers with more varied histories',
    });
  }
  return names.filter((_, i) => Math.abs(theta[i]!) > LOG_BOUND);
}
