import type { KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull, requireFinite } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { CHART_COLORS } from './chart-theme.ts';
import { formatChartValue } from './format-chart-value.ts';
import { legendRow, type LegendEntry } from './legend-row.ts';
import { paddedDomain, trendTicks } from './trend-chart.ts';

/** One forecast period: the point forecast and its intervals (null when there is no error to size them). */
export interface ForecastChartPoint {
  readonly period: string;
  readonly mean: number;
  readonly lo80: number | null;
  readonly hi80: number | null;
  readonly lo95: number | null;
  readonly hi95: number | null;
}

/** KPI forecast: the history, the forecast with its 80% and 95% bands, and the target where one fits. */
export interface ForecastChartInput extends ChartBase {
  readonly kind: 'forecast';
  readonly unit: KpiUnit;
  /** the history, oldest first */
  readonly history: readonly { readonly period: string; readonly value: number }[];
  /** the periods after the history, in order */
  readonly forecast: readonly ForecastChartPoint[];
  /** the method, e.g. ETS(A,N,N), shown in the legend */
  readonly method: string;
  readonly target?: number;
}

/** The datasets and parameters of forecast.vl.json for an input, or why there is nothing to draw. */
export function fillForecastChart(input: ForecastChartInput): ChartFill | NoDataFill {
  const kind = 'forecast';
  const lang = input.lang ?? 'en';
  const labels = chartLabels(lang);
  const words = labels.forecastLegend;
  if (input.history.length === 0 || input.forecast.length === 0) {
    return { noData: { subject: input.title, period: input.period, reason: labels.noPeriods } };
  }
  const history = input.history.map((h, i) => ({ i, period: h.period, value: requireFinite(kind, `history[${i}].value`, h.value) }));
  const last = history.at(-1)!;
  // The forecast starts from the last actual value, so the dashed line and the bands join the history.
  const anchor = { i: last.i, period: last.period, mean: last.value, lo80: last.value, hi80: last.value, lo95: last.value, hi95: last.value, ahead: false };
  const ahead = input.forecast.map((p, k) => {
    const mean = requireFinite(kind, `forecast[${k}].mean`, p.mean);
    const [lo80, hi80, lo95, hi95] = [p.lo80, p.hi80, p.lo95, p.hi95].map((v) => finiteOrNull(v) ?? mean) as [number, number, number, number];
    if (!(lo95 <= lo80 && lo80 <= mean && mean <= hi80 && hi80 <= hi95)) {
      throw chartError(kind, `forecast[${k}]: the intervals must nest around the mean (lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95)`, 'pass the forecast as computed');
    }
    return { i: history.length + k, period: p.period, mean, lo80, hi80, lo95, hi95, ahead: true };
  });
  const rows = [...history.map((h) => h.period), ...ahead.map((a) => a.period)];
  const lines: { value: number; color: string }[] = [];
  const format = (v: number) => formatChartValue(v, input.unit, input.currency);
  const legend: (LegendEntry & { opacity?: number })[] = [
    { symbol: 'tick', color: CHART_COLORS.primary, label: words.actual },
    { symbol: 'line', color: CHART_COLORS.primary, label: words.forecast(input.method) },
    { symbol: 'box', color: CHART_COLORS.primary, label: words.interval(80) },
    { symbol: 'box', color: CHART_COLORS.primary, label: words.interval(95) },
  ];
  if (input.target !== undefined) {
    const value = requireFinite(kind, 'target', input.target);
    lines.push({ value, color: CHART_COLORS.good });
    legend.push({ symbol: 'line', color: CHART_COLORS.good, label: `${labels.target} ${format(value)}` });
  }
  const opacity = [1, 1, 0.36, 0.14, 1];
  const end = ahead.at(-1)!;
  const subtitle =
    input.subtitle ??
    `${input.period} · ${words.next(ahead.length)}: ${format(ahead[0]!.mean)} … ${format(end.mean)} (80% ${format(end.lo80)} – ${format(end.hi80)})`;
  return {
    datasets: {
      history,
      forecast: [anchor, ...ahead],
      lines,
      legend: legendRow(legend).map((l, k) => ({ ...l, opacity: opacity[k] ?? 1 })),
    },
    ...axisCurrency(input.unit, input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: subtitle,
      unit: input.unit,
      lang,
      xDomain: [-0.5, rows.length - 0.5],
      yDomain: paddedDomain([...history.map((h) => h.value), ...ahead.flatMap((a) => [a.lo95, a.hi95]), ...lines.map((l) => l.value)]),
      xTicks: trendTicks(rows),
      xLabels: rows,
      legendSpace: 22,
    },
  };
}
