import { CRM_OBJECTS, columnOf, type CrmObject, type FieldType, type StoredValue } from '../domain/crm-objects.ts';
import { Worker } from 'node:worker_threads';
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
  /**
   * Writes the batch in one transaction; resolves to how many rows were inserted or changed once
   * it is committed. The caller may prepare the next batch meanwhile, but awaits each write
   * before starting the next.
   */
  write(records: readonly ResolvedRecord[]): Promise<number>;
  /** How many rows of this object the source has now. */
  count(): Promise<number>;
  /**
   * Deletes the source's records with these external ids (archived or deleted in the CRM);
   * references to them become empty. Resolves to how many existed. Call between writes.
   */
  remove(externalIds: readonly string[]): Promise<number>;
  /** Releases what the writer holds (the SQLite write thread). */
  close(): Promise<void>;
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
  const updates = names
    .slice(2)
    .map((n) => `${n} = excluded.${n}`)
    .join(', ');
  const conflict = `ON CONFLICT ("source_id", "external_id") DO UPDATE SET ${updates} WHERE "${object}"."row_hash" <> excluded."row_hash"`;
  const count = async () => Number((await db.sql.all<{ n: number }>(`SELECT count(*) AS n FROM "${object}" WHERE "source_id" = ?`, [sourceId]))[0]?.n ?? 0);
  const remove = async (externalIds: readonly string[]) => {
    let n = 0;
    for (let i = 0; i < externalIds.length; i += 500) {
      const keys = externalIds.slice(i, i + 500);
      n += await db.sql.run(`DELETE FROM "${object}" WHERE "source_id" = ? AND "external_id" IN (${keys.map(() => '?').join(', ')})`, [sourceId, ...keys]);
    }
    return n;
  };

  if (db.dialect === 'sqlite') {
    const worker = sqliteWriteThread(db.sqliteFile!);
    const head = `INSERT INTO "${object}" (${names.join(', ')})`;
    return {
      count,
      remove,
      async write(records) {
        const params: SqlParam[] = [];
        for (const r of records) sqliteRow(params, sourceId, r, columns);
        return worker.run({ head, tail: conflict, width: names.length, rowsPerStatement: SQLITE_ROWS_PER_STATEMENT, params });
      },
      close: () => worker.close(),
    };
  }

  // PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per batch, a single round trip.
  const arrayTypes = ['int', 'text', 'text', ...columns.map((c) => PG_ARRAY_TYPE[c.type])];
  const sql = `INSERT INTO "${object}" (${names.join(', ')}) SELECT * FROM unnest(${arrayTypes.map((t) => `?::${t}[]`).join(', ')}) ${conflict}`;
  return {
    count,
    remove,
    async write(batch) {
      // PostgreSQL refuses to upsert one key twice in a statement; the later record wins, as it
      // would on SQLite.
      const records = uniqueByKey(batch);
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
    close: async () => undefined,
  };
}

/** A job for the SQLite write thread (see sqlite-write-worker.js). */
interface WriteJob {
  readonly head: string;
  readonly tail: string;
  readonly width: number;
  readonly rowsPerStatement: number;
  readonly params: SqlParam[];
}

/** Runs SQLite upserts on a worker thread with its own connection to `file`. */
function sqliteWriteThread(file: string) {
  const worker = new Worker(new URL('./sqlite-write-worker.js', import.meta.url), { workerData: { file } });
  const waiting = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; changed?: number; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(`[store] bulk write failed: ${m.error}`));
    else w?.resolve(m.changed ?? 0);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`[store] the SQLite write thread stopped (exit code ${code})`)));
  return {
    run(job: WriteJob): Promise<number> {
      if (job.params.length === 0) return Promise.resolve(0);
      const id = next++;
      return new Promise<number>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, ...job });
      });
    },
    async close() {
      await worker.terminate();
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

function uniqueByKey(records: readonly ResolvedRecord[]): readonly ResolvedRecord[] {
  const last = new Map<string, ResolvedRecord>();
  for (const r of records) last.set(r.externalId, r);
  return last.size === records.length ? records : [...last.values()];
}
