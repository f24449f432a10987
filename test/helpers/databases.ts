import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL server the suites use; CI and the dev machines have one on 127.0.0.1:5432. */
export const PG_ADMIN_URL = process.env.CRM_PULSE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database the test owns: its URL, and a function that removes it. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new SQLite file in a temporary folder. */
export function tempSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-test-'));
  return { url: `file:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A new, empty PostgreSQL database on the test server, so suites never see each other's rows.
 * Fails loudly when no server answers: the PostgreSQL suites are part of the definition of done.
 */
export async function tempPostgres(): Promise<TestDatabase> {
  const name = `crm_pulse_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(error as Error).message}). Start it (see .ci/run) or set CRM_PULSE_TEST_PG.`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Both engines, for `describe.each`: every store test runs on SQLite and on PostgreSQL. */
export const ENGINES = [
  { engine: 'sqlite', create: async () => tempSqlite() },
  { engine: 'postgres', create: tempPostgres },
] as const;
