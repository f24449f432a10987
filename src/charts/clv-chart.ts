import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { formatChartValue } from './format-chart-value.ts';

/** One customer as a dot: what they have spent and how likely they still buy. */
export interface ClvCustomerDot {
  readonly customer: string;
  readonly pastValue: number;
  /** 0–1 */
  readonly pAlive: number;
}

/** Customers at risk: P(alive) against past value, the listed ones marked. */
export interface ClvChartInput extends ChartBase {
  readonly kind: 'clv';
  /** every customer (the listed ones may be repeated here; they are drawn once, marked) */
  readonly customers: readonly ClvCustomerDot[];
  /** the customers at risk, drawn in red, the first `labelled` with their ids */
  readonly atRisk: readonly ClvCustomerDot[];
  /** the top-value edge, drawn as a vertical rule */
  readonly minPastValue: number;
  /** the P(alive) threshold, drawn as a horizontal rule */
  readonly aliveBelow: number;
  readonly xTitle: string;
  readonly yTitle: string;
  /** the rules' labels, e.g. 'top 20% by value', 'P(alive) 50%' */
  readonly valueRuleLabel: string;
  readonly aliveRuleLabel: string;
  /** ids written beside the first listed dots; default 3 */
  readonly labelled?: number;
}

/** The datasets of clv.vl.json, or no data when no customer has a positive past value. */
export function fillClvChart(input: ClvChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.customers as unknown) || !Array.isArray(input.atRisk as unknown)) {
    throw chartError('clv', 'customers and atRisk must be arrays', 'pass [{ customer, pastValue, pAlive }, …]');
  }
  // A log scale cannot place a zero past value; such customers have nothing to lose anyway.
  const dot = (c: ClvCustomerDot) => ({ customer: c.customer, pastValue: finiteOrNull(c.pastValue), pAlive: finiteOrNull(c.pAlive) });
  const valid = (c: ReturnType<typeof dot>) => c.pastValue !== null && c.pastValue > 0 && c.pAlive !== null;
  const listed = new Set(input.atRisk.map((c) => c.customer));
  const others = input.customers.map(dot).filter((c) => valid(c) && !listed.has(c.customer));
  const risk = input.atRisk
    .map(dot)
    .filter(valid)
    .map((c, i) => ({ ...c, labelled: i < (input.labelled ?? 3) }));
  const all = [...others, ...risk];
  if (all.length === 0) return { noData: { subject: input.title, period: input.period, reason: labels.noCustomers } };
  const values = all.map((c) => c.pastValue!);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values) * 1.5));
  const edge = Math.min(Math.max(input.minPastValue, lo), hi);
  return {
    datasets: {
      others,
      risk,
      rules: [
        { x: edge, x2: edge, y: 0, y2: 1.04, label: `${input.valueRuleLabel} (${formatChartValue(input.minPastValue, 'currency', input.currency)})` },
        { x: lo, x2: hi, y: input.aliveBelow, y2: input.aliveBelow, label: input.aliveRuleLabel },
      ],
    },
    ...axisCurrency('currency', input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: input.subtitle ?? `${input.period} · ${formatChartValue(all.length, 'count')} ${labels.customersLower}`,
      unit: 'currency',
      lang: input.lang ?? 'en',
      xTitle: input.xTitle,
      yTitle: input.yTitle,
      xDomain: [lo, hi],
      xTicks: Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i),
      legendSpace: 16,
    },
  };
}
