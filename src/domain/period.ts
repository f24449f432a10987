/** The length of a reporting period. */
export type Grain =
  /** a calendar day in the configured time zone */
  | 'day'
  /** an ISO week, Monday to Sunday */
  | 'week'
  /** a calendar month */
  | 'month'
  /** three months, aligned to the fiscal year's start month */
  | 'quarter'
  /** twelve months from the fiscal year's start month */
  | 'year';

/** All grains, shortest first. */
export const GRAINS: readonly Grain[] = ['day', 'week', 'month', 'quarter', 'year'];

/** A reporting period: [start, end) in UTC instants, with the label people see. */
export interface Period {
  readonly grain: Grain;
  /** first instant of the period */
  readonly start: Date;
  /** first instant after the period */
  readonly end: Date;
  /** e.g. 2017-03-05, 2017-W09, 2017-03, 2017-Q1 (FY2018-Q1 when the fiscal year starts later), 2017 */
  readonly label: string;
  /**
   * a date range asked for as one period (grain 'day', several days): it shifts by its own length,
   * labelled `2010-12-01..2011-12-09`
   */
  readonly range?: true;
}

/** How periods are cut: the configured time zone and fiscal year. */
export interface Calendar {
  /** IANA time zone, e.g. Europe/London */
  readonly timeZone: string;
  /** first month of the fiscal year, 1 = January */
  readonly fiscalYearStartMonth: number;
}
