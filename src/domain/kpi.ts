/** How a KPI's value is shown and compared. */
export type KpiUnit =
  /** a share, stored as a fraction (0.25 shows as 25%) */
  | 'percent'
  /** money in the data's currency */
  | 'currency'
  /** a length of time; the KPI's title says the unit (hours, days) */
  | 'duration'
  /** a number of things */
  | 'count'
  /** a score on its own scale (NPS −100…100) */
  | 'score';

/** Which way is good. */
export type Direction = 'higher' | 'lower';

/** The aggregate a metric computes over the records of a period. */
export type Aggregate = 'count' | 'count_distinct' | 'sum' | 'avg' | 'median' | 'percentile';

/** A condition on one field: a value, a list of values, or comparisons. */
export type FieldFilter =
  | string
  | number
  | boolean
  | readonly (string | number)[]
  | {
      readonly eq?: string | number | boolean;
      readonly ne?: string | number | boolean;
      readonly in?: readonly (string | number)[];
      readonly gt?: number;
      readonly gte?: number;
      readonly lt?: number;
      readonly lte?: number;
      /** true: the field has a value; false: it is empty */
      readonly filled?: boolean;
      /** the text starts with this */
      readonly prefix?: string;
    };

/**
 * How records relate to periods beyond "its time field falls in the period":
 * - `in_period`: the record's time field is in the period (the default);
 * - `open_at_end`: a snapshot, records open at the end of the period (opened before it ends and
 *   not closed by then), e.g. pipeline value;
 * - `first_in_period`: only the first occurrence of `field` over all time counts, in the period
 *   it falls in, e.g. new customers;
 * - `retained`: distinct `field` values active in the period that were also active in the
 *   previous one, e.g. retained customers;
 * - `repeat`: distinct `field` values with at least two distinct `repeat_of` values in the
 *   period, e.g. customers with more than one invoice.
 */
export type PeriodMode = 'in_period' | 'open_at_end' | 'first_in_period' | 'retained' | 'repeat';

/** One aggregate over one CRM entity, the building block of KPI formulas. */
export interface MetricDefinition {
  readonly entity: string;
  readonly aggregate: Aggregate;
  /** the field aggregated (not needed for count) */
  readonly field?: string;
  /** 0–100, for aggregate: percentile */
  readonly p?: number;
  readonly filter?: Readonly<Record<string, FieldFilter>>;
  /** the time field that places a record in a period */
  readonly time: string;
  readonly mode?: PeriodMode;
  /** open_at_end: the field saying when the record closed */
  readonly closed?: string;
  /** repeat: the field whose distinct values are counted per `field` value */
  readonly repeat_of?: string;
  /** evaluate in the period this many periods away (−1: the previous period) */
  readonly shift?: number;
  /** only records of this source */
  readonly source?: string;
}

/** A KPI: metrics and a formula over them, with how to show and judge the result. */
export interface KpiDefinition {
  readonly key: string;
  readonly title: string;
  /** Simplified Chinese title */
  readonly title_zh?: string;
  readonly unit: KpiUnit;
  /** for unit currency: the ISO 4217 code its values are written with ($1,200, 1,200 SEK); none when unknown */
  readonly currency?: string | undefined;
  readonly direction: Direction;
  readonly description: string;
  readonly metrics: Readonly<Record<string, MetricDefinition>>;
  /** mathjs syntax over metric names */
  readonly formula: string;
  /**
   * n, the sample the value stands on, as a formula over metric names (`won + lost` for a win
   * rate, `answers` for NPS); a KPI without one (a sum, a count) shows no n
   */
  readonly sample?: string | undefined;
  /** the n under which the value is low-confidence (default 30, `samples:` in the config) */
  readonly min_sample?: number | undefined;
  /**
   * set on a computed KPI: its value comes from a model fitted at each period's end, not from its
   * metrics (which then only say what data it reads, for coverage); see ModelKpi
   */
  readonly model?: ModelKpi | undefined;
}

/**
 * The computed KPIs, valued by a model fitted to the data as of a period's end (src/kpi/evaluate-model-kpi.ts).
 * - `clv_predicted`: the predicted CLV of every customer over the next 12 months (BG/NBD + Gamma-Gamma);
 * - `customers_at_risk`: top-quintile customers by past value whose P(alive) is below 50%.
 */
export type ModelKpi = 'clv_predicted' | 'customers_at_risk';

/** A SMART target: reach `value` by the date `by`, read over periods of `grain`. */
export interface TargetDefinition {
  readonly value: number;
  /** the deadline, YYYY-MM-DD */
  readonly by: string;
  /** when the target was set, YYYY-MM-DD; progress counts from the KPI value then */
  readonly from?: string | undefined;
  readonly grain: 'day' | 'week' | 'month' | 'quarter' | 'year';
}

/** One Balanced Scorecard perspective: its KPIs, its weight, and optionally an AHP matrix. */
export interface PerspectiveDefinition {
  readonly weight: number;
  readonly kpis: readonly string[];
  /** row i, column j: how much more KPI i matters than KPI j; numbers or fractions like "1/3" */
  readonly pairwise?: readonly (readonly (number | string)[])[] | undefined;
}

/** The scorecard: the period it reads and its perspectives. */
export interface ScorecardDefinition {
  readonly grain: 'day' | 'week' | 'month' | 'quarter' | 'year';
  readonly perspectives: Readonly<Partial<Record<'financial' | 'customer' | 'internal_process' | 'learning_growth', PerspectiveDefinition>>>;
}
