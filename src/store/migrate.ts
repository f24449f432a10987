import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CrmPulseError } from '../lib/errors.ts';
import type { Database } from './open-database.ts';
import type { SqlClient } from './sql-client.ts';

const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');
/** Key of the PostgreSQL advisory lock that serialises migrations across replicas. */
const PG_LOCK_KEY = 72_611_301;

/** One checked-in migration. */
interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/**
 * Applies the checked-in SQL migrations that the database has not seen, each in its own
 * transaction, and returns their names. Safe to run from several processes at once.
 * @example const applied = await migrate(db); // ['0001_init'] on a fresh database
 */
export async function migrate(db: Database): Promise<string[]> {
  const migrations = readMigrations(db.dialect === 'sqlite' ? 'sqlite' : 'pg');
  const create = `CREATE TABLE IF NOT EXISTS "_crm_pulse_migrations" (
    "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`;
  const applied: string[] = [];
  // Each migration runs in a transaction that first takes the engine's write lock (BEGIN
  // IMMEDIATE on SQLite, an advisory lock on PostgreSQL) and re-reads what was applied.
  for (const m of migrations) {
    const done = await db.sql.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(?)', [PG_LOCK_KEY]);
      await tx.exec(create);
      const rows = await tx.all<{ checksum: string }>('SELECT "checksum" FROM "_crm_pulse_migrations" WHERE "name" = ?', [m.name]);
      const row = rows[0];
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new CrmPulseError('storage', `[store] migration ${m.name} was changed after it was applied to this database`, {
            hint: 'never edit an applied migration; add a new one with npm run db:migrations',
          });
        }
        return false;
      }
      await apply(tx, m);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}

async function apply(tx: SqlClient, m: Migration): Promise<void> {
  try {
    await tx.exec(m.sql);
  } catch (error) {
    throw new CrmPulseError('storage', `[store] migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
  }
  await tx.run('INSERT INTO "_crm_pulse_migrations" ("name", "checksum", "applied_at") VALUES (?, ?, ?)', [m.name, m.checksum, new Date().toISOString()]);
}

function readMigrations(dir: 'sqlite' | 'pg'): Migration[] {
  const base = join(MIGRATIONS_DIR, dir);
  if (!existsSync(base)) throw new CrmPulseError('storage', `[store] no migrations folder at ${base}`);
  return readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'migration.sql')))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(base, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}
