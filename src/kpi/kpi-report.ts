import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { evaluateKpi, type KpiValue } from './evaluate-kpi.ts';
import { lastPeriods, periodsBetween, previousPeriod, samePeriodLastYear } from './periods.ts';
import { rfmAssignments } from './rfm.ts';
import { saveCustomerSegments } from '../store/customer-segments.ts';

/** One period of a KPI report, with its comparisons. */
export interface KpiReportRow {
  readonly period: Period;
  readonly current: KpiValue;
  readonly previous: KpiValue & { readonly period: Period };
  readonly lastYear: KpiValue & { readonly period: Period };
  /** current − previous, when both have values */
  readonly change: number | null;
  /** current − same period last year, when both have values */
  readonly changeYoY: number | null;
}

/** What to report on. */
export interface KpiReportRequest {
  readonly grain: Grain;
  readonly asOf: Date;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** periods up to as-of when no range is given */
  readonly count?: number | undefined;
  readonly by?: string | undefined;
}

/** A KPI report: one row per period, and for the latest period the breakdown, if asked. */
export interface KpiReport {
  readonly kpi: KpiDefinition;
  readonly rows: readonly KpiReportRow[];
  readonly by?: string;
  readonly breakdown?: readonly (KpiValue & { readonly key: string; readonly previous: number | null })[];
}

/**
 * The KPI over a range of periods with each period's previous period and the same period last
 * year, all evaluated in one pass, plus the breakdown of the latest period by a dimension.
 * @example await kpiReport(db, registry.get('win_rate'), { grain: 'month', asOf }, cal)
 */
export async function kpiReport(db: Database, kpi: KpiDefinition, request: KpiReportRequest, cal: Calendar): Promise<KpiReport> {
  const periods =
    request.from !== undefined
      ? periodsBetween(request.from, request.to ?? request.asOf, request.grain, cal)
      : lastPeriods(request.asOf, request.grain, request.count ?? 6, cal);
  // Every period needed once: the range, their previous periods and the year-earlier ones.
  const needed = new Map<string, Period>();
  for (const p of periods) for (const q of [p, previousPeriod(p, cal), samePeriodLastYear(p, cal)]) needed.set(q.label, q);
  const all = [...needed.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
  const series = await evaluateKpi(db, kpi, all, cal);
  const at = new Map(series.points.map((p) => [p.period.label, p]));
  const rows = periods.map((period) => {
    const current = at.get(period.label)!;
    const previous = at.get(previousPeriod(period, cal).label)!;
    const lastYear = at.get(samePeriodLastYear(period, cal).label)!;
    return {
      period,
      current,
      previous,
      lastYear,
      change: diff(current.value, previous.value),
      changeYoY: diff(current.value, lastYear.value),
    };
  });
  if (request.by === undefined || periods.length === 0) return { kpi, rows };
  const latest = periods.at(-1)!;
  // Segments are a snapshot: customers are segmented as of the report's date, then joined.
  if (request.by === 'segment') await saveCustomerSegments(db, await rfmAssignments(db, { asOf: request.asOf }), request.asOf);
  const split = await evaluateKpi(db, kpi, [previousPeriod(latest, cal), latest], cal, { by: request.by });
  const before = new Map((split.points[0]?.breakdown ?? []).map((b) => [b.key, b.value]));
  const breakdown = rankBreakdown((split.points[1]?.breakdown ?? []).map((b) => ({ ...b, previous: before.get(b.key) ?? null })));
  return { kpi, rows, by: request.by, breakdown };
}

/**
 * A breakdown in the order people should read it: by volume (n, largest first) for a KPI with a
 * sample size, else by value, which for sums and counts is each one's contribution. A raw rate
 * would put three customers at 100% above three thousand at 45% (issue 14).
 */
export function rankBreakdown<T extends KpiValue & { readonly key: string }>(items: readonly T[]): T[] {
  const volume = (b: T) => (b.n === undefined ? (b.value ?? -Infinity) : (b.n ?? -Infinity));
  return [...items].sort((a, b) => volume(b) - volume(a) || (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.key.localeCompare(b.key));
}

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}
