// Opens the database a DATABASE_URL names. The engine-specific code lives in open-sqlite.ts and
// open-postgres.ts and is imported on demand, so a process loads one database adapter, not both.
import type { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { redactUrl } from '../lib/redact-url.ts';
import type { Dialect, SqlClient } from './sql-client.ts';

/**
 * The Prisma client type. Both generated clients come from the same models, so they share one
 * shape; the SQLite one names it.
 */
export type Prisma = SqlitePrismaClient;

/** An open database: Prisma for records, raw SQL for bulk loads and aggregates. */
export interface Database {
  readonly dialect: Dialect;
  readonly prisma: Prisma;
  readonly sql: SqlClient;
  /** the URL with any password hidden, safe to print */
  readonly displayUrl: string;
  /** the SQLite file, for connections of the store's own (the bulk write thread) */
  readonly sqliteFile?: string;
  close(): Promise<void>;
}

/** How a database is opened. */
export interface OpenOptions {
  /** false for commands that only read: a SQLite file (or its folder) that does not exist is an error, not created */
  readonly create?: boolean;
}

/**
 * Opens the database named by `url`: `file:<path>` for SQLite (the parent folder is created),
 * `postgres://…` for PostgreSQL.
 * @example const db = await openDatabase('file:./data/crm-pulse.db');
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  // Each engine's driver, Prisma adapter and generated client load only when a URL names it: a
  // SQLite process never loads pg and its Prisma client, nor a PostgreSQL one better-sqlite3's.
  if (/^postgres(ql)?:\/\//.test(url)) return (await import('./open-postgres.ts')).openPostgres(url);
  if (url.startsWith('file:')) return (await import('./open-sqlite.ts')).openSqlite(url.slice('file:'.length), options.create ?? true);
  throw new CrmPulseError('config', `[store] unsupported DATABASE_URL '${redactUrl(url)}'`, {
    hint: "use 'file:./data/crm-pulse.db' for SQLite or 'postgres://user@host:5432/db' for PostgreSQL",
  });
}
