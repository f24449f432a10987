import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import type { ChartFill, NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { formatChartValue } from './format-chart-value.ts';

/** One acquisition cohort and its retention by month. */
export interface CohortRetentionRow {
  /** e.g. 2010-12 */
  readonly cohort: string;
  /** customers in the cohort */
  readonly size: number;
  /** retention[k]: the share (0..1) of the cohort buying in month k after the first (CohortRow.percents[k] / 100); null when not yet observed */
  readonly retention: readonly (number | null)[];
}

/** Cohort retention heatmap, oldest cohort first. */
export interface CohortChartInput extends ChartBase {
  readonly kind: 'cohort';
  readonly cohorts: readonly CohortRetentionRow[];
  /** a note the subtitle adds, e.g. that the last month is to date */
  readonly note?: string;
  /** the calendar month (YYYY-MM) that is to date: its cells get a * */
  readonly partialMonth?: string;
}

/** The most recent cohorts shown; older ones are left out (the subtitle says so). */
export const COHORT_MAX_ROWS = 24;
/** Month columns shown (month 1 to this). */
export const COHORT_MAX_MONTHS = 24;

/** The cells of cohort.vl.json from month 1 on (month 0 is 100% by definition), or no data. */
export function fillCohortChart(input: CohortChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.cohorts as unknown)) throw chartError('cohort', 'cohorts must be an array', 'pass [{ cohort, size, retention }, …]');
  const cohorts = input.cohorts.slice(-COHORT_MAX_ROWS);
  const months = Math.min(COHORT_MAX_MONTHS, Math.max(0, ...cohorts.map((c) => (c.retention?.length ?? 1) - 1)));
  const cells = cohorts.flatMap((c, i) =>
    (c.retention ?? []).slice(1, months + 1).flatMap((r, j) => {
      const retention = finiteOrNull(r);
      const partial = input.partialMonth !== undefined && addMonths(c.cohort, j + 1) === input.partialMonth;
      return retention === null ? [] : [{ row: `${i}|${c.cohort} · ${formatChartValue(c.size, 'count')}`, column: labels.month(j + 1), retention, partial }];
    }),
  );
  if (cells.length === 0) {
    return { noData: { subject: input.title, period: input.period, reason: cohorts.length ? labels.noRepeatMonth : labels.noItems(labels.cohortLower) } };
  }
  const decimals = months <= 12 ? 1 : 0;
  // The colours span the cells' own range, so differences between cohorts show; labels give the values.
  const colorMin = Math.min(...cells.map((c) => c.retention));
  const colorMax = Math.max(...cells.map((c) => c.retention));
  const span = colorMax > colorMin ? colorMax - colorMin : Math.max(colorMax, 0.01);
  return {
    datasets: {
      cells: cells.map((c) => ({
        ...c,
        label: `${decimals ? formatChartValue(c.retention, 'percent') : `${Math.round(c.retention * 100)}%`}${c.partial ? '*' : ''}`,
      })),
    },
    params: {
      chartTitle: input.title,
      chartSubtitle:
        input.subtitle ??
        [
          input.period,
          // The to-date note first: it is what keeps the last diagonal from reading as a collapse.
          ...(input.note ? [input.note] : []),
          labels.retentionExplained,
          ...(input.cohorts.length > cohorts.length ? [labels.latestCohorts(cohorts.length, input.cohorts.length)] : []),
        ].join(' · '),
      unit: 'percent',
      lang: input.lang ?? 'en',
      colorMin: colorMax > colorMin ? colorMin : colorMin - span,
      colorMax,
      darkFrom: colorMax > colorMin ? colorMin + span * 0.55 : colorMax + 1,
      columns: Array.from({ length: months }, (_, j) => labels.month(j + 1)),
      showLabels: months <= 18,
    },
  };
}

/** 'YYYY-MM' (a cohort label, maybe ending in *) plus k months. */
function addMonths(label: string, k: number): string {
  const i = Number(label.slice(0, 4)) * 12 + Number(label.slice(5, 7)) - 1 + k;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
