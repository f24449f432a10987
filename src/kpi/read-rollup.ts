// Reading a metric from its rollup (issue 18, part 2): a period of whole local days is the sum of
// its days' rows. Any request the rollup cannot answer exactly (a period that starts or ends
// inside a day, an as-of cut that would hide a stored date, a metric that does not add up) is
// answered from raw rows by the caller, as before.
import type { MetricDefinition } from '../domain/kpi.ts';
import type { Calendar } from '../domain/period.ts';
import { dataVersions, type DataVersion } from '../store/data-versions.ts';
import type { Database } from '../store/open-database.ts';
import type { SqlParam } from '../store/sql-client.ts';
import type { MetricRange } from './compile-metric.ts';
import { periodContaining } from './periods.ts';
import { refreshRollup } from './refresh-rollup.ts';
import { rollupSpec } from './rollup-spec.ts';

/** A metric's values by range index and dimension value, as evaluateKpi reads them. */
export type RolledValues = Map<number, Map<string, number | null>>;

/**
 * The metric's values over `ranges` from its rollup, brought up to date first; undefined when a
 * rollup cannot serve this request exactly, so that the caller reads raw rows. `readVersions`
 * lets one evaluation read the data versions once for all its metrics.
 * @example await readRollup(db, metric, 'owner', cal, ranges, undefined)
 */
export async function readRollup(
  db: Database,
  metric: MetricDefinition,
  by: string | undefined,
  cal: Calendar,
  ranges: readonly MetricRange[],
  cut: Date | undefined,
  readVersions: () => Promise<Map<string, DataVersion>> = () => dataVersions(db),
): Promise<RolledValues | undefined> {
  const spec = rollupSpec(metric, by, cal, db.dialect);
  if (spec === undefined) return undefined;
  const versions = await readVersions();
  const hi = versions.get(spec.entity)?.hi;
  const days: [number, string, string][] = [];
  for (const r of ranges) {
    // A period cut inside a day after the data's last date (a tick's running period) reads as its whole day: no record lies after the cut.
    const s = localMidnight(r.start, cal, false);
    const e = localMidnight(r.end, cal, hi === undefined || hi < r.end);
    if (s === undefined || e === undefined) return undefined;
    days.push([r.i, s, e]);
  }
  if (cut !== undefined && !cutHidesNothing(versions, spec.tables, cut)) return undefined;
  if ((await refreshRollup(db, spec, { versions })) === undefined) return undefined;
  const text = db.dialect === 'postgres' ? '::text' : '';
  const params: SqlParam[] = days.flat();
  const sql = `WITH per(i, s, e) AS (VALUES ${days.map(() => `(?${db.dialect === 'postgres' ? '::int' : ''}, ?${text}, ?${text})`).join(', ')})
SELECT per.i AS i, r."d" AS d, sum(r."v") AS v, sum(r."n") AS n FROM per JOIN "kpi_rollups" r ON r."key" = ? AND r."day" >= per.s AND r."day" < per.e
GROUP BY per.i, r."d"`;
  const rows = await db.sql.all<{ i: number | string; d: string; v: number | string | null; n: number | string | null }>(sql, [...params, spec.key]);
  const out: RolledValues = new Map();
  for (const r of rows) {
    const i = Number(r.i);
    let m = out.get(i);
    if (!m) out.set(i, (m = new Map()));
    const v = r.v === null ? null : Number(r.v);
    // An average is the days' sum over the days' count of values; none when no value was filled.
    m.set(String(r.d), spec.aggregate !== 'avg' ? v : Number(r.n) === 0 || v === null ? null : v / Number(r.n));
  }
  return out;
}

/**
 * The label of the local day starting at `at`, or undefined when `at` is not a local midnight;
 * with `roundUp`, an instant inside a day stands for the next day's start.
 */
function localMidnight(at: Date, cal: Calendar, roundUp: boolean): string | undefined {
  const day = periodContaining(at, 'day', cal);
  if (day.start.getTime() === at.getTime()) return day.label;
  return roundUp ? periodContaining(day.end, 'day', cal).label : undefined;
}

/**
 * Whether an as-of cut hides nothing a rollup holds: every date ever written to the tables is
 * before it, so the masks of later events (a deal closed after the cut) change no value.
 */
function cutHidesNothing(versions: Map<string, DataVersion>, tables: readonly string[], cut: Date): boolean {
  return tables.every((t) => {
    const hi = versions.get(t)?.hi;
    return hi === undefined || (!Number.isNaN(hi.getTime()) && hi < cut);
  });
}
