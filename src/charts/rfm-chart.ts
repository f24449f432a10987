import type { KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartValue } from './format-chart-value.ts';

/** One RFM segment: its size and what its customers are worth. */
export interface RfmSegmentBar {
  /** e.g. Champions (or a translation) */
  readonly name: string;
  readonly customers: number;
  /** in `valueUnit`, e.g. the segment's average spend; null when it has none */
  readonly value: number | null;
}

/** RFM segment sizes and values, best engaged segment first. */
export interface RfmChartInput extends ChartBase {
  readonly kind: 'rfm';
  /** in the order to draw them, e.g. RfmResult.segments' order */
  readonly segments: readonly RfmSegmentBar[];
  /** what `value` is, e.g. 'Average spend' */
  readonly valueTitle: string;
  /** default 'currency' */
  readonly valueUnit?: KpiUnit;
}

const PANEL = { size: 250, value: 190 };

/** Domain end that leaves `label` pixels free right of the longest bar in a panel `width` wide. */
function roomyMax(max: number, labels: readonly string[], width: number): number {
  const room = Math.max(0, ...labels.map((l) => textWidth(l, 12))) + 10;
  return (max || 1) / Math.max(0.3, 1 - room / width);
}

/** The segments of rfm.vl.json, or no data when no segment has a customer. */
export function fillRfmChart(input: RfmChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.segments as unknown)) throw chartError('rfm', 'segments must be an array', 'pass [{ name, customers, value }, …]');
  const unit = input.valueUnit ?? 'currency';
  const segments = input.segments.map((s, i) => {
    const customers = Math.max(0, finiteOrNull(s.customers) ?? 0);
    // An empty segment has no value to draw, whatever average the caller filled in (RfmSegment uses 0).
    return { row: `${i}|${s.name}`, customers, value: customers === 0 ? null : finiteOrNull(s.value) };
  });
  const total = segments.reduce((sum, s) => sum + s.customers, 0);
  if (total === 0) return { noData: { subject: input.title, period: input.period, reason: labels.noCustomers } };
  const rows = segments.map((s) => ({
    ...s,
    sizeLabel: `${formatChartValue(s.customers, 'count')} · ${formatChartValue(s.customers / total, 'percent')}`,
    valueLabel: formatChartValue(s.value, unit, input.currency),
  }));
  return {
    datasets: { segments: rows },
    ...axisCurrency(unit, input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: input.subtitle ?? `${input.period} · ${formatChartValue(total, 'count')} ${labels.customersLower}`,
      unit,
      lang: input.lang ?? 'en',
      sizeTitle: labels.customers,
      valueTitle: input.valueTitle,
      sizeMax: roomyMax(
        Math.max(...rows.map((r) => r.customers)),
        rows.map((r) => r.sizeLabel),
        PANEL.size,
      ),
      valueMax: roomyMax(
        Math.max(0, ...rows.map((r) => r.value ?? 0)),
        rows.map((r) => r.valueLabel),
        PANEL.value,
      ),
    },
  };
}
