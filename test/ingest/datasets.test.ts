// Golden counts for the two bundled real datasets, imported through the real path on both
// engines. Expected figures come from the dataset documentation and published analyses
// (541,909 lines, 135,080 without CustomerID, 5,268 exact duplicates, 4,372 customers) or are
// computed here from the raw files with csv-parse, independently of crm-pulse's own reader.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitResult } from '../../src/ingest/sync-source.ts';
import type { Database } from '../../src/store/open-database.ts';
import { statusReport } from '../../src/store/status-report.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { importBundled } from '../helpers/import.ts';

const maven = (file: string) => parse(readFileSync(`data/demo/maven-crm/${file}`), { columns: true }) as Record<string, string>[];
const retail = parse(gunzipSync(readFileSync('data/demo/online-retail/online_retail.csv.gz')), { from_line: 2 }) as string[][];

/** Independent figures from the raw Online Retail file. */
const RETAIL = (() => {
  const distinct = new Map<string, string[]>();
  for (const r of retail) distinct.set(JSON.stringify(r), r);
  const rows = [...distinct.values()];
  return {
    lines: retail.length,
    withoutCustomer: retail.filter((r) => r[6] === '').length,
    distinct: rows.length,
    distinctGuest: rows.filter((r) => r[6] === '').length,
    distinctCancelled: rows.filter((r) => r[0]!.startsWith('C')).length,
    customers: new Set(retail.map((r) => r[6]).filter((c) => c !== '')).size,
  };
})();

const PIPELINE = maven('sales_pipeline.csv');
const TEAMS = new Map(maven('sales_teams.csv').map((t) => [t.sales_agent!, t]));

describe('the published facts hold for the bundled files', () => {
  it('Online Retail', () => {
    expect(RETAIL.lines).toBe(541_909);
    expect(RETAIL.withoutCustomer).toBe(135_080);
    expect(RETAIL.lines - RETAIL.distinct).toBe(5_268);
    expect(RETAIL.customers).toBe(4_372);
  });
  it('Maven CRM', () => {
    expect(PIPELINE.length).toBe(8_800);
    expect(PIPELINE.filter((d) => d.account === '').length).toBe(1_425);
  });
});

describe.each(ENGINES)('bundled datasets on $engine', ({ create }) => {
  let test: MigratedDb;
  let db: Database;
  let results: UnitResult[];
  const sync = (key: 'maven-crm' | 'online-retail') => importBundled(db, key);
  const count = async (sql: string, params: (string | number)[] = []) => Number((await db.sql.all<{ n: number }>(sql, params))[0]!.n);

  beforeAll(async () => {
    test = await migratedDb(create);
    db = test.db;
    results = [...(await sync('maven-crm')), ...(await sync('online-retail'))];
  });
  afterAll(async () => {
    await test?.close();
  });

  it('imports every Maven CRM file, with the faults handled and reported', async () => {
    expect(results.slice(0, 4).map((r) => [r.object, r.status, r.counts.read, r.counts.written, r.counts.rejected])).toEqual([
      ['accounts', 'succeeded', 85, 85, 0],
      ['products', 'succeeded', 7, 7, 0],
      ['owners', 'succeeded', 35, 35, 0],
      ['deals', 'succeeded', 8_800, 8_800, 0],
    ]);
    const byStage = (stage: string) => PIPELINE.filter((d) => d.deal_stage === stage).length;
    expect(await count(`SELECT count(*) AS n FROM "deals" WHERE "status" = 'won'`)).toBe(byStage('Won'));
    expect(await count(`SELECT count(*) AS n FROM "deals" WHERE "status" = 'lost'`)).toBe(byStage('Lost'));
    expect(await count(`SELECT count(*) AS n FROM "deals" WHERE "status" = 'open'`)).toBe(byStage('Prospecting') + byStage('Engaging'));
    expect(await count(`SELECT count(*) AS n FROM "deals" WHERE "account_id" IS NULL`)).toBe(1_425);
    // GTXPro in the pipeline is the product GTX Pro: no eighth product, every deal has a product.
    expect(await count(`SELECT count(*) AS n FROM "products"`)).toBe(7);
    expect(await count(`SELECT count(*) AS n FROM "deals" WHERE "product_id" IS NULL`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM "deals" d JOIN "products" p ON p."id" = d."product_id" WHERE p."name" = 'GTX Pro'`)).toBe(
      PIPELINE.filter((d) => d.product === 'GTXPro').length,
    );
    expect(await count(`SELECT count(*) AS n FROM "accounts" WHERE "sector" = 'technolgy'`)).toBe(0);
    const deals = results[3]!;
    expect(deals.notes).toContain("product: 1,480 values mapped ('GTXPro' → 'GTX Pro' 1,480)");
    expect(deals.notes).toContain('account: 1,425 rows without one (kept, left empty)');
  });

  it('joins sales_teams for manager and regional office', async () => {
    const rows = await db.sql.all<{ office: string; n: number; won: number }>(
      `SELECT o."office" AS office, count(*) AS n, sum(CASE WHEN d."status" = 'won' THEN d."amount" ELSE 0 END) AS won
       FROM "deals" d JOIN "owners" o ON o."id" = d."owner_id" GROUP BY o."office" ORDER BY o."office"`,
    );
    const expected = ['Central', 'East', 'West'].map((office) => {
      const mine = PIPELINE.filter((d) => TEAMS.get(d.sales_agent!)!.regional_office === office);
      const won = mine.filter((d) => d.deal_stage === 'Won').reduce((a, d) => a + Number(d.close_value), 0);
      return { office, n: mine.length, won };
    });
    expect(rows.map((r) => ({ office: r.office, n: Number(r.n), won: Number(r.won) }))).toEqual(expected);
  });

  it('accounts for all 541,909 Online Retail lines: stored, or rejected as exact duplicates', async () => {
    const r = results[4]!;
    expect(r.status).toBe('succeeded');
    expect(r.counts.read).toBe(541_909);
    expect(r.counts.written).toBe(RETAIL.distinct);
    expect(r.counts.rejected).toBe(5_268);
    expect(await count(`SELECT count(*) AS n FROM "order_lines"`)).toBe(RETAIL.distinct);
    expect(await count(`SELECT count(*) AS n FROM "rejected_rows" WHERE "kind" = 'duplicate' AND "object" = 'order_lines'`)).toBe(5_268);
    expect(await count(`SELECT count(*) AS n FROM "order_lines" WHERE "customer_id" IS NULL`)).toBe(RETAIL.distinctGuest);
    expect(await count(`SELECT count(*) AS n FROM "order_lines" WHERE "cancelled"`)).toBe(RETAIL.distinctCancelled);
    expect(await count(`SELECT count(*) AS n FROM "customers"`)).toBe(4_372);
    const report = await statusReport(db);
    const retailStatus = report.sources.find((s) => s.key === 'online-retail')!;
    expect(retailStatus.lines).toEqual({ read: 541_909, written: RETAIL.distinct, rejected: 5_268, accounted: true });
    expect(retailStatus.facts.order_lines_guest).toBe(RETAIL.distinctGuest);
    expect(report.totals.deals).toBe(8_800);
  });

  it('keeps real dates unchanged: first invoice 2010-12-01 08:26 London time, last close 2017-12-31', async () => {
    const first = await db.sql.all<{ t: string | Date }>(`SELECT min("ordered_at") AS t FROM "order_lines"`);
    expect(new Date(first[0]!.t).toISOString()).toBe('2010-12-01T08:26:00.000Z');
    const last = await db.sql.all<{ t: string | Date }>(`SELECT max("closed_at") AS t FROM "deals"`);
    expect(new Date(last[0]!.t).toISOString()).toBe('2017-12-31T00:00:00.000Z');
  });

  it('changes nothing when the same files are imported again', async () => {
    const again = [...(await sync('maven-crm')), ...(await sync('online-retail'))];
    for (const r of again) {
      expect({ unit: r.label, inserted: r.counts.inserted, updated: r.counts.updated, unchanged: r.counts.unchanged }).toEqual({
        unit: r.label,
        inserted: 0,
        updated: 0,
        unchanged: r.counts.written,
      });
    }
    expect(await count(`SELECT count(*) AS n FROM "rejected_rows"`)).toBe(5_268);
  });
});
