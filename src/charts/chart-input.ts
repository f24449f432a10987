import type { BreakdownChartInput } from './breakdown-chart.ts';
import type { ClvChartInput } from './clv-chart.ts';
import type { CohortChartInput } from './cohort-chart.ts';
import type { ComparisonChartInput } from './comparison-chart.ts';
import type { ContributionChartInput } from './contribution-chart.ts';
import type { DigestChartInput } from './digest-chart.ts';
import type { ForecastChartInput } from './forecast-chart.ts';
import type { RfmChartInput } from './rfm-chart.ts';
import type { ScorecardChartInput } from './scorecard-chart.ts';
import type { TrendChartInput } from './trend-chart.ts';

// Callers build inputs from KPI engine results; the types of every kind are here in one import.
export type { BreakdownChartInput, BreakdownItem } from './breakdown-chart.ts';
export type { ChartBase } from './chart-base.ts';
export type { ClvChartInput, ClvCustomerDot } from './clv-chart.ts';
export type { CohortChartInput, CohortRetentionRow } from './cohort-chart.ts';
export type { ComparisonChartInput, PeriodValue } from './comparison-chart.ts';
export type { Contribution, ContributionChartInput } from './contribution-chart.ts';
export type { DigestChartInput, DigestItem } from './digest-chart.ts';
export type { ForecastChartInput, ForecastChartPoint } from './forecast-chart.ts';
export type { RfmChartInput, RfmSegmentBar } from './rfm-chart.ts';
export type { ScorecardChartInput, ScorecardKpiBullet, ScorecardPerspectiveGroup } from './scorecard-chart.ts';
export type { TrendChartInput, TrendEpisode, TrendPoint, TrendThreshold } from './trend-chart.ts';

/** The input of any chart kind, told apart by `kind`. */
export type ChartInput =
  | TrendChartInput
  | ComparisonChartInput
  | BreakdownChartInput
  | ContributionChartInput
  | DigestChartInput
  | RfmChartInput
  | CohortChartInput
  | ScorecardChartInput
  | ForecastChartInput
  | ClvChartInput;
