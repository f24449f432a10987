// A `/kpi … by segment` report is a read: it joins each customer's RFM segment as of the report's
// date inside its own query, and leaves every table as it was. The breakdown's figures are counted
// here from the shop's CSV, written apart from src/kpi, with the segments rfmAssignments gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { kpiReport } from '../../src/kpi/kpi-report.ts';
import { rfmAssignments } from '../../src/kpi/rfm.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { ENGINES, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';
import { ordersCsv, SOURCE } from './clv-shop-fixture.ts';

const UTC = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const CUT = new Date('2024-11-30T23:59:59.999Z'); // the last instant of November

/** Per segment, in one month of the CSV: customers with an invoice, and those with two or more. */
function countedFromCsv(month: string, segmentOf: ReadonlyMap<string, string>): Map<string, { buyers: number; repeaters: number }> {
  const invoices = new Map<string, Set<string>>();
  for (const line of ordersCsv().trim().split('\n').slice(1)) {
    const [invoice, , customer, , , date] = line.split(',');
    if (!date!.startsWith(month)) continue;
    invoices.set(customer!, (invoices.get(customer!) ?? new Set()).add(invoice!));
  }
  const out = new Map<string, { buyers: number; repeaters: number }>();
  for (const [customer, own] of invoices) {
    const key = segmentOf.get(customer) ?? '(none)';
    const counts = out.get(key) ?? { buyers: 0, repeaters: 0 };
    out.set(key, { buyers: counts.buyers + 1, repeaters: counts.repeaters + (own.size >= 2 ? 1 : 0) });
  }
  return out;
}

describe.each(ENGINES)('a report by segment on $engine', ({ create }) => {
  let db: TestDatabase;
  let app: App;
  beforeAll(async () => {
    db = await create();
    const dir = tempFiles({ 'orders.csv': ordersCsv(), 'crm-pulse.yaml': SOURCE });
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml') }), silentLogger(), fixedClock(CUT));
    expect((await app.ingest('shop')).every((r) => r.status === 'succeeded')).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** Every table's row count, and the whole of customer_segments and data_versions. */
  async function snapshot(): Promise<unknown> {
    const tables =
      app.db.dialect === 'postgres'
        ? await app.db.sql.all<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
        : await app.db.sql.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1`);
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = Number((await app.db.sql.all<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`))[0]!.n);
    return {
      counts,
      segments: await app.db.sql.all('SELECT * FROM "customer_segments" ORDER BY "customer_id"'),
      versions: await app.db.sql.all('SELECT * FROM "data_versions" ORDER BY "entity"'),
    };
  }

  it('leaves the database as it was, and splits each month by the segments as of the report', async () => {
    const before = await snapshot();
    expect((before as { counts: Record<string, number> }).counts.order_lines).toBeGreaterThan(0);
    const report = await kpiReport(app.db, app.kpis.get('repeat_purchase_rate'), { grain: 'month', asOf: CUT, count: 1, by: 'segment' }, UTC);
    expect(await snapshot()).toEqual(before);

    // The segments as of the cut, by the customer's id in the CSV.
    const ids = new Map(
      (await app.db.sql.all<{ id: number; external_id: string }>('SELECT "id", "external_id" FROM "customers"')).map((c) => [Number(c.id), c.external_id]),
    );
    const segmentOf = new Map((await rfmAssignments(app.db, { asOf: CUT })).map((a) => [ids.get(a.customerId)!, a.segment as string]));
    expect(new Set(segmentOf.values()).size).toBeGreaterThan(1);
    const [november, october] = [countedFromCsv('2024-11', segmentOf), countedFromCsv('2024-10', segmentOf)];
    const parts = report.breakdown!;
    expect(new Set(parts.map((p) => p.key))).toEqual(new Set(november.keys()));
    for (const p of parts) {
      const n = november.get(p.key)!;
      expect({ key: p.key, ...p.metrics }).toEqual({ key: p.key, buyers: n.buyers, repeaters: n.repeaters });
      expect({ key: p.key, value: p.value }).toEqual({ key: p.key, value: n.repeaters / n.buyers });
      const o = october.get(p.key);
      expect({ key: p.key, previous: p.previous }).toEqual({ key: p.key, previous: o ? o.repeaters / o.buyers : null });
    }
    // The parts add up to the month's total.
    const total = report.rows[0]!.current.metrics;
    expect(parts.reduce((a, p) => a + p.metrics.buyers!, 0)).toBe(total.buyers);
    expect(parts.reduce((a, p) => a + p.metrics.repeaters!, 0)).toBe(total.repeaters);
  });
});
