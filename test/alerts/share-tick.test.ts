// Replicas sharing an evaluation tick (src/alerts/share-tick.ts): the fence. A replica whose claim on
// a work item was taken over (its epoch is stale) must write nothing of that item, and say so.
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsDeps } from '../../src/alerts/evaluate-alerts.ts';
import { workTickItems } from '../../src/alerts/share-tick.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { saveFencedWrites } from '../../src/store/alert-store.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { addTickItems, claimTickItem, doneTickItems, finishTickItem, holdsTickItem } from '../../src/store/tick-items.ts';
import { ENGINES, tempPostgres } from '../helpers/databases.ts';
import { alertFixture, at, DROP_RULES } from './alert-fixture.ts';

// West's won revenue fell from 100 (February) to 40 (March 2024): the `drop` rule fires critical for
// West, to #alerts and (routed by severity) #leads; East stays at 100.
const TICK = at('2024-04-02T06:00:00Z');
const ITEM = { item: 'won_revenue|region', payload: JSON.stringify(['drop']) };
const wall = { now: () => new Date() };

/** What the tick wrote, read back: transitions, episodes and outbox rows. */
async function written(db: Database) {
  return {
    transitions: (await db.prisma.alertTransition.findMany({ orderBy: { id: 'asc' } })).map((t) => `${t.rule} ${t.seriesKey} ${t.fromState}→${t.toState}`),
    episodes: (await db.prisma.alertEpisode.findMany({ orderBy: { id: 'asc' } })).map((e) => `${e.rule} ${e.seriesKey} ${e.severity}`),
    outbox: (await db.prisma.alertOutbox.findMany({ orderBy: { id: 'asc' } })).map((o) => `${o.event} ${o.channel}`),
  };
}

const ONE_FIRING = {
  transitions: ['drop West ok→firing'],
  episodes: ['drop West critical'],
  outbox: ['firing #alerts', 'firing #leads'],
};

describe.each(ENGINES)('a shared tick on $engine', ({ create }) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('writes nothing for a claim whose epoch is stale, and the takeover writes the item once', async () => {
    const f = await alertFixture(DROP_RULES, { database: await create() });
    close = f.close;
    const deps: AlertsDeps = {
      db: f.app.db,
      kpis: f.app.kpis,
      calendar: f.app.calendar,
      alerts: f.app.config.config.alerts,
      targets: f.app.config.config.targets,
    };
    const db = f.app.db;
    await addTickItems(db, 'evaluate', TICK, TICK, [ITEM]);
    // The slow replica claims the item for 1 s, and stalls past it.
    const slow = await claimTickItem(db, 'evaluate', TICK, 'slow', new Date('2030-01-01T00:00:00Z'), 1_000);
    expect(slow?.epoch).toBe(1);
    // The other replica takes the expired claim over (epoch 2), judges the rule and stores it.
    const log = capture();
    const fast = {
      job: 'evaluate',
      tick: TICK,
      holder: 'fast',
      leaseMs: 60_000,
      clock: { now: () => new Date('2030-01-01T00:00:02Z') },
      leaseHeld: async () => false,
    };
    expect(await workTickItems(deps, fast, { log: log.logger })).toBe(1);
    expect(await written(db)).toEqual(ONE_FIRING);
    // The slow replica now tries to commit what it judged with its stale claim: nothing is written.
    const kept = await saveFencedWrites(db, [], TICK, {
      holds: (tx) => holdsTickItem(tx, db.dialect, slow!),
      finish: (tx) => finishTickItem(tx, db.dialect, slow!, '{"series":9,"queued":9,"transitions":[],"errors":[]}', TICK),
    });
    expect(kept).toBe(false);
    expect(await doneTickItems(db, 'evaluate', TICK)).toEqual([
      {
        item: ITEM.item,
        holder: 'fast',
        epoch: 2,
        result: JSON.stringify({
          series: 2,
          queued: 2,
          transitions: [
            {
              rule: 'drop',
              seriesKey: 'West',
              from: 'ok',
              to: 'firing',
              event: 'firing',
              summary: 'Won revenue 40: dropped 60.0% vs 2024-02 (critical at a drop of 50%)',
            },
          ],
          errors: [],
        }),
      },
    ]);
  });
});

describe('a shared tick on PostgreSQL, a replica stalled mid-item', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  it('loses the item to a takeover and writes none of it: the stale commit is refused and logged', async () => {
    const f = await alertFixture(DROP_RULES, { database: await tempPostgres() });
    cleanup.push(f.close);
    const url = f.app.env.databaseUrl;
    // The slow replica: its own connections, as another process would have.
    const slowDb = await openDatabase(url);
    cleanup.push(() => slowDb.close());
    const config = f.app.config.config;
    const deps = (db: Database): AlertsDeps => ({ db, kpis: f.app.kpis, calendar: f.app.calendar, alerts: config.alerts, targets: config.targets });
    await addTickItems(f.app.db, 'evaluate', TICK, TICK, [ITEM]);
    // A lock on the alert states stalls both replicas right after they claim, before they read them.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    cleanup.push(() => locker.end());
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "alert_series" IN ACCESS EXCLUSIVE MODE');

    const slowLog = capture();
    const slow = workTickItems(
      deps(slowDb),
      { job: 'evaluate', tick: TICK, holder: 'slow', leaseMs: 1_000, clock: wall, leaseHeld: async () => false },
      { log: slowLog.logger, pollMs: 50 },
    );
    await until(async () => (await locker.query(`SELECT "epoch" FROM "tick_items" WHERE "holder" = 'slow'`)).rows[0]?.epoch === 1);
    // The slow replica's claim expires (1 s) while it is stalled; the other replica takes it over.
    const later = { now: () => new Date(Date.now() + 5_000) };
    const fast = workTickItems(
      deps(f.app.db),
      { job: 'evaluate', tick: TICK, holder: 'fast', leaseMs: 60_000, clock: later, leaseHeld: async () => false },
      { log: capture().logger, pollMs: 50 },
    );
    await until(async () => (await locker.query(`SELECT "epoch" FROM "tick_items" WHERE "holder" = 'fast'`)).rows[0]?.epoch === 2);
    await locker.query('COMMIT');

    expect(await Promise.all([slow, fast])).toEqual([0, 1]);
    expect(await written(f.app.db)).toEqual(ONE_FIRING);
    expect(slowLog.lines()).toEqual([
      expect.objectContaining({
        level: 40,
        item: 'won_revenue|region',
        epoch: 1,
        msg: 'tick item lost: another replica took it over (its claim expired); this replica wrote none of its results',
      }),
    ]);
  });
});

/** A JSON logger whose lines the test reads. */
function capture() {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      out.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger({ level: 'info', format: 'json', destination }),
    lines: () =>
      out
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('[test] condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
