// Monthly cohort retention on the real Online Retail data, imported through the real path on
// both engines. The expected matrix is computed below from the raw file with csv-parse, apart
// from src/kpi: same purchase definition (distinct lines, a customer, not a C invoice,
// Quantity > 0, UnitPrice > 0), cohort = UTC month of the first purchase.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortRetention } from '../../src/kpi/cohorts.ts';
import type { Database } from '../../src/store/open-database.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { importBundled } from '../helpers/import.ts';

/** The UTC month of a London wall time; in 2011 BST ran from 27 March to 30 October, 01:00 UTC. */
function utcMonth(wall: string): string {
  const asUtc = Date.parse(`${wall.replace(' ', 'T')}Z`);
  const bst = wall >= '2011-03-27 02:00:00' && wall < '2011-10-30 02:00:00';
  return new Date(bst ? asUtc - 3_600_000 : asUtc).toISOString().slice(0, 7);
}

const DISTINCT_LINES = (() => {
  const raw = parse(gunzipSync(readFileSync('data/demo/online-retail/online_retail.csv.gz')), { from_line: 2 }) as string[][];
  const distinct = new Map<string, string[]>();
  for (const r of raw) distinct.set(JSON.stringify(r), r);
  return [...distinct.values()].map(([invoice, , , quantity, date, price, customer]) => ({
    customer: customer!,
    month: utcMonth(date!),
    purchase: customer !== '' && !invoice!.startsWith('C') && Number(quantity) > 0 && Number(price) > 0,
  }));
})();

/** Cohort → month → customers, then the rows from `from` on, each padded with zeros to `last`. */
function expectedMatrix(lines: { customer: string; month: string }[], fromMonth = '0000-00') {
  const first = new Map<string, string>();
  for (const l of lines) if (!first.has(l.customer) || l.month < first.get(l.customer)!) first.set(l.customer, l.month);
  const active = new Map<string, Map<string, Set<string>>>();
  for (const l of lines) {
    const cohort = first.get(l.customer)!;
    if (!active.has(cohort)) active.set(cohort, new Map());
    const months = active.get(cohort)!;
    if (!months.has(l.month)) months.set(l.month, new Set());
    months.get(l.month)!.add(l.customer);
  }
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  const cohorts = [...active.keys()].filter((c) => c >= fromMonth).sort();
  const last = Math.max(...cohorts.flatMap((c) => [...active.get(c)!.keys()].map(index)));
  return cohorts.map((cohort) => {
    const counts = Array.from({ length: last - index(cohort) + 1 }, () => 0);
    for (const [month, customers] of active.get(cohort)!) counts[index(month) - index(cohort)] = customers.size;
    return { cohort, size: counts[0]!, counts };
  });
}

const PURCHASES = DISTINCT_LINES.filter((l) => l.purchase);
const EXPECTED = expectedMatrix(PURCHASES);

describe('the independent cohort figures', () => {
  it('reproduce the published December 2010 cohort size', () => {
    // Published cohort tables for this data report 948 customers for December 2010. That figure
    // counts every line with a CustomerID, cancellations and returns included (reproduced here);
    // with purchases only (non-cancelled, Quantity > 0) the cohort is 885: 63 customers appear
    // in December 2010 only through cancellations of earlier orders.
    const anyLine = DISTINCT_LINES.filter((l) => l.customer !== '');
    expect(expectedMatrix(anyLine)[0]!.size).toBe(948);
    expect(EXPECTED.map((c) => c.cohort)).toEqual([
      '2010-12',
      '2011-01',
      '2011-02',
      '2011-03',
      '2011-04',
      '2011-05',
      '2011-06',
      '2011-07',
      '2011-08',
      '2011-09',
      '2011-10',
      '2011-11',
      '2011-12',
    ]);
  });
});

describe.each(ENGINES)('cohort retention on the Online Retail data on $engine', ({ create }) => {
  let test: MigratedDb;
  let db: Database;

  beforeAll(async () => {
    test = await migratedDb(create);
    db = test.db;
    await importBundled(db, 'online-retail');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('counts the full December 2010 cohort row, month by month', async () => {
    const { cohorts } = await cohortRetention(db, { sourceKey: 'online-retail' });
    const december = cohorts[0]!;
    expect({ cohort: december.cohort, size: december.size, counts: december.counts }).toEqual(EXPECTED[0]);
    expect(december.percents[0]).toBe(100);
    expect(december.percents[11]).toBeCloseTo((100 * EXPECTED[0]!.counts[11]!) / EXPECTED[0]!.size, 12);
  });

  it('counts every cohort of the triangle', async () => {
    const { cohorts } = await cohortRetention(db, {});
    expect(cohorts.map(({ cohort, size, counts }) => ({ cohort, size, counts }))).toEqual(EXPECTED);
    for (const c of cohorts) expect(c.percents).toEqual(c.counts.map((n) => (100 * n) / c.size));
  });

  it('shows cohorts from `from` on and ignores purchases from `to` on', async () => {
    const from = new Date('2011-06-01T00:00:00Z');
    const to = new Date('2011-09-01T00:00:00Z');
    const { cohorts } = await cohortRetention(db, { from, to });
    // A customer first seen before June belongs to an earlier cohort, so is left out, not
    // counted as new in June.
    const expected = expectedMatrix(
      PURCHASES.filter((p) => p.month < '2011-09'),
      '2011-06',
    );
    expect(cohorts.map(({ cohort, size, counts }) => ({ cohort, size, counts }))).toEqual(expected);
    expect(cohorts.map((c) => c.counts.length)).toEqual([3, 2, 1]);
  });

  it('returns no cohorts when nothing was bought before `to`', async () => {
    expect(await cohortRetention(db, { to: new Date('2010-01-01T00:00:00Z') })).toEqual({ cohorts: [] });
  });
});
