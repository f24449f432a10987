// One database adapter a process: the compiled `crm-pulse status` (what a user runs) on SQLite
// never loads pg, its Prisma adapter or the PostgreSQL Prisma client, and on PostgreSQL never loads
// better-sqlite3 or its adapter, while still answering from the database it was given. The modules
// a process loads are recorded from inside it (fixtures/record-loads.mjs), so this sees ES modules
// and CommonJS alike. Needs the build (`npm test` runs it first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { tempPostgres, tempSqlite, type TestDatabase } from '../helpers/databases.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./fixtures/record-loads.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'crm-pulse-one-adapter-'));
const made: TestDatabase[] = [];
afterAll(async () => {
  for (const db of made) await db.drop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Package or project paths of the loaded modules that belong to either engine. */
const ENGINE_MODULES = {
  pg: [
    /node_modules\/pg\//,
    /node_modules\/pg-pool\//,
    /node_modules\/@prisma\/adapter-pg\//,
    /dist\/store\/generated\/pg\//,
    /dist\/store\/open-postgres\.js/,
  ],
  sqlite: [
    /node_modules\/better-sqlite3\//,
    /node_modules\/@prisma\/adapter-better-sqlite3\//,
    /dist\/store\/generated\/sqlite\//,
    /dist\/store\/open-sqlite\.js/,
  ],
};

/** Runs the compiled `crm-pulse status` on `url` and returns its exit code, output and the engine modules it loaded. */
function statusLoads(url: string, name: string) {
  const loads = join(scratch, `${name}.loads`);
  const run = spawnSync(process.execPath, ['--import', PRELOAD, join(ROOT, 'bin/crm-pulse.js'), 'status'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', CRM_PULSE_LOADS_FILE: loads },
  });
  const loaded = readFileSync(loads, 'utf8').split('\n');
  const of = (engine: keyof typeof ENGINE_MODULES) => loaded.filter((m) => ENGINE_MODULES[engine].some((p) => p.test(m)));
  return { code: run.status, out: run.stdout + run.stderr, pg: of('pg'), sqlite: of('sqlite') };
}

async function migrated(db: TestDatabase): Promise<TestDatabase> {
  made.push(db);
  const open = await openDatabase(db.url);
  await migrate(open);
  await open.close();
  return db;
}

describe('one database adapter a process', () => {
  it('a SQLite process never loads pg, its adapter or the PostgreSQL client', async () => {
    const db = await migrated(tempSqlite());
    const run = statusLoads(db.url, 'sqlite');
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(db.url.replace(/^file:/, ''));
    expect(run.sqlite.some((m) => m.includes('better-sqlite3'))).toBe(true);
    expect(run.pg).toEqual([]);
  });

  it('a PostgreSQL process loads pg and never better-sqlite3 or its adapter', async () => {
    const db = await migrated(await tempPostgres());
    const run = statusLoads(db.url, 'postgres');
    expect(run.code, run.out).toBe(0);
    expect(run.pg.some((m) => /node_modules\/pg\//.test(m))).toBe(true);
    expect(run.sqlite).toEqual([]);
  });
});
