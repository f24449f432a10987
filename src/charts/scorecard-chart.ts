import type { KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import type { ChartFill, NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { CHART_COLORS } from './chart-theme.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartValue } from './format-chart-value.ts';

/** One KPI of the scorecard: its value, target and 0–100 attainment (kpi/scorecard.ts). */
export interface ScorecardKpiBullet {
  readonly title: string;
  readonly unit: KpiUnit;
  /** the ISO code of a money KPI: its value and target carry its sign or code */
  readonly currency?: string;
  readonly value: number | null;
  readonly target: number | null;
  /** 0–100; null when the KPI could not be scored */
  readonly attainment: number | null;
  /** why it has no attainment, e.g. 'no target' */
  readonly reason?: string;
}

/** One Balanced Scorecard perspective: its name as shown, its 0–100 score and its KPIs. */
export interface ScorecardPerspectiveGroup {
  /** e.g. 'Financial' or '财务' */
  readonly name: string;
  readonly score: number | null;
  readonly kpis: readonly ScorecardKpiBullet[];
}

/** Scorecard bullet charts grouped by perspective. */
export interface ScorecardChartInput extends ChartBase {
  readonly kind: 'scorecard';
  /** the weighted 0–100 composite */
  readonly composite?: number | null;
  readonly perspectives: readonly ScorecardPerspectiveGroup[];
}

/** The bullet's qualitative ranges of attainment: poor below 60, fair to 90, good to 100. */
const RANGES = { poorFrom: 0, poorTo: 60, fairTo: 90, goodTo: 100 } as const;

const score = (x: number | null) => (x === null ? '–' : String(Math.round(x)));

/** The KPI rows of scorecard.vl.json, or no data when no KPI could be scored. */
export function fillScorecardChart(input: ScorecardChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.perspectives as unknown))
    throw chartError('scorecard', 'perspectives must be an array', 'pass [{ name, score, kpis: [{ title, unit, value, target, attainment }] }, …]');
  const rows = input.perspectives.flatMap((p, i) => [
    { row: `h${i}|${p.name} · ${score(finiteOrNull(p.score))}`, kpi: false, attainment: null as number | null, scoreLabel: '', detail: '' },
    ...(p.kpis ?? []).map((k, j) => {
      const attainment = finiteOrNull(k.attainment);
      const value = finiteOrNull(k.value);
      const target = finiteOrNull(k.target);
      return {
        row: `k${i}.${j}|${k.title}`,
        kpi: true,
        attainment: attainment === null ? null : Math.min(100, Math.max(0, attainment)),
        // Weak (in the poor band) is red, met is green: the colour says what the bands say.
        color:
          attainment === null
            ? CHART_COLORS.primary
            : attainment >= 100
              ? CHART_COLORS.good
              : attainment < RANGES.poorTo
                ? CHART_COLORS.bad
                : CHART_COLORS.primary,
        scoreLabel: score(attainment),
        detail:
          attainment === null && k.reason
            ? k.reason
            : `${formatChartValue(value, k.unit, k.currency)} / ${target === null ? labels.noTarget : formatChartValue(target, k.unit, k.currency)}`,
        ...RANGES,
      };
    }),
  ]);
  if (!rows.some((r) => r.attainment !== null)) {
    const kpis = rows.filter((r) => r.kpi).length;
    return { noData: { subject: input.title, period: input.period, reason: kpis ? labels.noneHasValue(kpis, labels.kpi) : labels.noItems(labels.kpi) } };
  }
  const composite = finiteOrNull(input.composite ?? null);
  return {
    datasets: { rows },
    params: {
      chartTitle: input.title,
      // The period and composite, then the key to the bands and colours on two lines.
      chartSubtitle: [
        input.subtitle ?? [input.period, ...(composite === null ? [] : [`${labels.composite} ${score(composite)} / 100`])].join(' · '),
        ...labels.scorecardKey,
      ],
      unit: 'score',
      lang: input.lang ?? 'en',
      rowKeys: rows.map((r) => r.row),
      labelWidth: Math.min(
        230,
        Math.ceil(Math.max(...rows.map((r) => textWidth(r.row.slice(r.row.indexOf('|') + 1), r.kpi ? 12 : 13, r.kpi ? 400 : 600)))) + 16,
      ),
      scoreWidth: Math.ceil(Math.max(...rows.map((r) => textWidth(r.scoreLabel, 13, 600)))) + 14,
      detailWidth: Math.ceil(Math.max(...rows.map((r) => textWidth(r.detail, 12)))) + 16,
    },
  };
}
