import type { BreakdownChartInput } from './breakdown-chart.ts';
import type { CohortChartInput } from './cohort-chart.ts';
import type { ComparisonChartInput } from './comparison-chart.ts';
import type { ContributionChartInput } from './contribution-chart.ts';
import type { DigestChartInput } from './digest-chart.ts';
import type { RfmChartInput } from './rfm-chart.ts';
import type { ScorecardChartInput } from './scorecard-chart.ts';
import type { TrendChartInput } from './trend-chart.ts';

/** The input of any chart kind, told apart by `kind`. */
export type ChartInput = TrendChartInput | ComparisonChartInput | BreakdownChartInput | ContributionChartInput | DigestChartInput | RfmChartInput | CohortChartInput | ScorecardChartInput;
