import type { KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull, parseInstant, requireFinite } from './chart-checks.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { CHART_COLORS, CHART_WIDTH } from './chart-theme.ts';
import { textWidth } from './font-metrics.ts';
import { legendRow, type LegendEntry } from './legend-row.ts';
import { formatChartChange, formatChartValue } from './format-chart-value.ts';

/** One period of a trend. */
export interface TrendPoint {
  /** the period's label, e.g. 2017-W09 */
  readonly period: string;
  /** the period's first instant, ISO 8601 */
  readonly start: string;
  /** null (or a non-finite number) when the period has no value: the line breaks there */
  readonly value: number | null;
  /** drawn as a red dot */
  readonly anomalous?: boolean;
  /** the period is to date: the last day its value counts (YYYY-MM-DD); its label gets a * and the legend says so */
  readonly toDate?: string;
  /** the sample size behind the value, shown with the latest value */
  readonly n?: number | null;
  /** under the KPI's minimum sample: said with the latest value */
  readonly low?: boolean;
}

/** A threshold: one line, or the normal band between two lines. */
export type TrendThreshold = { readonly value: number } | { readonly low: number; readonly high: number };

/** An alert episode: firing from `from` until `to` (exclusive; still firing when left out). */
export interface TrendEpisode {
  /** ISO 8601 */
  readonly from: string;
  /** ISO 8601 */
  readonly to?: string;
}

/** KPI trend: the KPI per period with its threshold, target, anomalies and firing episodes. */
export interface TrendChartInput extends ChartBase {
  readonly kind: 'trend';
  readonly unit: KpiUnit;
  /** in any order; drawn by `start` */
  readonly points: readonly TrendPoint[];
  readonly threshold?: TrendThreshold;
  readonly target?: number;
  /** the target's legend text when it is not the target as set, e.g. a quarterly target as a monthly pace */
  readonly targetLabel?: string;
  readonly episodes?: readonly TrendEpisode[];
}

/** Room for x labels: the plot is the chart less the y axis and padding. */
const PLOT_WIDTH = CHART_WIDTH - 110;

/** Which period labels to show: as many as fit, evenly spaced, always the latest. */
export function trendTicks(labels: readonly string[]): number[] {
  if (labels.length === 0) return [];
  const widest = Math.max(...labels.map((l) => textWidth(l, 12)));
  const fit = Math.max(2, Math.floor(PLOT_WIDTH / (widest + 18)));
  const step = Math.ceil(labels.length / fit);
  const ticks: number[] = [];
  for (let i = labels.length - 1; i >= 0; i -= step) ticks.unshift(i);
  return ticks;
}

/**
 * The y range of a trend: every value, line and band edge, with a little room above and below
 * (vega then rounds it to nice ticks). Set explicitly so the optional layers need no extents.
 */
export function paddedDomain(values: readonly number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** The datasets and parameters of trend.vl.json for an input, or why there is nothing to draw. */
export function fillTrendChart(input: TrendChartInput): ChartFill | NoDataFill {
  const kind = 'trend';
  const labels = chartLabels(input.lang);
  const points = input.points
    .map((p, n) => ({ p, start: parseInstant(kind, `points[${n}].start`, p.start), value: finiteOrNull(p.value) }))
    .sort((a, b) => a.start - b.start);
  const defined = points.filter((p) => p.value !== null);
  if (defined.length === 0) {
    return {
      noData: { subject: input.title, period: input.period, reason: points.length ? labels.noneHasValue(points.length, labels.periods) : labels.noPeriods },
    };
  }

  // A to-date period is marked on its label, so it is never read as a whole period that collapsed.
  const rows = points.map(({ p, value }, i) => ({ i, period: p.toDate ? `${p.period}*` : p.period, value, anomalous: value !== null && p.anomalous === true }));
  const indexAt = (t: number) => {
    let found = -1;
    for (let i = 0; i < points.length && points[i]!.start <= t; i++) found = i;
    return found;
  };
  const episodes = (input.episodes ?? []).flatMap((e, n) => {
    const from = parseInstant(kind, `episodes[${n}].from`, e.from);
    const to = e.to === undefined ? Number.POSITIVE_INFINITY : parseInstant(kind, `episodes[${n}].to`, e.to) - 1;
    const last = to === Number.POSITIVE_INFINITY ? points.length - 1 : indexAt(to);
    if (last < 0 || to < from) return [];
    const first = Math.max(0, indexAt(from));
    if (first > points.length - 1) return [];
    return [{ x0: first - 0.5, x1: last + 0.5 }];
  });

  const lines: { value: number; color: string }[] = [];
  const band: { low: number; high: number }[] = [];
  const legend: LegendEntry[] = [];
  const threshold = input.threshold;
  const format = (v: number) => formatChartValue(v, input.unit, input.currency);
  if (threshold && 'value' in threshold) {
    const value = requireFinite(kind, 'threshold.value', threshold.value);
    lines.push({ value, color: CHART_COLORS.bad });
    legend.push({ symbol: 'line', color: CHART_COLORS.bad, label: `${labels.threshold} ${format(value)}` });
  } else if (threshold) {
    const low = requireFinite(kind, 'threshold.low', threshold.low);
    const high = requireFinite(kind, 'threshold.high', threshold.high);
    band.push({ low: Math.min(low, high), high: Math.max(low, high) });
    legend.push({ symbol: 'box', color: CHART_COLORS.band, label: `${labels.band} ${format(band[0]!.low)} – ${format(band[0]!.high)}` });
  }
  if (input.target !== undefined) {
    const value = requireFinite(kind, 'target', input.target);
    lines.push({ value, color: CHART_COLORS.good });
    legend.push({ symbol: 'line', color: CHART_COLORS.good, label: input.targetLabel ?? `${labels.target} ${format(value)}` });
  }
  if (rows.some((r) => r.anomalous)) legend.push({ symbol: 'dot', color: CHART_COLORS.bad, label: labels.anomaly });
  if (episodes.length) legend.push({ symbol: 'box', color: CHART_COLORS.firing, label: labels.firing });
  const toDate = points.find(({ p }) => p.toDate !== undefined);
  if (toDate) legend.push({ symbol: 'tick', color: CHART_COLORS.muted, label: labels.toDateNote(toDate.p.period, toDate.p.toDate!) });

  const latest = rows.filter((r) => r.value !== null).at(-1)!;
  const latestN = finiteOrNull(points[latest.i]!.p.n ?? null);
  const latestLow = points[latest.i]!.p.low === true;
  // A to-date value against a whole period is no change worth printing; the answer compares it like for like.
  const before = points[latest.i]!.p.toDate
    ? undefined
    : rows
        .slice(0, latest.i)
        .filter((r) => r.value !== null)
        .at(-1);
  const missing = rows.length - defined.length;
  const subtitle =
    input.subtitle ??
    [
      input.period,
      `${labels.latest} ${latest.period}: ${formatChartValue(latest.value, input.unit, input.currency)}` +
        (latestN === null ? '' : ` (${labels.sampleSize(Math.round(latestN).toLocaleString('en-US'))}${latestLow ? `, ${labels.lowSampleShort}` : ''})`) +
        (before ? ` (${formatChartChange(latest.value! - before.value!, input.unit, input.currency)} ${labels.vs} ${before.period})` : ''),
      ...(missing ? [labels.periodsWithoutValue(missing)] : []),
    ].join(' · ');

  return {
    datasets: {
      points: rows,
      anomalies: rows.filter((r) => r.anomalous),
      latest: [latest],
      episodes,
      legend: legendRow(legend),
      band,
      lines,
    },
    ...axisCurrency(input.unit, input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: subtitle,
      unit: input.unit,
      lang: input.lang ?? 'en',
      xDomain: [-0.5, rows.length - 0.5],
      yDomain: paddedDomain([...defined.map((p) => p.value!), ...lines.map((l) => l.value), ...band.flatMap((b) => [b.low, b.high])]),
      xTicks: trendTicks(rows.map((r) => r.period)),
      xLabels: rows.map((r) => r.period),
      legendSpace: legend.length ? 22 : 16,
    },
  };
}
