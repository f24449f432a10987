import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import { PrismaClient as PgPrismaClient } from './generated/pg/client.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { redactUrl } from '../lib/redact-url.ts';
import { sqliteClient, pgClient, type Dialect, type SqlClient } from './sql-client.ts';
import { guardPrisma, guardSql } from './guard-storage.ts';

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
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url.startsWith('file:')) return openSqlite(url.slice('file:'.length), options.create ?? true);
  throw new CrmPulseError('config', `[store] unsupported DATABASE_URL '${redactUrl(url)}'`, {
    hint: "use 'file:./data/crm-pulse.db' for SQLite or 'postgres://user@host:5432/db' for PostgreSQL",
  });
}

async function openSqlite(path: string, create: boolean): Promise<Database> {
  const file = resolve(path);
  if (!create && !existsSync(file)) {
    throw new CrmPulseError('usage', `[store] no database at ${file}${existsSync(dirname(file)) ? '' : ' (its folder does not exist either)'}; this command only reads, so it creates none`, {
      hint: 'check DATABASE_URL, or load data first: crm-pulse ingest --demo (or npm start)',
    });
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    // The busy timeout is set when the connection opens, before anything that takes a lock: two
    // processes creating the same database at once would otherwise fail with SQLITE_BUSY.
    const raw = new Sqlite(file, { timeout: 10000 });
    // WAL lets the Prisma connection read while the bulk loader writes through this one.
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('wal_autocheckpoint = 8192');
    const prisma = new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10000 }) });
    return {
      dialect: 'sqlite',
      prisma,
      sql: sqliteClient(raw),
      displayUrl: `file:${path}`,
      sqliteFile: file,
      async close() {
        await prisma.$disconnect();
        raw.close();
      },
    };
  } catch (error) {
    throw new CrmPulseError('storage', `[store] cannot open SQLite database ${file}: ${(error as Error).message}`, {
      hint: 'check that the folder is writable, or set DATABASE_URL',
      cause: error,
    });
  }
}

// Timestamps are stored as UTC wall time in `timestamp(3)` columns (Prisma's default), so they
// are parsed as UTC here whatever the process time zone is; counts and sums come back as numbers.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1114) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: pgTypes, connectionTimeoutMillis: 5000 });
  // An idle connection that drops (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CrmPulseError('storage', `[store] cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
      hint: 'check that the server is running and DATABASE_URL is right',
      retryable: true,
      cause: error,
    });
  }
  // A server that goes away later surfaces as a retryable storage error, and both pools make new
  // connections when it is back, so the bot recovers without a restart.
  const displayUrl = redactUrl(url);
  const prisma = guardPrisma(new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5000 }) }), displayUrl) as unknown as Prisma;
  return {
    dialect: 'postgres',
    prisma,
    sql: guardSql(pgClient(pool), displayUrl),
    displayUrl,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
