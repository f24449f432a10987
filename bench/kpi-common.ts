// What the two sides of the KPI benchmark share: the calendar, the week ranges and the shapes
// of their results.

export const CAL = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
export const WEEKS = 52;
export const WEEK_S = 604_800;
/** Where each range of weeks ends: the last days of the Maven (B2B) and Online Retail (B2C) data. */
export const AS_OF = { b2b: '2017-12-31T12:00:00.000Z', b2c: '2011-12-09T12:00:00.000Z' } as const;

/** What one side measured in one run. */
export interface KpiSideResult {
  ms: number;
  peakRssMb: number;
  queries: number;
  /** wall time per KPI */
  perKpiMs: Record<string, number>;
}

/** How one KPI is evaluated by both sides. */
export interface KpiPlan {
  key: string;
  /** b2b: 52 weeks ending 2017-12-31 (KPIs over deals); b2c: 52 weeks ending 2011-12-09 (all others) */
  range: keyof typeof AS_OF;
  /** the breakdown, or undefined where the KPI's entities share none of the preferred ones */
  by: string | undefined;
  /** first instant of the first week, ISO */
  start: string;
}

/** A KPI value with its metrics, as both sides report it. */
export interface Point {
  v: number | null;
  m: Record<string, number | null>;
}
/** Per KPI, per week: the total and the breakdown by dimension value. */
export type Values = Record<string, { total: Point; by: Record<string, Point> }[]>;
