import { currencyAffixes } from '../lib/with-currency.ts';
import type { ChartInput } from './chart-input.ts';
import { chartLabels } from './chart-labels.ts';

/**
 * A chart as Slack's `data_visualization` block draws it: categories along the x axis and up to
 * six series with one value per category. Built from the same input as the PNG.
 */
export interface NativeChart {
  readonly type: 'line' | 'bar';
  /** at most 50 characters */
  readonly title: string;
  /** at most 20, each at most 20 characters */
  readonly categories: readonly string[];
  /** at most 6, each with one value per category */
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[];
}

// Slack's data_visualization limits (docs.slack.dev, "Data visualization block").
const LIMITS = { title: 50, label: 20, categories: 20, series: 6 } as const;

/**
 * The chart as native chart data, or undefined when the block cannot draw it faithfully: a kind
 * it has no form for (small multiples, heatmaps, bullets, waterfalls), firing episodes it cannot
 * shade, a missing value, or more than its limits allow. Those stay PNGs. A trend's threshold,
 * normal band and target become flat series beside the KPI's line.
 * @example nativeChart({ kind: 'breakdown', title: 'Won revenue', period: '2024-03', unit: 'currency', dimension: 'region', items }) // { type: 'bar', … }
 */
export function nativeChart(input: ChartInput): NativeChart | undefined {
  const chart = nativeChartData(input);
  // Slack prints the bare numbers: the title says what money they are in, and percentages (kept
  // as fractions) are drawn as percent, 0.413 as 41.3, with (%) in the title.
  const [before, after] = currencyAffixes(input.currency);
  const unit = 'unit' in input ? input.unit : undefined;
  const suffix = unit === 'currency' ? before || after.trim() : unit === 'percent' ? '%' : '';
  if (!chart || !suffix) return chart;
  const series = unit === 'percent' ? chart.series.map((s) => ({ ...s, values: s.values.map((v) => Math.round(v * 1000) / 10) })) : chart.series;
  return { ...chart, series, title: `${clip(input.title, LIMITS.title - suffix.length - 3)} (${suffix})` };
}

function nativeChartData(input: ChartInput): NativeChart | undefined {
  switch (input.kind) {
    case 'trend': {
      if (input.episodes?.length) return undefined;
      // Periods before the data starts have no value: the line starts at the first one that has.
      const first = input.points.findIndex((p) => p.value !== null);
      const points = first < 0 ? [] : input.points.slice(first);
      // The block has no reference lines: a threshold, band or target is a flat series of its own,
      // named as the PNG's legend names it, so the reader still sees where the line stands.
      const labels = chartLabels(input.lang);
      const flat = (name: string, value: number) => ({ name, values: points.map(() => value) });
      const threshold = input.threshold;
      const lines = [
        ...(threshold === undefined
          ? []
          : 'value' in threshold
            ? [flat(labels.threshold, threshold.value)]
            : [flat(labels.bandLow, Math.min(threshold.low, threshold.high)), flat(labels.bandHigh, Math.max(threshold.low, threshold.high))]),
        ...(input.target === undefined ? [] : [flat(labels.target, input.target)]),
      ];
      return fit(
        input.title,
        'line',
        points.map((p) => p.period),
        [{ name: input.period, values: points.map((p) => p.value) }, ...lines],
      );
    }
    case 'breakdown': {
      const series = [{ name: input.period, values: input.items.map((i) => i.value) }];
      if (input.previousPeriod !== undefined && input.items.some((i) => i.previous !== undefined))
        series.push({ name: input.previousPeriod, values: input.items.map((i) => i.previous ?? null) });
      return fit(
        input.title,
        'bar',
        input.items.map((i) => i.key),
        series,
      );
    }
    case 'comparison': {
      const bars = [input.current, input.previous, input.lastYear];
      return fit(
        input.title,
        'bar',
        bars.map((b) => b.period),
        [{ name: input.period, values: bars.map((b) => b.value) }],
      );
    }
    default:
      return undefined;
  }
}

function fit(
  title: string,
  type: NativeChart['type'],
  labels: readonly string[],
  series: { name: string; values: readonly (number | null)[] }[],
): NativeChart | undefined {
  if (labels.length === 0 || labels.length > LIMITS.categories || series.length > LIMITS.series) return undefined;
  if (series.some((s) => s.values.some((v) => v === null || !Number.isFinite(v)))) return undefined;
  const categories = labels.map((l) => clip(l, LIMITS.label));
  const names = series.map((s) => clip(s.name, LIMITS.label));
  // Cut labels must still tell the bars apart, or the chart would merge them.
  if (new Set(categories).size !== categories.length || new Set(names).size !== names.length) return undefined;
  return { type, title: clip(title, LIMITS.title), categories, series: series.map((s, i) => ({ name: names[i]!, values: s.values as number[] })) };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
