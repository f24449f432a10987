// A steady tick (issue 18): when no record changed since the last tick and the as-of cut passed
// over no date of the data, the tick reads the data versions and nothing of the KPI catalog. The
// statements are counted on the app's own SQL client, as bench/evaluate.ts meters them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/open-database.ts';
import { alertFixture, at } from './alert-fixture.ts';

const RULES = `
alerts:
  channels: ['#alerts']
  rules:
    drop:
      kpi: won_revenue
      grain: month
      by: region
      conditions:
        - { type: change, drop: { warning: 30, critical: 50 } }
    low_win_rate:
      kpi: win_rate
      grain: week
      conditions:
        - { type: threshold, below: 0.9 }
    size:
      kpi: avg_deal_size
      grain: month
      by: owner
      conditions:
        - { type: anomaly, window: 4 }
    cycle:
      kpi: sales_cycle_days
      grain: month
      conditions:
        - { type: change, vs: last_year, rise: 10 }
`;

/** Every raw SQL statement the client runs from now on. */
function recordSql(db: Database): string[] {
  const seen: string[] = [];
  const all = db.sql.all.bind(db.sql);
  db.sql.all = (async (sql: string, params?: Parameters<typeof all>[1]) => {
    seen.push(sql);
    return all(sql, params);
  }) as typeof db.sql.all;
  return seen;
}

/** Every Prisma write (model.operation) from now on, by swapping in an extended client as bench/evaluate.ts does. */
function recordPrismaWrites(db: Database): string[] {
  const seen: string[] = [];
  const reads = new Set(['findMany', 'findFirst', 'findUnique', 'findUniqueOrThrow', 'findFirstOrThrow', 'count', 'aggregate', 'groupBy']);
  const extended = db.prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        if (!reads.has(operation)) seen.push(`${model ?? ''}.${operation}`);
        return query(args);
      },
    },
  });
  (db as { prisma: unknown }).prisma = extended;
  return seen;
}

describe('a steady tick', () => {
  let f: Awaited<ReturnType<typeof alertFixture>>;
  let seen: string[];
  beforeAll(async () => {
    f = await alertFixture(RULES);
    seen = recordSql(f.app.db);
  });
  afterAll(async () => f.close());

  it('with no change since the last tick, reads the data versions and no KPI aggregate', async () => {
    // The fixture's data ends in September 2024; the ticks run in October.
    const first = await f.app.alerts.evaluate(at('2024-10-01T08:00:00Z'));
    expect(first.errors.size).toBe(0);
    const cold = seen.splice(0);
    expect(cold.filter((s) => s.includes('WITH per(')).length).toBeGreaterThan(8);

    const second = await f.app.alerts.evaluate(at('2024-10-01T09:00:00Z'));
    expect(second.errors.size).toBe(0);
    expect(second.series).toBe(first.series);
    const steady = seen.splice(0);
    // One statement, whatever the number of rules and KPIs: the versions (the rest of the tick is Prisma's alert state).
    expect(steady).toEqual(['SELECT "entity", "version", "lo", "hi" FROM "data_versions"']);
  });

  it('after a late deal in a closed month, recomputes the ranges from that month on, and only those', async () => {
    await f.app.db.sql.run(
      `INSERT INTO "deals" ("source_id", "external_id", "row_hash", "stage", "status", "amount", "owner_id", "engaged_at", "closed_at")
       SELECT "source_id", 'late', 'late', 'won', 'won', 70, "id", ?, ? FROM "owners" WHERE "external_id" = 'ann'`,
      f.app.db.dialect === 'sqlite' ? ['2024-08-01T00:00:00.000+00:00', '2024-08-20T00:00:00.000+00:00'] : ['2024-08-01 00:00:00', '2024-08-20 00:00:00'],
    );
    seen.splice(0);
    await f.app.alerts.evaluate(at('2024-10-01T10:00:00Z'));
    const aggregates = seen.splice(0).filter((s) => s.includes('WITH per('));
    expect(aggregates.length).toBeGreaterThan(0);
    // Each recomputation asks only for the periods from August 2024 on that the rules read: August
    // and September, or the judged week and the one before it; the year-ago periods and the older
    // anomaly baselines (8 months) stay as they were. One query per metric, and per metric again
    // by the rule's dimension: won_revenue (1 + 1 by region), win_rate (2), avg_deal_size (2 + 2
    // by owner), sales_cycle_days (2).
    expect(aggregates.map((sql) => sql.match(/\(\?, \?, \?, \?, \?, \?\)/g)?.length)).toEqual(Array(10).fill(2));
  });
});

describe('a steady tick over a firing series', () => {
  let f: Awaited<ReturnType<typeof alertFixture>>;
  beforeAll(async () => {
    // Bob wins one deal of two every month: his win rate, 50%, fires below 90%.
    f = await alertFixture(`
alerts:
  channels: ['#alerts']
  rules:
    low_bob:
      kpi: win_rate
      grain: month
      by: owner
      conditions:
        - { type: threshold, below: 0.9 }
`);
  });
  afterAll(async () => f.close());

  it('writes no alert state when nothing changed, not even for values the store kept a digit short', async () => {
    const first = await f.app.alerts.evaluate(at('2024-10-01T08:00:00Z'));
    expect(first.transitions.map((t) => `${t.rule}|${t.seriesKey} ${t.to}`)).toEqual(['low_bob|Bob firing']);
    // An hour later the states, episodes and values are those of the previous tick.
    const writes = recordPrismaWrites(f.app.db);
    const steady = await f.app.alerts.evaluate(at('2024-10-01T09:00:00Z'));
    expect(steady.transitions).toEqual([]);
    const firing = await f.app.db.prisma.alertSeries.findMany({ where: { state: 'firing' } });
    expect(firing.length).toBeGreaterThan(0);
    expect(writes.splice(0)).toEqual(['AlertTick.create']);

    // A float read back from the store can differ from the same value computed afresh in its last
    // binary digit (Prisma writes 16 significant digits): that is no change to write either.
    for (const s of firing) {
      const v = s.lastValue!;
      await f.app.db.sql.run(`UPDATE "alert_series" SET "last_value" = ? WHERE "id" = ?`, [v + Math.abs(v) * Number.EPSILON, s.id]);
    }
    const shifted = await f.app.db.prisma.alertSeries.findMany({ where: { state: 'firing' } });
    expect(shifted.map((s) => s.lastValue)).not.toEqual(firing.map((s) => s.lastValue));
    await f.app.alerts.evaluate(at('2024-10-01T10:00:00Z'));
    expect(writes.splice(0)).toEqual(['AlertTick.create']);
  });
});
