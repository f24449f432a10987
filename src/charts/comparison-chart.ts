import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { CHART_COLORS } from './chart-theme.ts';
import { changeColor } from './change-color.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartChange, formatChartValue } from './format-chart-value.ts';

/** One period's value, with its label (e.g. 2017-03). */
export interface PeriodValue {
  readonly period: string;
  /** null (or non-finite) when the period has no value */
  readonly value: number | null;
}

/** This period against the previous period and the same period last year. */
export interface ComparisonChartInput extends ChartBase {
  readonly kind: 'comparison';
  readonly unit: KpiUnit;
  /** which way is good, for colouring the changes; default 'higher' */
  readonly direction?: Direction;
  readonly current: PeriodValue;
  readonly previous: PeriodValue;
  readonly lastYear: PeriodValue;
}

/** The rows of comparison.vl.json, or no data when this period has no value. */
export function fillComparisonChart(input: ComparisonChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  const current = finiteOrNull(input.current?.value);
  if (current === null)
    return {
      noData: { subject: input.title, period: input.current?.period ?? input.period, reason: labels.noValueFor(input.current?.period ?? input.period) },
    };
  const entries = [
    { name: labels.thisPeriod, p: input.current, color: CHART_COLORS.primary, compare: false },
    { name: labels.previous, p: input.previous, color: CHART_COLORS.previous, compare: true },
    { name: labels.lastYear, p: input.lastYear, color: CHART_COLORS.lastYear, compare: true },
  ];
  const rows = entries.map((e, i) => {
    const value = finiteOrNull(e.p?.value);
    const change = e.compare && value !== null ? current - value : null;
    return {
      row: `${i}|${e.name}|${e.p?.period ?? ''}`,
      value,
      color: e.color,
      valueLabel: value === null ? labels.noValue : formatChartValue(value, input.unit, input.currency),
      changeLabel: change === null ? '' : `${labels.now} ${formatChartChange(change, input.unit, input.currency)}`,
      changeColor: changeColor(change, input.direction),
    };
  });
  const values = rows.flatMap((r) => (r.value === null ? [] : [r.value]));
  const widest = Math.max(...rows.map((r) => Math.max(textWidth(r.valueLabel, 15, 600), textWidth(r.changeLabel, 12))));
  const changes = rows
    .filter((r) => r.changeLabel)
    .map((r) => `${r.changeLabel.replace(`${labels.now} `, '')} ${labels.vs} ${r.row.split('|')[1]!.toLowerCase()}`);
  return {
    datasets: { rows },
    ...axisCurrency(input.unit, input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: input.subtitle ?? [`${input.current.period}: ${formatChartValue(current, input.unit, input.currency)}`, ...changes].join(' · '),
      unit: input.unit,
      lang: input.lang ?? 'en',
      xMin: Math.min(0, ...values),
      xMax: Math.max(0, ...values) || 1,
      valueColumn: Math.ceil(widest) + 24,
    },
  };
}
