// Predictive CLV of the store's customers: BG/NBD and Gamma-Gamma fitted to their histories,
// each customer's P(alive), expected purchases and discounted CLV, totals per RFM segment, and
// the valuable customers the model thinks have left ("customers at risk") next to RFM's view.
import type { Database } from '../../store/open-database.ts';
import { purchaseReference, rfmAssignments, rfmSegments, type RfmSegmentName } from '../rfm.ts';
import { expectedPurchases, probabilityAlive } from './bg-nbd-predict.ts';
import { customerHistories, WEEK_DAYS } from './customer-histories.ts';
import { fitBgNbd, type BgNbdParams, type ModelFit } from './fit-bg-nbd.ts';
import { fitGammaGamma, type GammaGammaParams } from './fit-gamma-gamma.ts';
import { lifetimeValue } from './lifetime-value.ts';

/** What to predict: at which date, over how many months, discounted how. */
export interface ClvOptions {
  readonly asOf: Date;
  readonly sourceKey?: string;
  /** the horizon of the predicted CLV and expected purchases; 12 by default */
  readonly months?: number;
  /** 0.01 by default (≈ 12.7% a year), as in lifetimes' example */
  readonly monthlyDiscountRate?: number;
  /** below this P(alive) a top-value customer is at risk; 0.5 by default */
  readonly aliveBelow?: number;
}

/** One customer's figures and predictions. */
export interface CustomerClv {
  readonly customer: string;
  /** repeat purchase days, and recency and age in weeks */
  readonly frequency: number;
  readonly recency: number;
  readonly T: number;
  /** spent before the reference date */
  readonly pastValue: number;
  readonly pAlive: number;
  /** purchase days expected in the horizon */
  readonly expectedPurchases: number;
  /** the discounted value expected in the horizon */
  readonly clv: number;
  readonly segment: RfmSegmentName | undefined;
}

/** One RFM segment's predicted value. */
export interface SegmentClv {
  readonly segment: RfmSegmentName;
  readonly customers: number;
  readonly clv: number;
  /** mean P(alive) of its customers; 0 for an empty segment */
  readonly meanPAlive: number;
}

/** The predictive CLV picture at a date. */
export interface ClvReport {
  /** the reference date: the as-of asked, or the day after the last purchase when the orders end before it */
  readonly asOf: Date;
  /** set when the orders end before the as-of asked, so the reference is their end */
  readonly atDataEnd?: true;
  readonly months: number;
  readonly monthlyDiscountRate: number;
  readonly bgNbd: ModelFit<BgNbdParams>;
  readonly gammaGamma: ModelFit<GammaGammaParams>;
  /** Pearson correlation of repeat customers' mean spend and frequency: Gamma-Gamma assumes ≈ 0 */
  readonly spendFrequencyCorrelation: number;
  /** clv_predicted: the sum over all customers */
  readonly total: number;
  readonly segments: readonly SegmentClv[];
  /** every customer, highest predicted CLV first */
  readonly customers: readonly CustomerClv[];
  readonly atRisk: AtRisk;
}

/**
 * customers_at_risk: customers in RFM's top monetary quintile (M = 5) whose P(alive) is below
 * the threshold. When the model finds none (a fit with almost no drop-out), the list holds the
 * top-value customers with the lowest P(alive) instead, and `flagged` says so by being 0.
 */
export interface AtRisk {
  /** the past value above which a customer is in the top quintile (RFM's M = 5 edge) */
  readonly minPastValue: number;
  readonly aliveBelow: number;
  /** the KPI: top-value customers with P(alive) below `aliveBelow` */
  readonly flagged: number;
  /** the flagged customers, highest past value first; with none flagged, the lowest P(alive) first */
  readonly customers: readonly CustomerClv[];
  /** how many of the listed customers each RFM segment holds */
  readonly bySegment: readonly { readonly segment: RfmSegmentName; readonly customers: number }[];
  /** RFM's "At Risk" and "Can't Lose": their size and how many of them are listed */
  readonly rfm: readonly { readonly segment: RfmSegmentName; readonly customers: number; readonly listed: number }[];
}

/** Customers listed when none is below the P(alive) threshold. */
const WATCH_LIST = 20;

/** Time units (weeks) in an average month. */
const WEEKS_PER_MONTH = 365.25 / 12 / WEEK_DAYS;

/**
 * Fits BG/NBD and Gamma-Gamma to the customers' purchases before `asOf` and predicts each
 * customer's value. Data that cannot identify the models is an input error saying why.
 * @example const report = await predictClv(db, { asOf: new Date('2011-12-10T00:00:00Z') }); report.total
 */
export async function predictClv(db: Database, asked: ClvOptions): Promise<ClvReport> {
  // Ages and recencies count to the end of the orders, not to a clock years past them, where every
  // customer would look long gone (the demo's 2017 clock over Online Retail's 2011).
  const reference = await purchaseReference(db, asked);
  const options = { ...asked, asOf: reference };
  const months = options.months ?? 12;
  const monthlyDiscountRate = options.monthlyDiscountRate ?? 0.01;
  const aliveBelow = options.aliveBelow ?? 0.5;
  const histories = await customerHistories(db, options);
  const bgNbd = fitBgNbd(histories);
  const repeaters = histories.filter((h) => h.frequency > 0);
  const gammaGamma = fitGammaGamma(repeaters);
  const segmentOf = new Map((await rfmAssignments(db, options)).map((a) => [a.customerId, a.segment]));
  const horizon = { months, periodsPerMonth: WEEKS_PER_MONTH, monthlyDiscountRate };
  const customers = histories
    .map((h) => ({
      customer: h.customer,
      frequency: h.frequency,
      recency: h.recency,
      T: h.T,
      pastValue: h.pastValue,
      pAlive: probabilityAlive(bgNbd.params, h),
      expectedPurchases: expectedPurchases(bgNbd.params, h, months * WEEKS_PER_MONTH),
      clv: lifetimeValue(bgNbd.params, gammaGamma.params, h, horizon),
      segment: segmentOf.get(h.id),
    }))
    .sort((a, b) => b.clv - a.clv);
  const { segments: rfm, edges } = await rfmSegments(db, options);
  const segments = rfm.map(({ name }) => {
    const members = customers.filter((c) => c.segment === name);
    return {
      segment: name,
      customers: members.length,
      clv: sum(members.map((c) => c.clv)),
      meanPAlive: members.length ? sum(members.map((c) => c.pAlive)) / members.length : 0,
    };
  });
  const minPastValue = edges.monetary[4] ?? 0;
  const valuable = customers.filter((c) => c.pastValue > minPastValue);
  const flagged = valuable.filter((c) => c.pAlive < aliveBelow).sort((a, b) => b.pastValue - a.pastValue);
  const listed = flagged.length ? flagged : [...valuable].sort((a, b) => a.pAlive - b.pAlive || b.pastValue - a.pastValue).slice(0, WATCH_LIST);
  const atRisk: AtRisk = {
    minPastValue,
    aliveBelow,
    flagged: flagged.length,
    customers: listed,
    bySegment: rfm.map(({ name }) => ({ segment: name, customers: listed.filter((c) => c.segment === name).length })).filter((s) => s.customers > 0),
    rfm: (['At Risk', "Can't Lose"] as const).map((segment) => ({
      segment,
      customers: customers.filter((c) => c.segment === segment).length,
      listed: listed.filter((c) => c.segment === segment).length,
    })),
  };
  return {
    asOf: options.asOf,
    ...(reference < asked.asOf ? { atDataEnd: true as const } : {}),
    months,
    monthlyDiscountRate,
    bgNbd,
    gammaGamma,
    spendFrequencyCorrelation: pearson(
      repeaters.map((h) => h.monetary),
      repeaters.map((h) => h.frequency),
    ),
    total: sum(customers.map((c) => c.clv)),
    segments,
    customers,
    atRisk,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mx = sum(xs) / xs.length;
  const my = sum(ys) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
