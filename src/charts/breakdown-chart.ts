import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { CHART_COLORS } from './chart-theme.ts';
import { changeColor } from './change-color.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartChange, formatChartValue } from './format-chart-value.ts';
import { legendRow, type LegendEntry } from './legend-row.ts';

/** One value of the dimension, e.g. one owner. */
export interface BreakdownItem {
  readonly key: string;
  /** this period; null (or non-finite) when it has no value */
  readonly value: number | null;
  /** the previous period, drawn as a tick */
  readonly previous?: number | null;
  /** the sample size behind the value: shown beside it, and the bars are then ranked by it */
  readonly n?: number | null;
  /** under the KPI's minimum sample: drawn pale */
  readonly low?: boolean;
}

/** The latest period broken down by a dimension. */
export interface BreakdownChartInput extends ChartBase {
  readonly kind: 'breakdown';
  readonly unit: KpiUnit;
  readonly direction?: Direction;
  /** what the items are, e.g. 'owner' or 'country' */
  readonly dimension: string;
  /** the previous period's label, for the legend */
  readonly previousPeriod?: string;
  readonly items: readonly BreakdownItem[];
}

/** At most this many bars; the subtitle says how many more there are. */
export const BREAKDOWN_MAX_BARS = 15;

/** The rows of breakdown.vl.json, largest value first, or no data when no item has a value. */
export function fillBreakdownChart(input: BreakdownChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.items as unknown)) throw chartError('breakdown', 'items must be an array', 'pass [{ key, value, previous? }, …]');
  // With sample sizes the bars rank by n: a rate of 3 customers must not top one of 3,000 (issue 14).
  const ranked = input.items.some((item) => item.n !== undefined && item.n !== null);
  const valued = input.items
    .map((item) => ({
      key: String(item.key),
      value: finiteOrNull(item.value),
      previous: finiteOrNull(item.previous),
      n: finiteOrNull(item.n ?? null),
      low: item.low === true,
    }))
    .filter((item): item is { key: string; value: number; previous: number | null; n: number | null; low: boolean } => item.value !== null)
    .sort((a, b) => (ranked ? (b.n ?? -1) - (a.n ?? -1) : 0) || b.value - a.value || a.key.localeCompare(b.key));
  if (valued.length === 0) {
    return {
      noData: {
        subject: input.title,
        period: input.period,
        reason: input.items.length ? labels.noneHasValue(input.items.length, input.dimension) : labels.noItems(input.dimension),
      },
    };
  }
  const shown = valued.slice(0, BREAKDOWN_MAX_BARS);
  const rows = shown.map((item, i) => {
    const change = item.previous === null ? null : item.value - item.previous;
    return {
      row: `${i}|${item.key}`,
      value: item.value,
      previous: item.previous,
      valueLabel:
        formatChartValue(item.value, input.unit, input.currency) +
        (item.n === null ? '' : ` · ${labels.sampleSize(Math.round(item.n).toLocaleString('en-US'))}`),
      opacity: item.low ? 0.35 : 1,
      changeLabel: change === null ? '' : formatChartChange(change, input.unit, input.currency),
      changeColor: changeColor(change, input.direction),
    };
  });
  const extent = rows.flatMap((r) => (r.previous === null ? [r.value] : [r.value, r.previous]));
  const hasPrevious = rows.some((r) => r.previous !== null);
  const legend: LegendEntry[] = hasPrevious
    ? [
        { symbol: 'box', color: CHART_COLORS.primary, label: input.period },
        { symbol: 'tick', color: CHART_COLORS.ink, label: input.previousPeriod ?? labels.previous },
      ]
    : [];
  if (shown.some((item) => item.low)) legend.push({ symbol: 'box', color: CHART_COLORS.band, label: labels.lowSample });
  const withoutValue = input.items.length - valued.length;
  const subtitle =
    input.subtitle ??
    [
      input.period,
      labels.by(input.dimension),
      ...(ranked ? [labels.rankedByN] : []),
      ...(valued.length > shown.length ? [labels.topOf(shown.length, valued.length)] : []),
      ...(withoutValue ? [labels.withoutValue(withoutValue, input.dimension)] : []),
    ].join(' · ');
  const column = (texts: string[], size: number, weight: number) => Math.ceil(Math.max(0, ...texts.map((t) => textWidth(t, size, weight))));
  return {
    datasets: { rows, legend: legendRow(legend) },
    ...axisCurrency(input.unit, input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: subtitle,
      unit: input.unit,
      lang: input.lang ?? 'en',
      xMin: Math.min(0, ...extent),
      xMax: Math.max(0, ...extent) || 1,
      valueColumn:
        column(
          rows.map((r) => r.valueLabel),
          12,
          600,
        ) + (hasPrevious ? 16 : 12),
      changeColumn: hasPrevious
        ? column(
            rows.map((r) => r.changeLabel),
            12,
            400,
          ) + 4
        : 0,
      legendSpace: legend.length ? 22 : 16,
    },
  };
}
