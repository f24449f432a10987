import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import { axisCurrency, type ChartFill, type NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { CHART_COLORS, CHART_WIDTH } from './chart-theme.ts';
import { changeColor } from './change-color.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartChange, formatChartValue } from './format-chart-value.ts';
import type { PeriodValue } from './comparison-chart.ts';

/** What one dimension value added to the KPI's change (negative: took away), in the KPI's unit. */
export interface Contribution {
  readonly key: string;
  readonly change: number;
}

/** Contribution to the change: why the KPI moved from the previous period to this one. */
export interface ContributionChartInput extends ChartBase {
  readonly kind: 'contribution';
  readonly unit: KpiUnit;
  readonly direction?: Direction;
  /** what the keys are, e.g. 'owner' */
  readonly dimension: string;
  readonly previous: PeriodValue;
  readonly current: PeriodValue;
  /** need not add up to the change: what they leave unexplained is drawn as 'Other' */
  readonly contributions: readonly Contribution[];
}

/** At most this many named bars; the rest are summed into 'Other'. */
export const CONTRIBUTION_MAX_BARS = 10;

/** The rows of contribution.vl.json, largest effect first, or no data without both totals. */
export function fillContributionChart(input: ContributionChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.contributions as unknown)) throw chartError('contribution', 'contributions must be an array', 'pass [{ key, change }, …]');
  const previous = finiteOrNull(input.previous?.value);
  const current = finiteOrNull(input.current?.value);
  if (previous === null || current === null) {
    const missing = previous === null ? input.previous?.period : input.current?.period;
    return { noData: { subject: input.title, period: input.period, reason: labels.noValueFor(missing ?? input.period) } };
  }
  const named = input.contributions
    .map((c) => ({ key: String(c.key), change: finiteOrNull(c.change) }))
    .filter((c): c is { key: string; change: number } => c.change !== null && c.change !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.key.localeCompare(b.key));
  if (named.length === 0) return { noData: { subject: input.title, period: input.period, reason: labels.noItems(input.dimension) } };

  const delta = current - previous;
  const shown = named.length > CONTRIBUTION_MAX_BARS ? named.slice(0, CONTRIBUTION_MAX_BARS - 1) : named;
  const rest = delta - shown.reduce((sum, c) => sum + c.change, 0);
  // Floating-point sums leave crumbs: treat a remainder under a millionth of the largest effect as none.
  const scale = Math.max(Math.abs(delta), ...named.map((c) => Math.abs(c.change)));
  const bars = [...shown, ...(Math.abs(rest) > scale * 1e-6 ? [{ key: labels.other(named.length - shown.length), change: rest }] : [])];
  const rows = bars.map((c, i) => ({
    row: `${i}|${c.key}`,
    change: c.change,
    label: formatChartChange(c.change, input.unit, input.currency),
    color: changeColor(c.change, input.direction) === CHART_COLORS.muted ? CHART_COLORS.previous : changeColor(c.change, input.direction),
  }));

  // Leave room beside the longest bars for their labels: the plot is about the chart less the y labels.
  const plot = CHART_WIDTH - 60 - Math.min(190, Math.max(...rows.map((r) => textWidth(r.row.slice(r.row.indexOf('|') + 1), 12))));
  const room = Math.max(...rows.map((r) => textWidth(r.label, 12, 600))) + 12;
  const lo = Math.min(0, ...rows.map((r) => r.change));
  const hi = Math.max(0, ...rows.map((r) => r.change));
  const share = Math.min(0.4, room / plot);
  const pad = ((hi - lo) * share) / (1 - 2 * share);
  const subtitle =
    input.subtitle ??
    [
      `${input.previous.period} → ${input.current.period}: ${formatChartValue(previous, input.unit, input.currency)} → ${formatChartValue(current, input.unit, input.currency)} (${formatChartChange(delta, input.unit, input.currency)})`,
      labels.by(input.dimension),
    ].join(' · ');
  return {
    datasets: { rows },
    ...axisCurrency(input.unit, input.currency),
    params: {
      chartTitle: input.title,
      chartSubtitle: subtitle,
      unit: input.unit,
      lang: input.lang ?? 'en',
      xMin: lo < 0 ? lo - pad : 0,
      xMax: hi > 0 ? hi + pad : 0,
    },
  };
}
