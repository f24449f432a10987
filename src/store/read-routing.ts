import type { Database } from './open-database.ts';
import { routedReads, sqliteReader, type ReaderOptions, type SqliteReader } from './sqlite-reader.ts';

/** A database whose SQLite reads can move to a reader thread, and what identifies its data. */
export interface ReadRouting {
  /** the database the app's services use: reads go to the reader thread once offload() ran */
  readonly db: Database;
  /** SQLite: reads outside transactions go to a reader thread from now on (the bot); PostgreSQL is async already */
  offload(options?: ReaderOptions): void;
  /**
   * A token that changes whenever anything is committed to the database (records, targets, alert
   * state; from this process or another); undefined when the engine gives none (SQLite before
   * offload(), a PostgreSQL standby).
   */
  dataVersion(): Promise<string | undefined>;
}

/**
 * Wraps an open database so that the bot can move its SQLite reads off the main thread, and tells
 * the data's version: SQLite's `PRAGMA data_version` on the reader's own connection (which never
 * writes, so every commit by anyone else changes it), PostgreSQL's WAL insert position (every
 * committed change advances it).
 * @example const reads = readRouting(await openDatabase(url)); reads.offload(); await reads.dataVersion();
 */
export function readRouting(opened: Database): ReadRouting {
  if (opened.dialect === 'postgres' || opened.sqliteFile === undefined) {
    return {
      db: opened,
      offload() {},
      async dataVersion() {
        try {
          const [row] = await opened.sql.all<{ v: string }>('SELECT pg_current_wal_lsn()::text AS v');
          return row ? `pg:${row.v}` : undefined;
        } catch {
          return undefined;
        }
      },
    };
  }
  const file = opened.sqliteFile;
  let reader: SqliteReader | undefined;
  const db: Database = {
    dialect: opened.dialect,
    prisma: opened.prisma,
    sql: routedReads(opened.sql, () => reader),
    displayUrl: opened.displayUrl,
    sqliteFile: file,
    async close() {
      const r = reader;
      reader = undefined;
      await r?.close();
      await opened.close();
    },
  };
  return {
    db,
    offload(options) {
      reader ??= sqliteReader(file, options);
    },
    async dataVersion() {
      return reader?.dataVersion();
    },
  };
}
