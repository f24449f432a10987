import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import type { ChartFill, NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { changeColor } from './change-color.ts';
import type { PeriodValue } from './comparison-chart.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartChange, formatChartValue } from './format-chart-value.ts';

/** One KPI of a digest: its recent periods, oldest first. */
export interface DigestItem {
  readonly title: string;
  readonly unit: KpiUnit;
  readonly direction?: Direction;
  readonly points: readonly PeriodValue[];
}

/** Digest small multiples: a grid of sparklines, one per KPI, with the latest value and change. */
export interface DigestChartInput extends ChartBase {
  readonly kind: 'digest';
  readonly items: readonly DigestItem[];
}

/** Cells in a digest grid: three columns of KPIs. */
export const DIGEST_MAX_ITEMS = 12;

/** The points of digest.vl.json, one cell per KPI, or no data when no KPI has a value. */
export function fillDigestChart(input: DigestChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.items as unknown)) throw chartError('digest', 'items must be an array', 'pass [{ title, unit, points: [{ period, value }] }, …]');
  if (input.items.length > DIGEST_MAX_ITEMS) {
    throw chartError('digest', `${input.items.length} KPIs do not fit one digest image (at most ${DIGEST_MAX_ITEMS})`, 'split them over several digest charts, e.g. one per perspective');
  }
  const cells = input.items.map((item, k) => {
    const cell = `${k}|${item.title}`;
    const points = (item.points ?? []).map((p, i) => ({ i, period: p.period, value: finiteOrNull(p.value) }));
    const defined = points.filter((p) => p.value !== null);
    const last = defined.at(-1);
    const before = last ? defined.filter((p) => p.i < last.i).at(-1) : undefined;
    const change = last && before ? last.value! - before.value! : null;
    const valueLabel = last ? formatChartValue(last.value, item.unit) : '–';
    const info = {
      valueLabel,
      changeLabel: change === null ? '' : formatChartChange(change, item.unit),
      changeColor: changeColor(change, item.direction),
      changeX: Math.ceil(textWidth(valueLabel, 22, 600)) + 8,
      periodLabel: last ? (before ? `${last.period} ${labels.vs} ${before.period}` : last.period) : labels.noValue,
    };
    const rows: { i: number; value: number | null }[] = points.length ? points : [{ i: 0, value: null }];
    return { hasValue: last !== undefined, rows: rows.map((p) => ({ cell, i: p.i, value: p.value, last: last ? p.i === last.i : p.i === 0, ...info })) };
  });
  if (!cells.some((c) => c.hasValue)) {
    return { noData: { subject: input.title, period: input.period, reason: input.items.length ? labels.noneHasValue(input.items.length, labels.kpi) : labels.noItems(labels.kpi) } };
  }
  return {
    datasets: { points: cells.flatMap((c) => c.rows) },
    params: { chartTitle: input.title, chartSubtitle: input.subtitle ?? input.period, unit: 'count', lang: input.lang ?? 'en' },
  };
}
