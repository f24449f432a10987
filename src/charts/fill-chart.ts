import { chartError } from './chart-error.ts';
import { isNoData, type ChartFill, type NoDataFill } from './chart-fill.ts';
import type { ChartInput } from './chart-input.ts';
import { NO_DATA_TEMPLATE, type ChartKind } from './chart-kind.ts';
import { chartLabels } from './chart-labels.ts';
import { fillBreakdownChart } from './breakdown-chart.ts';
import { fillClvChart } from './clv-chart.ts';
import { fillCohortChart } from './cohort-chart.ts';
import { fillComparisonChart } from './comparison-chart.ts';
import { fillContributionChart } from './contribution-chart.ts';
import { fillDigestChart } from './digest-chart.ts';
import { fillForecastChart } from './forecast-chart.ts';
import { fillRfmChart } from './rfm-chart.ts';
import { fillScorecardChart } from './scorecard-chart.ts';
import { fillTrendChart } from './trend-chart.ts';

/** Which template draws an input, with what; `noData` when it is the no-data image. */
export interface FilledChart {
  readonly kind: ChartKind;
  readonly template: ChartKind | typeof NO_DATA_TEMPLATE;
  readonly fill: ChartFill;
  readonly noData: boolean;
}

function fillByKind(input: ChartInput): ChartFill | NoDataFill {
  switch (input.kind) {
    case 'trend':
      return fillTrendChart(input);
    case 'comparison':
      return fillComparisonChart(input);
    case 'breakdown':
      return fillBreakdownChart(input);
    case 'contribution':
      return fillContributionChart(input);
    case 'digest':
      return fillDigestChart(input);
    case 'rfm':
      return fillRfmChart(input);
    case 'cohort':
      return fillCohortChart(input);
    case 'scorecard':
      return fillScorecardChart(input);
    case 'forecast':
      return fillForecastChart(input);
    case 'clv':
      return fillClvChart(input);
    default:
      throw chartError(String((input as { kind?: unknown }).kind), 'unknown chart kind', `use one of the kinds in src/charts/chart-kind.ts`);
  }
}

/** An input's template and data: its own template, or the no-data template when nothing can be drawn. */
export function fillChart(input: ChartInput): FilledChart {
  if (!input || typeof input !== 'object') throw chartError('chart', `expected a chart input object, got ${String(input)}`, 'pass { kind, title, period, … }');
  if (typeof input.title !== 'string' || typeof input.period !== 'string') {
    throw chartError(
      String(input.kind),
      'title and period must be strings',
      'every chart names its KPI and period, e.g. { title: "Win rate", period: "2017-W09" }',
    );
  }
  const fill = fillByKind(input);
  if (!isNoData(fill)) return { kind: input.kind, template: input.kind, fill, noData: false };
  const labels = chartLabels(input.lang);
  return {
    kind: input.kind,
    template: NO_DATA_TEMPLATE,
    noData: true,
    fill: {
      datasets: {},
      params: {
        chartTitle: input.title,
        chartSubtitle: input.period,
        message: labels.noData(fill.noData.subject, fill.noData.period),
        reason: fill.noData.reason,
      },
    },
  };
}
