import { CRM_OBJECTS, columnOf, type CrmObject, type FieldType, type StoredValue } from '../domain/crm-objects.ts';
import type { Database } from './open-database.ts';
import type { SqlParam } from './sql-client.ts';

/** A canonical record whose references are resolved to row ids, ready to upsert. */
export interface ResolvedRecord {
  readonly externalId: string;
  readonly rowHash: string;
  /** field name → value; reference fields hold the referenced row's id */
  readonly values: Readonly<Record<string, StoredValue>>;
}

/** Upserts batches of one object's records for one source through the driver's fast path. */
export interface RecordWriter {
  /** Writes the batch in one transaction; returns how many rows were inserted or changed. */
  write(records: readonly ResolvedRecord[]): Promise<number>;
  /** How many rows of this object the source has now. */
  count(): Promise<number>;
}

interface Column {
  readonly field: string;
  readonly name: string;
  readonly type: FieldType | 'ref';
}

/**
 * Creates the bulk upsert path for `object` rows of source `sourceId`. A row whose row_hash is
 * unchanged is not rewritten, so re-importing the same data changes nothing.
 * @example await createRecordWriter(db, 'deals', 1).write(records)
 */
export function createRecordWriter(db: Database, object: CrmObject, sourceId: number): RecordWriter {
  const columns: Column[] = Object.entries(CRM_OBJECTS[object]).map(([field, spec]) => ({
    field,
    name: columnOf(field, spec),
    type: spec.ref ? 'ref' : spec.type,
  }));
  const names = ['source_id', 'external_id', 'row_hash', ...columns.map((c) => c.name)].map((n) => `"${n}"`);
  const updates = names.slice(2).map((n) => `${n} = excluded.${n}`).join(', ');
  const conflict = `ON CONFLICT ("source_id", "external_id") DO UPDATE SET ${updates} WHERE "${object}"."row_hash" <> excluded."row_hash"`;
  const count = async () =>
    Number((await db.sql.all<{ n: number }>(`SELECT count(*) AS n FROM "${object}" WHERE "source_id" = ?`, [sourceId]))[0]?.n ?? 0);

  if (db.dialect === 'sqlite') {
    // Many rows per statement: crossing from JS into SQLite per row costs more than the insert.
    const statement = (rows: number) =>
      `INSERT INTO "${object}" (${names.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${names.map(() => '?').join(', ')})`).join(', ')} ${conflict}`;
    const full = statement(SQLITE_ROWS_PER_STATEMENT);
    return {
      count,
      async write(records) {
        return db.sql.transaction(async (tx) => {
          let changed = 0;
          for (let i = 0; i < records.length; i += SQLITE_ROWS_PER_STATEMENT) {
            const chunk = records.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
            const params: SqlParam[] = [];
            for (const r of chunk) sqliteRow(params, sourceId, r, columns);
            changed += await tx.run(chunk.length === SQLITE_ROWS_PER_STATEMENT ? full : statement(chunk.length), params);
          }
          return changed;
        });
      },
    };
  }

  // PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per batch, a single round trip.
  const arrayTypes = ['int', 'text', 'text', ...columns.map((c) => PG_ARRAY_TYPE[c.type])];
  const sql = `INSERT INTO "${object}" (${names.join(', ')}) SELECT * FROM unnest(${arrayTypes
    .map((t) => `?::${t}[]`)
    .join(', ')}) ${conflict}`;
  return {
    count,
    async write(records) {
      if (records.length === 0) return 0;
      const arrays: unknown[][] = arrayTypes.map(() => new Array(records.length));
      records.forEach((r, i) => {
        arrays[0]![i] = sourceId;
        arrays[1]![i] = r.externalId;
        arrays[2]![i] = r.rowHash;
        columns.forEach((c, j) => (arrays[j + 3]![i] = pgValue(r.values[c.field] ?? null)));
      });
      return db.sql.run(sql, arrays as SqlParam[]);
    },
  };
}

const PG_ARRAY_TYPE: Record<FieldType | 'ref', string> = {
  string: 'text',
  int: 'int',
  number: 'float8',
  bool: 'bool',
  date: 'timestamp(3)',
  datetime: 'timestamp(3)',
  ref: 'int',
};

/** Rows per SQLite INSERT; 100 rows of 15 columns stay far below SQLite's 32,766 variables. */
const SQLITE_ROWS_PER_STATEMENT = 100;

function sqliteRow(out: SqlParam[], sourceId: number, r: ResolvedRecord, columns: readonly Column[]): void {
  out.push(sourceId, r.externalId, r.rowHash);
  for (const c of columns) out.push(sqliteValue(r.values[c.field] ?? null));
}

/** SQLite form of a value: dates as Prisma writes them, booleans as 0/1. */
export function sqliteValue(v: StoredValue): SqlParam {
  if (v instanceof Date) return sqliteDate(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** A date in the text form Prisma uses on SQLite, e.g. 2023-11-14T22:13:20.000+00:00. */
export function sqliteDate(d: Date): string {
  return `${d.toISOString().slice(0, 23)}+00:00`;
}

/** PostgreSQL form of a value: timestamp(3) columns hold UTC wall time, written without a zone. */
export function pgValue(v: StoredValue): string | number | boolean | null {
  if (v instanceof Date) return v.toISOString().slice(0, 23).replace('T', ' ');
  return v;
}

/** A value in the form the database's driver takes. */
export function dbValue(dialect: Database['dialect'], v: StoredValue): SqlParam {
  return dialect === 'sqlite' ? sqliteValue(v) : pgValue(v);
}
