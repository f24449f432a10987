import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/open-database.ts';
import { lastLease } from '../../src/store/job-leases.ts';
import { tempPostgres } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

const REPLICA = new URL('./fixtures/replica.ts', import.meta.url).pathname;

/** Runs one scheduler replica in its own Node process; resolves its exit code and outcomes. */
async function replica(env: Record<string, string>): Promise<{ code: number; outcomes: string[] }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', REPLICA], {
      env: { ...process.env, ...env },
      cwd: new URL('../..', import.meta.url).pathname,
    });
    return { code: 0, outcomes: JSON.parse(stdout.trim()) as string[] };
  } catch (error) {
    return { code: (error as { code: number }).code, outcomes: [] };
  }
}

describe('several replicas against one PostgreSQL', () => {
  let test: MigratedDb | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await test?.close();
  });
  const setup = async () => {
    test = await migratedDb(tempPostgres);
    db = test.db;
    await db.sql.exec('CREATE TABLE "replica_runs" ("id" SERIAL PRIMARY KEY, "tick" TEXT NOT NULL, "holder" TEXT NOT NULL, "what" TEXT NOT NULL)');
    return db;
  };
  const runs = async () =>
    await db!.sql.all<{ tick: string; holder: string; what: string }>('SELECT "tick", "holder", "what" FROM "replica_runs" ORDER BY "id"');

  it('run each tick exactly once when two processes fire the same ticks at the same time', async () => {
    const db = await setup();
    const ticks = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2024, 9, 27, 0, i)).toISOString());
    const [a, b] = await Promise.all([
      replica({ URL: test!.url, HOLDER: 'a', TICKS: ticks.join(',') }),
      replica({ URL: test!.url, HOLDER: 'b', TICKS: ticks.join(',') }),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const rows = await runs();
    expect(rows.map((r) => r.tick).sort()).toEqual(ticks);
    // Per tick, one process ran it and the other found it taken.
    for (let i = 0; i < ticks.length; i++) expect([a.outcomes[i], b.outcomes[i]].sort()).toEqual(['ran', 'taken']);
    expect(await lastLease(db, 'sync:crm')).toEqual({ tick: new Date(ticks.at(-1)!), done: true });
  });

  it('let another process take over a tick whose replica died mid-job, only once the lease has expired', async () => {
    await setup();
    const tick = '2024-03-31T01:00:00.000Z';
    const crashed = await replica({ URL: test!.url, HOLDER: 'a', TICKS: tick, CRASH: '1', LEASE_MS: '2000' });
    expect(crashed.code).toBe(3);
    // One second later the dead replica's lease still holds: the tick is not run twice at once.
    expect((await replica({ URL: test!.url, HOLDER: 'b', NOW: '2024-03-31T01:00:01.000Z', LEASE_MS: '2000' })).code).toBe(0);
    expect(await runs()).toEqual([{ tick, holder: 'a', what: 'started' }]);
    // After the expiry the catch-up on start takes it over and finishes it.
    expect((await replica({ URL: test!.url, HOLDER: 'c', NOW: '2024-03-31T01:00:03.000Z', LEASE_MS: '2000' })).code).toBe(0);
    expect(await runs()).toEqual([
      { tick, holder: 'a', what: 'started' },
      { tick, holder: 'c', what: 'ran' },
    ]);
    expect(await lastLease(db!, 'sync:crm')).toEqual({ tick: new Date(tick), done: true });
  });
});
