// Two bot replicas, each its own Node process, share one evaluation tick on PostgreSQL: the tick's
// rules are split into work items (one per KPI and breakdown) that both take from. Every item must be
// done exactly once, and the notifications must be those of one replica doing the whole tick. A
// replica killed (SIGKILL) mid-item loses only that item, which the other takes over once its claim
// expires: 0 notifications lost, 0 posted twice.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { lastLease } from '../../src/store/job-leases.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { tempPostgres, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';
import { dealsCsv, SOURCE } from '../alerts/alert-fixture.ts';

const REPLICA = new URL('./fixtures/tick-replica.ts', import.meta.url).pathname;
const TICK = '2024-04-02T06:00:00.000Z';
const KPIS = ['won_revenue', 'win_rate', 'avg_deal_size', 'sales_cycle_days'];
const BYS = ['region', 'owner', ''];
/** 12 rules, each on its own KPI and breakdown: 12 work items. */
const RULES = KPIS.flatMap((kpi) =>
  BYS.map(
    (by) =>
      `    ${kpi}_${by || 'all'}:\n      kpi: ${kpi}\n      grain: month\n${by ? `      by: ${by}\n` : ''}      conditions:\n        - { type: change, drop: { warning: 10, critical: 50 } }\n`,
  ),
).join('');

/** The config of the replicas, with the given catch-up policy and a lease of `lease`. */
function config(catchUp: 'none' | 'latest', lease: string): string {
  return `${SOURCE}
schedules:
  evaluate: '0 6 * * *'
  deliver_every: 1h
  catch_up: ${catchUp}
  lease: ${lease}
alerts:
  channels: ['#alerts']
  routes:
    - { severity: critical, channels: ['#leads'] }
  owners: {}
  rules:
${RULES}`;
}

interface Replica {
  code: number | null;
  signal: string | null;
  holder?: string;
  outcome?: string;
  stderr: string;
}

/** Runs one replica process to its end. */
async function replica(env: Record<string, string>): Promise<Replica> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', REPLICA], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      cwd: new URL('../..', import.meta.url).pathname,
      maxBuffer: 16 << 20,
    });
    return { code: 0, signal: null, ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as { holder: string; outcome: string }), stderr };
  } catch (error) {
    const e = error as { code: number | null; signal: string | null; stderr: string };
    return { code: e.code, signal: e.signal, stderr: e.stderr };
  }
}

/** What a tick left behind, read back: its items, and the notifications with what they are about. */
async function tickState(db: Database) {
  const items = await db.sql.all<{ item: string; state: string; holder: string; epoch: number }>(
    `SELECT "item", "state", "holder", "epoch" FROM "tick_items" ORDER BY "id"`,
  );
  const outbox = await db.sql.all<{ line: string }>(
    `SELECT e."rule" || ' ' || e."series_key" || ' ' || o."event" || ' ' || o."channel" AS "line" FROM "alert_outbox" o JOIN "alert_episodes" e ON e."id" = o."episode_id" ORDER BY 1`,
  );
  const episodes = await db.sql.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "alert_episodes"`);
  const transitions = await db.sql.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "alert_transitions"`);
  const ticks = await db.sql.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "alert_ticks"`);
  return { items, outbox: outbox.map((o) => o.line), episodes: episodes[0]!.n, transitions: transitions[0]!.n, ticks: ticks[0]!.n };
}

describe('two replicas on one PostgreSQL share an evaluation tick', () => {
  let databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const d of databases) await d.drop();
    databases = [];
  });

  /** A PostgreSQL database with the fixture's CRM synced; returns its URL, the configs and the app. */
  const setup = async (lease: string) => {
    const database = await tempPostgres();
    databases.push(database);
    const dir = tempFiles({ 'owners.csv': 'id,name,office\nann,Ann,West\nbob,Bob,East\n', 'deals.csv': dealsCsv() });
    writeFileSync(join(dir, 'none.yaml'), config('none', lease));
    writeFileSync(join(dir, 'latest.yaml'), config('latest', lease));
    const app = await createApp(readEnv({ DATABASE_URL: database.url, CRM_PULSE_CONFIG: join(dir, 'none.yaml') }), silentLogger());
    const results = await app.ingest('crm');
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    return { url: database.url, none: join(dir, 'none.yaml'), latest: join(dir, 'latest.yaml'), app };
  };

  /** What one replica doing the whole tick writes (evaluateAlerts in one process), on a database of its own. */
  const oneReplica = async () => {
    const s = await setup('1m');
    try {
      await s.app.alerts.evaluate(new Date(TICK));
      return await tickState(s.app.db);
    } finally {
      await s.app.close();
    }
  };

  it("each replica takes items until none is left; every item is done once; the notifications are one replica's", async () => {
    const golden = await oneReplica();
    // From the CSV, March 2024 against February: West (Ann's office) won one deal of 40 after one of 100,
    // East (Bob) one of 100 both months. Won revenue and average deal size fall 60% for West and Ann
    // (critical: #alerts and #leads) and 30% in all (140 after 200, 70 after 100: warning); win rates
    // and sales cycles do not change.
    expect(golden.outbox).toEqual([
      'avg_deal_size_all  firing #alerts',
      'avg_deal_size_owner Ann firing #alerts',
      'avg_deal_size_owner Ann firing #leads',
      'avg_deal_size_region West firing #alerts',
      'avg_deal_size_region West firing #leads',
      'won_revenue_all  firing #alerts',
      'won_revenue_owner Ann firing #alerts',
      'won_revenue_owner Ann firing #leads',
      'won_revenue_region West firing #alerts',
      'won_revenue_region West firing #leads',
    ]);
    const s = await setup('1m');
    await s.app.close();
    const fireAt = String(Date.now() + 15_000);
    const [a, b] = await Promise.all([
      replica({ URL: s.url, CONFIG: s.none, TICK, FIRE_AT: fireAt, INSTANCE: 'bot-a' }),
      replica({ URL: s.url, CONFIG: s.none, TICK, FIRE_AT: fireAt, INSTANCE: 'bot-b' }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // One replica held the tick and ran it; the other helped with its items.
    expect([a.outcome, b.outcome].sort()).toEqual(['helped', 'ran']);
    const shared = await withDb(s.url, tickState);
    expect(shared.items).toHaveLength(12);
    expect(shared.items.every((i) => i.state === 'done' && i.epoch === 1)).toBe(true);
    const by = (holder: string | undefined) => shared.items.filter((i) => i.holder === holder).length;
    expect(by(a.holder)).toBeGreaterThan(0);
    expect(by(b.holder)).toBeGreaterThan(0);
    expect(by(a.holder) + by(b.holder)).toBe(12);
    expect({ ...shared, items: [] }).toEqual({ ...golden, items: [] });
  }, 90_000);

  it('a replica killed mid-item loses only that item: the other takes it over; 0 lost, 0 duplicate notifications', async () => {
    const golden = await oneReplica();
    const s = await setup('4s');
    await s.app.close();
    const now = Date.now();
    // bot-a fires first, so it holds the tick; it dies (SIGKILL) at its first item, after judging it, before the commit.
    const [a, b] = await Promise.all([
      replica({ URL: s.url, CONFIG: s.none, TICK, FIRE_AT: String(now + 15_000), INSTANCE: 'bot-a', CRM_PULSE_FAILPOINTS: 'tick-item:before-commit@1' }),
      replica({ URL: s.url, CONFIG: s.none, TICK, FIRE_AT: String(now + 15_500), INSTANCE: 'bot-b' }),
    ]);
    expect(a.signal).toBe('SIGKILL');
    expect(b.code).toBe(0);
    // bot-b did every other item, then the lost one once its claim expired (epoch 2).
    const state = await withDb(s.url, tickState);
    expect(state.items.filter((i) => i.epoch === 2).map((i) => i.holder)).toEqual([b.holder]);
    expect(state.items.every((i) => i.state === 'done' && i.holder === b.holder)).toBe(true);
    expect(b.outcome).toBe('helped');
    // The dead replica's tick lease expires; the next start catches the tick up and finishes it.
    // Its clock reads a minute after the tick: past the dead replica's lease, still the same day's tick.
    const c = await replica({ URL: s.url, CONFIG: s.latest, TICK, FIRE_AT: String(Date.now() - 60_000), FIRE: '0', INSTANCE: 'bot-c' });
    expect(c.code).toBe(0);
    const after = await withDb(s.url, async (db) => ({ state: await tickState(db), lease: await lastLease(db, 'evaluate') }));
    expect(after.lease).toEqual({ tick: new Date(TICK), done: true });
    expect(after.state.ticks).toBe(1);
    expect({ ...after.state, items: [] }).toEqual({ ...golden, items: [] });
  }, 90_000);
});

async function withDb<T>(url: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(url);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
