/** The kinds of chart, one vega-lite template each in charts/. */
export type ChartKind =
  /** a KPI per period with threshold, target, anomalies and firing episodes */
  | 'trend'
  /** this period against the previous period and the same period last year */
  | 'comparison'
  /** the latest period broken down by a dimension, as sorted bars */
  | 'breakdown'
  /** what each dimension value contributed to the change from the previous period */
  | 'contribution'
  /** digest small multiples: one sparkline per KPI with its latest value and change */
  | 'digest'
  /** RFM segment sizes and values */
  | 'rfm'
  /** monthly cohort retention heatmap */
  | 'cohort'
  /** scorecard bullet charts grouped by perspective */
  | 'scorecard'
  /** a KPI's history, forecast and 80%/95% prediction bands */
  | 'forecast'
  /** customers at risk: P(alive) against past value */
  | 'clv';

/** The template drawn instead of a chart that has nothing to show. */
export const NO_DATA_TEMPLATE = 'no-data';

/** Every chart kind, in the order the README lists them. */
export const CHART_KINDS: readonly ChartKind[] = [
  'trend',
  'comparison',
  'breakdown',
  'contribution',
  'digest',
  'rfm',
  'cohort',
  'scorecard',
  'forecast',
  'clv',
];
