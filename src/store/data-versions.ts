// Every write to a record table bumps its entity's data version in the same transaction: triggers
// of migration 0009 (one per row on SQLite, one per statement on PostgreSQL) keep
// data_versions and data_changes, whatever path wrote (sync, CSV import, a source's removal).
import type { Database } from './open-database.ts';

/** One record table's data version and the span of every date value ever written to it. */
export interface DataVersion {
  /** grows with every committed change to the table */
  readonly version: number;
  /** the earliest date value ever written to any date field of the table (undefined: none) */
  readonly lo?: Date;
  /** the latest date value ever written to any date field of the table (undefined: none) */
  readonly hi?: Date;
}

/** The start of time: a change whose record holds no date counts as before every period. */
export const BEFORE_ALL = new Date(-8.64e15);

/**
 * The data version of every record table, in one query.
 * @example (await dataVersions(db)).get('deals') // { version: 8812, lo: 2016-10-20…, hi: 2017-12-31… }
 */
export async function dataVersions(db: Database): Promise<Map<string, DataVersion>> {
  const rows = await db.sql.all<{ entity: string; version: number | string | bigint; lo: string | Date | null; hi: string | Date | null }>(
    'SELECT "entity", "version", "lo", "hi" FROM "data_versions"',
  );
  return new Map(
    rows.map((r) => [r.entity, { version: Number(r.version), ...(r.lo === null ? {} : { lo: asDate(r.lo) }), ...(r.hi === null ? {} : { hi: asDate(r.hi) }) }]),
  );
}

/**
 * The earliest day (UTC midnight) that a change to `entity` after `version` touched: the earliest
 * date the changed record held before or after the change. BEFORE_ALL when a changed record held no
 * date; undefined when nothing changed after `version`.
 * @example await changedSince(db, 'deals', 8800) // 2017-03-02T00:00:00.000Z: a deal of March was synced late
 */
export async function changedSince(db: Database, entity: string, version: number): Promise<Date | undefined> {
  const rows = await db.sql.all<{ day: string | null }>('SELECT min("day") AS "day" FROM "data_changes" WHERE "entity" = ? AND "version" > ?', [
    entity,
    version,
  ]);
  const day = rows[0]?.day ?? null;
  if (day === null) return undefined;
  if (day === '0000-00-00') return BEFORE_ALL;
  const at = new Date(`${day}T00:00:00.000Z`);
  // A date stored in another form than ISO text cannot be placed: it counts as before everything.
  return Number.isNaN(at.getTime()) ? BEFORE_ALL : at;
}

function asDate(v: string | Date): Date {
  return v instanceof Date ? v : new Date(v);
}
