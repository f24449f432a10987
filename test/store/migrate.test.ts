import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { ENGINES, type TestDatabase } from '../helpers/databases.ts';

describe.each(ENGINES)('migrations on $engine', ({ create }) => {
  const open: Database[] = [];
  let test: TestDatabase | undefined;
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    await test?.drop();
  });

  it('apply once, then never again, even from two processes starting at the same moment', async () => {
    test = await create();
    const applied = await Promise.all([migrateInChild(test.url), migrateInChild(test.url)]);
    // Each migration is applied once, by whichever process takes its lock first.
    expect(applied.flat().sort()).toEqual([
      '0001_init',
      '0002_customer_segments',
      '0003_pipeline_index',
      '0004_alerts',
      '0005_kpi_targets_and_subscriptions',
      '0006_job_leases',
      '0007_digest_outbox',
      '0008_slack_native_refusals',
      '0009_data_versions',
      '0010_tick_items',
      '0011_deals_closed_at_index',
      '0012_kpi_rollups',
    ]);
    const a = await openDatabase(test.url);
    open.push(a);
    expect(await migrate(a)).toEqual([]);
    const tables = await a.sql.all<{ name: string }>(
      a.dialect === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.name)).toEqual([
      '_crm_pulse_migrations',
      'accounts',
      'alert_episodes',
      'alert_outbox',
      'alert_rule_versions',
      'alert_series',
      'alert_threads',
      'alert_ticks',
      'alert_transitions',
      'audit_log',
      'channel_subscriptions',
      'customer_segments',
      'customers',
      'data_changes',
      'data_versions',
      'deals',
      'digest_outbox',
      'job_leases',
      'kpi_rollup_keys',
      'kpi_rollups',
      'kpi_targets',
      'marketing_spend',
      'order_lines',
      'owners',
      'products',
      'rejected_rows',
      'silences',
      'slack_native_refusals',
      'sources',
      'survey_answers',
      'sync_cursors',
      'sync_runs',
      'tick_items',
      'tickets',
    ]);
  });

  it('refuse to run when an applied migration was edited', async () => {
    test = await create();
    const db = await openDatabase(test.url);
    open.push(db);
    await migrate(db);
    await db.sql.run(`UPDATE "_crm_pulse_migrations" SET "checksum" = 'edited' WHERE "name" = '0001_init'`);
    await expect(migrate(db)).rejects.toThrow(
      '[store] migration 0001_init was changed after it was applied to this database\n  fix: never edit an applied migration; add a new one with npm run db:migrations',
    );
  });
});

describe('opening a database', () => {
  it('explains an unsupported URL without showing its password', async () => {
    await expect(openDatabase('mysql://root:hunter2@localhost/crm')).rejects.toThrow("[store] unsupported DATABASE_URL 'mysql://root:***@localhost/crm'");
  });
  it('says PostgreSQL is unreachable, hides the password, and marks it retryable', async () => {
    const error = (await openDatabase('postgres://app:hunter2@127.0.0.1:1/crm').catch((e: unknown) => e)) as Error & { retryable: boolean };
    expect(error.message).toMatch(/^\[store\] cannot connect to PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/crm: /);
    expect(error.message).not.toContain('hunter2');
    expect(error.retryable).toBe(true);
  });
});

const MIGRATE = `
  const { openDatabase } = await import('./src/store/open-database.ts');
  const { migrate } = await import('./src/store/migrate.ts');
  const db = await openDatabase(process.env.URL);
  console.log(JSON.stringify(await migrate(db)));
  await db.close();`;

/** Runs the migrations in a separate Node process, as a second replica would. */
async function migrateInChild(url: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', MIGRATE], {
    env: { ...process.env, URL: url },
    cwd: new URL('../..', import.meta.url).pathname,
  });
  return JSON.parse(stdout.trim()) as string[];
}
