import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { DATA_ONLY_FROM, evaluateKpi, type KpiValue } from './evaluate-kpi.ts';
import type { KpiCacheView } from './kpi-cache.ts';
import { metricCoverage, dataEndBefore } from './metric-coverage.ts';
import { lastPeriods, periodContaining, periodsBetween, previousPeriod, samePeriodLastYear } from './periods.ts';

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
  /** the as-of instant: records after it are left out everywhere, and the period holding it is "to date" */
  readonly asOf: Date;
  /** one period asked for by its dates (see rangePeriod): the report is that period alone */
  readonly range?: Period | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** periods up to as-of when no range is given */
  readonly count?: number | undefined;
  readonly by?: string | undefined;
  /**
   * when the KPI's data ends before the period holding `asOf` starts, judge it where its data
   * ends instead (the report's `dataEnd` says so), so that a clock past the data still shows values
   */
  readonly atDataEnd?: boolean | undefined;
}

/** A KPI report: one row per period, and for the latest period the breakdown, if asked. */
export interface KpiReport {
  readonly kpi: KpiDefinition;
  readonly rows: readonly KpiReportRow[];
  readonly by?: string;
  readonly breakdown?: readonly (KpiValue & { readonly key: string; readonly previous: number | null })[];
  /** set when the report was moved to the end of the KPI's data (see atDataEnd): the as-of instant used */
  readonly dataEnd?: Date;
}

/**
 * The KPI over a range of periods with each period's previous period and the same period last
 * year, all evaluated in one pass, plus the breakdown of the latest period by a dimension.
 * Records after `asOf` are left out; the period holding `asOf` is to date, and is compared with
 * its previous period and last year's cut at the same offset (month to date against the previous
 * month to the same day).
 * @example await kpiReport(db, registry.get('win_rate'), { grain: 'month', asOf }, cal)
 */
export async function kpiReport(
  db: Database,
  kpi: KpiDefinition,
  request: KpiReportRequest,
  cal: Calendar,
  options: { cache?: KpiCacheView } = {},
): Promise<KpiReport> {
  // With the app's KPI cache, unchanged ranges are reused and its rollups setting applies.
  const cached = options.cache ? { cache: options.cache } : {};
  const end = request.atDataEnd ? await dataEndBefore(db, kpi, request.asOf, request.grain, cal) : undefined;
  const asOf = end ?? request.asOf;
  const periods =
    request.range !== undefined
      ? [request.range]
      : request.from !== undefined
        ? periodsBetween(request.from, request.to ?? new Date(asOf.getTime() + 1), request.grain, cal)
        : lastPeriods(asOf, request.grain, request.count ?? 6, cal);
  const comparisons = (p: Period) => {
    const [previous, lastYear] = [previousPeriod(p, cal), samePeriodLastYear(p, cal)];
    const offset = toDateOffset(p, asOf, cal);
    if (offset === undefined) return { previous, lastYear };
    return { previous: cutAt(previous, offset), lastYear: cutAt(lastYear, offset) };
  };
  // Every period needed once: the range, their previous periods and the year-earlier ones.
  const key = (p: Period) => `${p.label}|${p.end.getTime()}`;
  const needed = new Map<string, Period>();
  for (const p of periods) {
    const c = comparisons(p);
    for (const q of [p, c.previous, c.lastYear]) needed.set(key(q), q);
  }
  const all = [...needed.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
  const series = await evaluateKpi(db, kpi, all, cal, { asOf, ...cached });
  const at = new Map(series.points.map((p, i) => [key(all[i]!), p]));
  const rows = periods.map((period) => {
    const c = comparisons(period);
    const current = at.get(key(period))!;
    const previous = likeForLike(current, at.get(key(c.previous))!, cal);
    const lastYear = likeForLike(current, at.get(key(c.lastYear))!, cal);
    return {
      period,
      current,
      previous,
      lastYear,
      change: diff(current.value, previous.value),
      changeYoY: diff(current.value, lastYear.value),
    };
  });
  const moved = end === undefined ? {} : { dataEnd: end };
  if (request.by === undefined || periods.length === 0) return { kpi, rows, ...moved };
  const latest = periods.at(-1)!;
  const split = await evaluateKpi(db, kpi, [comparisons(latest).previous, latest], cal, { by: request.by, asOf, ...cached });
  const before = new Map((split.points[0]?.breakdown ?? []).map((b) => [b.key, b.value]));
  const breakdown = rankBreakdown((split.points[1]?.breakdown ?? []).map((b) => ({ ...b, previous: before.get(b.key) ?? null })));
  return { kpi, rows, by: request.by, breakdown, ...moved };
}

/**
 * A compared period that the data covers only from partway through, against one it covers
 * whole, is not like for like (a range or year that starts before the data): it has no value.
 */
function likeForLike<T extends KpiValue>(current: KpiValue, compared: T, cal: Calendar): T {
  if (compared.dataFrom === undefined || current.dataFrom !== undefined || compared.value === null) return compared;
  return { ...compared, value: null, reason: `${DATA_ONLY_FROM} ${periodContaining(compared.dataFrom, 'day', cal).label}` };
}

/** How far into `p` the as-of instant falls, when `p` holds it: the period is to date. */
function toDateOffset(p: Period, asOf: Date, cal: Calendar): number | undefined {
  const cut = asOf.getTime() + 1;
  const end = p.range ? p.end : periodContaining(p.start, p.grain, cal).end;
  return cut > p.start.getTime() && cut < end.getTime() ? cut - p.start.getTime() : undefined;
}

/** `p` cut at the same offset from its start as the to-date period it is compared with. */
function cutAt(p: Period, offset: number): Period {
  return { ...p, end: new Date(Math.min(p.end.getTime(), p.start.getTime() + offset)) };
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
