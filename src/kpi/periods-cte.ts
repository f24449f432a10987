// The periods a compiled metric is evaluated over, as the WITH clause of its query
// (compile-metric.ts), and the RFM segments a breakdown by segment joins.
import { dbValue } from '../store/record-writer.ts';
import type { Dialect, SqlParam } from '../store/sql-client.ts';
import type { MetricRange, SegmentOf } from './compile-metric.ts';

const DAY_MS = 86_400_000;

/**
 * `WITH per(i, s, e, ps, pe, ce) AS (VALUES …)`: the requested periods as bound parameters (ce: the
 * end or the as-of cut, whichever is first), and with an as-of cut `cut(c)`, the first instant left
 * out, which the masks of later events read. With `dayKeys`, `per(i, s, e, ps, pe, ce, k)` holds a period once per UTC date k it overlaps (a local day:
 * one to three), which the records' own UTC date (utcDate) is joined on.
 */
export function periodsCte(ranges: readonly MetricRange[], dialect: Dialect, cut: Date | undefined, dayKeys: boolean): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const cast = (t: string) => (dialect === 'postgres' ? `::${t}` : '');
  const row = `(?${cast('int')}, ?${cast('timestamp')}, ?${cast('timestamp')}, ?${cast('timestamp')}, ?${cast('timestamp')}, ?${cast('timestamp')}${dayKeys ? `, ?${cast('date')}` : ''})`;
  const rows = ranges.flatMap((r) =>
    (dayKeys ? utcDates(r.start, r.end) : [undefined]).map((k) => {
      const cutEnd = cut !== undefined && cut < r.end ? cut : r.end;
      params.push(r.i, ...[r.start, r.end, r.prevStart ?? r.start, r.prevEnd ?? r.start, cutEnd].map((d) => dbValue(dialect, d)));
      if (k !== undefined) params.push(k);
      return row;
    }),
  );
  if (cut !== undefined) params.push(dbValue(dialect, cut));
  const cutSql = cut === undefined ? '' : `, cut(c) AS (VALUES (?${cast('timestamp')}))`;
  return { sql: `WITH per(i, s, e, ps, pe, ce${dayKeys ? ', k' : ''}) AS (VALUES ${rows.join(', ')})${cutSql}`, params };
}

/** The UTC dates (YYYY-MM-DD) that [start, end) overlaps. */
function utcDates(start: Date, end: Date): string[] {
  const out: string[] = [];
  for (let t = Math.floor(start.getTime() / DAY_MS) * DAY_MS; t < end.getTime(); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * A stored time's UTC date, in the form of utcDates: SQLite holds times as text that starts with
 * it (record-writer.ts: sqliteDate), PostgreSQL as timestamp(3) in UTC wall time.
 */
export function utcDate(time: string, dialect: Dialect): string {
  return dialect === 'postgres' ? `CAST(${time} AS date)` : `substr(${time}, 1, 10)`;
}

/**
 * Adds the customers' segments to the WITH clause as `cs(customer_id, segment)`, read from one
 * JSON parameter: a breakdown by segment joins them without the query writing anything, and any
 * number of customers fits in one bound parameter on both engines.
 */
export function segmentsCte(per: { sql: string; params: SqlParam[] }, segments: readonly SegmentOf[] | undefined, dialect: Dialect, where: string): void {
  // A caller bug, not a user's: evaluateKpi always passes the segments with by segment.
  if (segments === undefined) throw new Error(`[kpi] ${where}: a breakdown by segment needs the customers' segments`);
  const rows =
    dialect === 'postgres'
      ? `SELECT (x->>0)::int, x->>1 FROM json_array_elements(?::json) x`
      : // Typed, so that SQLite builds an automatic index on the join instead of scanning per record.
        `SELECT CAST(json_extract(value, '$[0]') AS INTEGER), CAST(json_extract(value, '$[1]') AS TEXT) FROM json_each(?)`;
  per.sql += `, cs("customer_id", "segment") AS (${rows})`;
  per.params.push(JSON.stringify(segments.map((s) => [s.customerId, s.segment])));
}
