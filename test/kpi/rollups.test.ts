// Rollups (issue 18, part 2): a count, a sum and an average over whole local days are read from
// kpi_rollups, kept current with the data versions; anything a rollup cannot answer exactly falls
// back to raw rows. Expected values are computed here from the deals themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calendar, Period } from '../../src/domain/period.ts';
import { evaluateKpi } from '../../src/kpi/evaluate-kpi.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { periodsBetween } from '../../src/kpi/periods.ts';
import { dayRows } from '../../src/kpi/refresh-rollup.ts';
import { rollupSpec } from '../../src/kpi/rollup-spec.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { close, dealWriter, drawDeals, wonIn, type Deal, type DealWriter } from './rollup-fixture.ts';

const UTC: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const NEW_YORK: Calendar = { timeZone: 'America/New_York', fiscalYearStartMonth: 1 };
const kpis = kpiRegistry();
const months = periodsBetween(new Date('2024-01-01T00:00:00Z'), new Date('2024-07-01T00:00:00Z'), 'month', UTC);

const sum = (ds: readonly Deal[]) => (ds.some((d) => d.amount !== null) ? ds.reduce((s, d) => s + (d.amount ?? 0), 0) : ds.length ? null : 0);
const mean = (ds: readonly Deal[]) => {
  const xs = ds.flatMap((d) => (d.amount === null ? [] : [d.amount]));
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
};

describe.each(ENGINES)('rollups on $engine', ({ create }) => {
  let test: MigratedDb;
  let writer: DealWriter;
  let deals: Deal[];
  beforeAll(async () => {
    test = await migratedDb(create);
    deals = drawDeals(300, 7);
    writer = await dealWriter(test.db);
    await writer.write(deals);
  }, 60_000);
  afterAll(async () => {
    await writer.close();
    await test.close();
  });

  it('serve counts, sums and averages, totals and by owner, equal to the deals', async () => {
    const { db } = test;
    const revenue = await evaluateKpi(db, kpis.get('won_revenue'), months, UTC, { by: 'owner', rollups: true });
    const size = await evaluateKpi(db, kpis.get('avg_deal_size'), months, UTC, { by: 'owner', rollups: true });
    const rate = await evaluateKpi(db, kpis.get('win_rate'), months, UTC, { rollups: true });
    for (const [i, p] of months.entries()) {
      const won = wonIn(deals, p.start, p.end);
      expect(close(revenue.points[i]!.value, sum(won)), p.label).toBe(true);
      expect(close(size.points[i]!.value, mean(won)), p.label).toBe(true);
      const lost = deals.filter((d) => d.status === 'lost' && d.closedAt! >= p.start && d.closedAt! < p.end).length;
      expect(rate.points[i]!.metrics, p.label).toEqual({ won: won.length, lost });
      for (const owner of ['ann', 'bob', 'cy']) {
        const mine = won.filter((d) => d.owner === owner);
        const b = revenue.points[i]!.breakdown!.find((x) => x.key === owner.toUpperCase());
        expect(close(b?.value ?? 0, sum(mine)), `${p.label} ${owner}`).toBe(true);
      }
    }
    const keys = await db.sql.all<{ definition: string }>('SELECT "definition" FROM "kpi_rollup_keys"');
    // Totals and by owner: revenue (sum) and deal size (avg, with its count of deals); win rate's won and lost in totals.
    expect(keys.map((k) => JSON.parse(k.definition).aggregate).sort()).toEqual(['avg', 'avg', 'count', 'count', 'count', 'count', 'sum', 'sum']);
  });

  it('are what is read: a row changed behind the data versions shows in the value, and a sync brings the truth back', async () => {
    const { db } = test;
    const march = months[2]!;
    const spec = rollupSpec(kpis.get('won_revenue').metrics.revenue!, undefined, UTC, db.dialect)!;
    await evaluateKpi(db, kpis.get('won_revenue'), [march], UTC, { rollups: true });
    // No record table is written, so no data version moves: only a read of the rollup sees this.
    expect(await db.sql.run('UPDATE "kpi_rollups" SET "v" = "v" + 1000 WHERE "key" = ? AND "day" = ?', [spec.key, '2024-03-07'])).toBe(1);
    const truth = sum(wonIn(deals, march.start, march.end))!;
    expect((await evaluateKpi(db, kpis.get('won_revenue'), [march], UTC, { rollups: true })).points[0]!.value).toBe(truth + 1000);
    expect((await evaluateKpi(db, kpis.get('won_revenue'), [march], UTC)).points[0]!.value).toBe(truth);

    // What a rollup cannot answer exactly comes from raw rows, untouched by the changed row:
    // a period starting inside a day, an as-of cut inside the data, a median.
    const fromNoon: Period = { grain: 'day', start: new Date('2024-03-01T12:00:00Z'), end: march.end, label: 'from noon', range: true };
    const noon = await evaluateKpi(db, kpis.get('won_revenue'), [fromNoon], UTC, { rollups: true });
    expect(noon.points[0]!.value).toBe(sum(wonIn(deals, fromNoon.start, fromNoon.end)));
    const asOf = new Date('2024-05-15T00:00:00Z');
    const cut = await evaluateKpi(db, kpis.get('won_revenue'), [march], UTC, { asOf, rollups: true });
    expect(cut.points[0]!.value).toBe(truth);
    const median = kpiRegistry({
      median_deal: {
        title: 'Median deal',
        unit: 'currency',
        direction: 'higher',
        formula: 'm',
        metrics: { m: { entity: 'deals', aggregate: 'median', field: 'amount', time: 'closed_at', filter: { status: 'won' } } },
      },
    }).get('median_deal');
    const amounts = wonIn(deals, march.start, march.end)
      .flatMap((d) => (d.amount === null ? [] : [d.amount]))
      .sort((a, b) => a - b);
    const mid = (amounts.length - 1) / 2;
    const before = (await db.sql.all('SELECT "key" FROM "kpi_rollup_keys"')).length;
    expect((await evaluateKpi(db, median, [march], UTC, { rollups: true })).points[0]!.value).toBe((amounts[Math.floor(mid)]! + amounts[Math.ceil(mid)]!) / 2);
    expect((await db.sql.all('SELECT "key" FROM "kpi_rollup_keys"')).length).toBe(before);

    // A sync that touches a deal of March refreshes March from raw rows: the changed row is gone.
    const late: Deal = { id: 'late', owner: 'ann', status: 'won', amount: 70, closedAt: new Date('2024-03-20T10:00:00Z') };
    await writer.write([late]);
    deals.push(late);
    expect((await evaluateKpi(db, kpis.get('won_revenue'), [march], UTC, { rollups: true })).points[0]!.value).toBe(truth + 70);
  });

  it('refreshed by two connections at once (two replicas), give both the values of the deals', async () => {
    const { db } = test;
    const other = await openDatabase(test.url);
    try {
      const late: Deal = { id: 'twice', owner: 'bob', status: 'won', amount: 30, closedAt: new Date('2024-02-10T10:00:00Z') };
      await writer.write([late]);
      deals.push(late);
      const [a, b] = await Promise.all([db, other].map((x) => evaluateKpi(x, kpis.get('won_revenue'), months, UTC, { by: 'owner', rollups: true })));
      for (const [i, p] of months.entries()) {
        expect(close(a!.points[i]!.value, sum(wonIn(deals, p.start, p.end)))).toBe(true);
        expect(b!.points[i]!.value).toBe(a!.points[i]!.value);
      }
    } finally {
      await other.close();
    }
  });

  it('in New York across the change to summer time give the values of raw rows, day by day and week by week', async () => {
    const { db } = test;
    for (const grain of ['day', 'week'] as const) {
      const periods = periodsBetween(new Date('2024-03-01T05:00:00Z'), new Date('2024-03-25T04:00:00Z'), grain, NEW_YORK);
      for (const key of ['won_revenue', 'avg_deal_size', 'win_rate']) {
        const rolled = await evaluateKpi(db, kpis.get(key), periods, NEW_YORK, { by: 'owner', rollups: true });
        const raw = await evaluateKpi(db, kpis.get(key), periods, NEW_YORK, { by: 'owner' });
        for (const [i, p] of rolled.points.entries()) {
          const r = raw.points[i]!;
          expect(close(p.value, r.value), `${key} ${p.period.label}`).toBe(true);
          expect(p.breakdown!.map((b) => b.key)).toEqual(r.breakdown!.map((b) => b.key));
          for (const [k, b] of p.breakdown!.entries()) expect(close(b.value, r.breakdown![k]!.value), `${key} ${p.period.label} ${b.key}`).toBe(true);
        }
      }
    }
    // The New York rollups are other keys than the UTC ones, with days cut at New York's midnights.
    const spec = rollupSpec(kpis.get('won_revenue').metrics.revenue!, 'owner', NEW_YORK, db.dialect)!;
    const march10 = wonIn(deals, new Date('2024-03-10T05:00:00Z'), new Date('2024-03-11T04:00:00Z'));
    const stored = await db.sql.all<{ v: number }>('SELECT sum("v") AS v FROM "kpi_rollups" WHERE "key" = ? AND "day" = ?', [spec.key, '2024-03-10']);
    expect(close(stored[0]!.v === null ? 0 : Number(stored[0]!.v), sum(march10) ?? 0)).toBe(true);
  });

  it('fill each local day with its deals in zones whose midnights fall inside UTC days, deals on the boundaries included', async () => {
    const { db } = test;
    // Kathmandu +05:45, Kiritimati +14, Pago Pago −11, Lord Howe's half-hour summer time, New York's.
    const zones = ['Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe', 'America/New_York'];
    const from = new Date('2024-03-01T00:00:00Z');
    const to = new Date('2024-04-15T00:00:00Z');
    // Won deals at each zone's local midnights, a millisecond before them, and at UTC midnights.
    const edges = zones.flatMap((timeZone) => periodsBetween(from, to, 'day', { timeZone, fiscalYearStartMonth: 1 }).map((p) => p.start.getTime()));
    const times = [...new Set([...edges, ...edges.map((t) => t - 1), ...periodsBetween(from, to, 'day', UTC).map((p) => p.start.getTime())])];
    const onEdges: Deal[] = times.map((t, k) => ({
      id: `edge${k}`,
      owner: ['ann', 'bob', 'cy'][k % 3]!,
      status: 'won',
      amount: 1 + (k % 7),
      closedAt: new Date(t),
    }));
    await writer.write(onEdges);
    deals.push(...onEdges);
    for (const timeZone of zones) {
      const cal: Calendar = { timeZone, fiscalYearStartMonth: 1 };
      const days = periodsBetween(from, to, 'day', cal);
      const spec = rollupSpec(kpis.get('won_revenue').metrics.revenue!, 'owner', cal, db.dialect)!;
      const got = new Map((await dayRows(db, spec, days)).map(([day, d, v]) => [`${day} ${d}`, v]));
      const want = new Map<string, number | null>();
      for (const p of days)
        for (const owner of ['ann', 'bob', 'cy']) {
          const mine = wonIn(deals, p.start, p.end).filter((d) => d.owner === owner);
          if (mine.length) want.set(`${p.label} ${owner.toUpperCase()}`, sum(mine));
        }
      expect(want.size, timeZone).toBeGreaterThan(days.length);
      expect([...got.keys()].sort(), timeZone).toEqual([...want.keys()].sort());
      for (const [k, v] of want) expect(close(got.get(k)!, v), `${timeZone} ${k}`).toBe(true);
    }
  });
});
