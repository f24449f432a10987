// The SQLite side of openDatabase: better-sqlite3 for raw SQL and bulk loads, Prisma through its
// better-sqlite3 adapter for records. Imported only when DATABASE_URL is a `file:` URL.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { sqliteClient } from './sql-client.ts';
import type { Database } from './open-database.ts';

/** Opens (and, when `create`, creates) the SQLite database file at `path`. */
export async function openSqlite(path: string, create: boolean): Promise<Database> {
  const file = resolve(path);
  if (!create && !existsSync(file)) {
    throw new CrmPulseError(
      'usage',
      `[store] no database at ${file}${existsSync(dirname(file)) ? '' : ' (its folder does not exist either)'}; this command only reads, so it creates none`,
      {
        hint: 'check DATABASE_URL, or load data first: crm-pulse ingest --demo (or npm start)',
      },
    );
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
