// The database the SQLite reader tests read: a migrated temp SQLite file with one source, opened
// before the file's tests and dropped after them.
import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

/** A read that keeps SQLite busy for a while: counting to two million. */
export const SLOW = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT max(x) AS n FROM c';

/** Registers the file's database; read `db` and `url` inside tests, once beforeAll has run. */
export function readerDatabase(): { readonly db: Database; readonly url: string } {
  let test: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    test = tempSqlite();
    db = await openDatabase(test.url);
    await migrate(db);
    await db.sql.run(`INSERT INTO "sources" ("key", "kind", "name") VALUES (?, ?, ?)`, ['crm', 'csv', 'CRM']);
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });
  return {
    get db() {
      return db!;
    },
    get url() {
      return test!.url;
    },
  };
}
