// Keeping a rollup current (issue 18, part 2): before a rollup is read, its stored data versions
// are compared with the tables' own. A change to the entity's table refreshes the days from the
// earliest day the change log notes (one day earlier, for time zones) to the data's last date; a
// change to a joined table (owners, accounts, products, customers: what the dimension reads)
// rebuilds the rollup whole. Each day is computed by the KPI compiler over raw rows, one range per
// local day joined on the UTC dates it overlaps (one pass over the records for 1,000 days), and the
// days' rows are replaced in the same transaction that stores the new versions: a process killed
// before the commit (failpoint rollup:before-insert) leaves the rollup and its versions as they were.
import type { Period } from '../domain/period.ts';
import { failpoint } from '../lib/failpoint.ts';
import { BEFORE_ALL, changedSince, dataVersions, type DataVersion } from '../store/data-versions.ts';
import type { Database } from '../store/open-database.ts';
import { dbValue } from '../store/record-writer.ts';
import type { SqlClient, SqlParam } from '../store/sql-client.ts';
import { compileMetric, type MetricRange } from './compile-metric.ts';
import { periodContaining, periodsBetween } from './periods.ts';
import type { RollupSpec } from './rollup-spec.ts';

/** What one refresh did: the days recomputed and the rows written. */
export interface RefreshResult {
  readonly days: number;
  readonly rows: number;
  /** whether every day was recomputed (a new rollup, a joined table changed, or asked to) */
  readonly whole: boolean;
}

const DAY_MS = 86_400_000;
/** Days per compiled query: up to 3 rows of 7 bound parameters each (21,000), under SQLite's 32,766 and PostgreSQL's 65,535. */
const DAYS_PER_QUERY = 1000;
/** Rows per INSERT: 5 bound parameters each. */
const ROWS_PER_INSERT = 1000;

/** Refreshes of one process, one at a time: on SQLite a nested transaction would join another's. */
const queues = new WeakMap<Database, Promise<unknown>>();

/**
 * Brings the rollup up to the current data versions (`versions`, when the caller has just read
 * them), building it when it does not exist yet, or whole when `whole` is set. Undefined when the table holds a date that cannot be placed in a day,
 * so that the rollup cannot be trusted and the caller reads raw rows.
 * @example await refreshRollup(db, rollupSpec(metric, 'owner', cal, db.dialect)!)
 */
export async function refreshRollup(
  db: Database,
  spec: RollupSpec,
  options: { whole?: boolean; versions?: Map<string, DataVersion> } = {},
): Promise<RefreshResult | undefined> {
  const now = options.versions ?? (await dataVersions(db));
  if (!options.whole && current(await storedVersions(db.sql, spec.key), now, spec)) return { days: 0, rows: 0, whole: false };
  const run = (queues.get(db) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => db.sql.transaction((tx) => refreshIn({ ...db, sql: tx }, spec, options.whole)))
    .then((result) => {
      failpoint('rollup:after-commit');
      return result;
    });
  queues.set(db, run);
  return run;
}

/** The data versions a rollup was last brought to, or undefined when it was never built. */
export async function storedVersions(sql: SqlClient, key: string, lock = false): Promise<Record<string, number> | undefined> {
  const forUpdate = lock && sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const rows = await sql.all<{ versions: string }>(`SELECT "versions" FROM "kpi_rollup_keys" WHERE "key" = ?${forUpdate}`, [key]);
  return rows[0] === undefined ? undefined : (JSON.parse(rows[0].versions) as Record<string, number>);
}

function current(stored: Record<string, number> | undefined, now: Map<string, DataVersion>, spec: RollupSpec): boolean {
  return stored !== undefined && spec.tables.every((t) => stored[t] !== undefined && stored[t] === now.get(t)?.version);
}

/** The refresh inside its write transaction: the key row is re-read (locked on PostgreSQL), so a second replica finds it current. */
async function refreshIn(db: Database, spec: RollupSpec, whole: boolean | undefined): Promise<RefreshResult | undefined> {
  const now = new Date();
  await db.sql.run(
    'INSERT INTO "kpi_rollup_keys" ("key", "definition", "entity", "versions", "built_at") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("key") DO NOTHING',
    [spec.key, spec.definition, spec.entity, '{}', dbValue(db.dialect, now)],
  );
  const stored = await storedVersions(db.sql, spec.key, true);
  const versions = await dataVersions(db);
  if (!whole && current(stored, versions, spec)) return { days: 0, rows: 0, whole: false };
  const data = versions.get(spec.entity);
  if (data?.lo !== undefined && !(placeable(data.lo) && data.hi !== undefined && placeable(data.hi))) return undefined;
  const own = stored?.[spec.entity];
  const joinedMoved = spec.tables.some((t) => t !== spec.entity && stored?.[t] !== versions.get(t)?.version);
  const from = whole || own === undefined || joinedMoved ? BEFORE_ALL : await changedSince(db, spec.entity, own);
  let result: RefreshResult = { days: 0, rows: 0, whole: from === BEFORE_ALL };
  if (from !== undefined) {
    // The change log notes UTC days; a day earlier covers every local day the change can reach.
    const first = from === BEFORE_ALL ? undefined : periodContaining(new Date(from.getTime() - DAY_MS), 'day', spec.calendar);
    await db.sql.run(`DELETE FROM "kpi_rollups" WHERE "key" = ?${first ? ' AND "day" >= ?' : ''}`, first ? [spec.key, first.label] : [spec.key]);
    if (data?.lo !== undefined && data.hi !== undefined) {
      const start = first && first.start > data.lo ? first.start : data.lo;
      if (start <= data.hi) result = { ...(await fillDays(db, spec, start, periodContaining(data.hi, 'day', spec.calendar).end)), whole: result.whole };
    }
  }
  const kept = Object.fromEntries(spec.tables.map((t) => [t, versions.get(t)?.version ?? -1]));
  await db.sql.run('UPDATE "kpi_rollup_keys" SET "versions" = ?, "definition" = ?, "built_at" = ? WHERE "key" = ?', [
    JSON.stringify(kept),
    spec.definition,
    dbValue(db.dialect, now),
    spec.key,
  ]);
  return result;
}

/** Whether a date can be placed in a local day: periods exist for the years 1000–9999 (periods.ts). */
function placeable(d: Date): boolean {
  const year = d.getUTCFullYear();
  return year > 1000 && year < 9999;
}

/** Computes and inserts the rows of every local day overlapping [from, to), in chunks of days. */
async function fillDays(db: Database, spec: RollupSpec, from: Date, to: Date): Promise<Omit<RefreshResult, 'whole'>> {
  let days = 0;
  let rows = 0;
  for (let at = periodContaining(from, 'day', spec.calendar).start; at < to; ) {
    const chunk = periodsBetween(at, new Date(Math.min(to.getTime(), at.getTime() + DAYS_PER_QUERY * DAY_MS)), 'day', spec.calendar);
    const computed = await dayRows(db, spec, chunk);
    failpoint('rollup:before-insert');
    rows += await insertRows(db.sql, spec.key, computed);
    days += chunk.length;
    at = chunk[chunk.length - 1]!.end;
  }
  return { days, rows };
}

/**
 * The rollup's rows of these days, computed from raw rows: [day, d, v, n]. A day and dimension
 * value with records has a row even when every value is NULL, as the raw query has.
 */
export async function dayRows(db: Database, spec: RollupSpec, days: readonly Period[]): Promise<[string, string, number | null, number][]> {
  const ranges: MetricRange[] = days.map((p, i) => ({ i, start: p.start, end: p.end }));
  const run = async (metric: RollupSpec['daily']) => {
    const c = compileMetric(metric, ranges, { dialect: db.dialect, by: spec.by, where: `rollup ${spec.key}`, dayKeys: true });
    return db.sql.all<{ i: number | string; d: string; v: number | string | null }>(c.sql, c.params);
  };
  const values = await run(spec.daily);
  const filled = new Map<string, number>();
  if (spec.filled) for (const r of await run(spec.filled)) filled.set(`${Number(r.i)}|${String(r.d)}`, Number(r.v));
  return values.map((r) => {
    const v = r.v === null ? null : Number(r.v);
    const n = spec.aggregate === 'avg' ? (filled.get(`${Number(r.i)}|${String(r.d)}`) ?? 0) : spec.aggregate === 'count' ? (v ?? 0) : 0;
    return [days[Number(r.i)]!.label, String(r.d), v, n];
  });
}

async function insertRows(sql: SqlClient, key: string, rows: readonly [string, string, number | null, number][]): Promise<number> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const some = rows.slice(i, i + ROWS_PER_INSERT);
    const params: SqlParam[] = some.flatMap(([day, d, v, n]) => [key, day, d, v, n]);
    await sql.run(`INSERT INTO "kpi_rollups" ("key", "day", "d", "v", "n") VALUES ${some.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, params);
  }
  return rows.length;
}
