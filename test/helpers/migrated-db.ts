// The temp-database setup most store-backed suites share: create a database of its own, open it,
// apply every migration; afterwards close the connection and drop the database.
import { migrate } from '../../src/store/migrate.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { tempSqlite, type TestDatabase } from './databases.ts';

/** A test's own migrated database: its URL, an open connection, and `close()` that closes and drops it. */
export interface MigratedDb extends TestDatabase {
  readonly db: Database;
  /** Closes the connection, then drops the database (the SQLite folder, or the PostgreSQL database). */
  close(): Promise<void>;
}

/**
 * A new database with every migration applied and a connection open to it: SQLite by default, or
 * whatever `create` makes (`tempPostgres`, or an `ENGINES` entry's `create`). If migrating fails,
 * the connection is closed and the database dropped before the error is thrown.
 * @example const test = await migratedDb(); … await test.close();
 */
export async function migratedDb(create: () => TestDatabase | Promise<TestDatabase> = tempSqlite): Promise<MigratedDb> {
  const test = await create();
  const db = await openDatabase(test.url);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    await test.drop();
    throw error;
  }
  return {
    url: test.url,
    db,
    drop: () => test.drop(),
    async close() {
      await db.close();
      await test.drop();
    },
  };
}
