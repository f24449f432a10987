// Differential test of the as-of cut (issue 14): every KPI read "as of" a past date on the full
// bundled data must equal the same KPI read on a database that only ever held the data up to
// that date. The truncated databases are built here from the raw files (data/demo/, see
// data/demo/ATTRIBUTION.md) as a sync at that date would have seen them: later records absent,
// deals that closed later still open (no close date, no close value), through the real CSV import.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calendar, Grain } from '../../src/domain/period.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { csvConnector } from '../../src/ingest/connectors/csv.ts';
import { syncSource } from '../../src/ingest/sync-source.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { kpiReport, type KpiReport } from '../../src/kpi/kpi-report.ts';
import { periodContaining } from '../../src/kpi/periods.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { tempFiles } from '../helpers/import.ts';

const CAL: Calendar = { timeZone: 'Europe/London', fiscalYearStartMonth: 1 };
/** Mid-period dates: inside Online Retail (2011) and inside the Maven pipeline (2017). */
const DATES = ['2011-09-15', '2017-06-20'];
const MAVEN = ['accounts.csv', 'products.csv', 'sales_teams.csv', 'data_dictionary.csv'];

/** CSV text of rows with a header, every field quoted (RFC 4180). */
function stringify(rows: readonly Record<string, string>[]): string {
  const columns = Object.keys(rows[0]!);
  const q = (v: string) => `"${v.replaceAll('"', '""')}"`;
  return [columns.map(q).join(','), ...rows.map((r) => columns.map((c) => q(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** The demo files as they stood at the end of `day`: a folder laid out like the project's data/demo. */
function filesAsOf(day: string): string {
  const dir = tempFiles({});
  mkdirSync(join(dir, 'data/demo/maven-crm'), { recursive: true });
  mkdirSync(join(dir, 'data/demo/online-retail'), { recursive: true });
  for (const f of MAVEN) copyFileSync(`data/demo/maven-crm/${f}`, join(dir, 'data/demo/maven-crm', f));
  const deals = (parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[]).map((d) => {
    if (d.engage_date && d.engage_date > day) return { ...d, deal_stage: 'Prospecting', engage_date: '', close_date: '', close_value: '' };
    if (d.close_date && d.close_date > day) return { ...d, deal_stage: 'Engaging', close_date: '', close_value: '' };
    return d;
  });
  writeFileSync(join(dir, 'data/demo/maven-crm/sales_pipeline.csv'), stringify(deals));
  const retail = parse(gunzipSync(readFileSync('data/demo/online-retail/online_retail.csv.gz')), { columns: true }) as Record<string, string>[];
  const kept = retail.filter((r) => r.InvoiceDate!.slice(0, 10) <= day);
  writeFileSync(join(dir, 'data/demo/online-retail/online_retail.csv.gz'), gzipSync(stringify(kept)));
  return dir;
}

async function load(dir: string): Promise<{ test: MigratedDb; db: Database }> {
  const test = await migratedDb();
  const { db } = test;
  const { config } = loadConfig('/nonexistent/crm-pulse.yaml', { explicit: false });
  for (const key of ['maven-crm', 'online-retail']) {
    const source = config.sources[key]!;
    await syncSource(
      { db, clock: fixedClock(new Date('2026-01-01T00:00:00Z')), log: silentLogger() },
      { key, kind: source.kind, name: key },
      csvConnector(source, dir),
    );
  }
  return { test, db };
}

/** What a report says, with values rounded past float noise (sums may add in another order). */
function said(r: KpiReport) {
  const v = (x: { value: number | null; reason?: string; cutAt?: Date }) => [
    x.value === null ? null : Number(x.value.toPrecision(12)),
    x.reason ?? null,
    x.cutAt?.toISOString() ?? null,
  ];
  return r.rows.map((row) => [row.period.label, v(row.current), row.previous.period.label, v(row.previous), v(row.lastYear)]);
}

describe('as of a past date equals a database that only held the data up to it', () => {
  const registry = kpiRegistry();
  let full: { test: MigratedDb; db: Database };
  const partial = new Map<string, { test: MigratedDb; db: Database }>();
  beforeAll(async () => {
    full = await load(process.cwd());
    for (const day of DATES) partial.set(day, await load(filesAsOf(day)));
  }, 900_000);
  afterAll(async () => {
    for (const d of [full, ...partial.values()]) {
      await d?.test.close();
    }
  });

  it.each(DATES)('every KPI as of %s, by month, week and quarter', async (day) => {
    const asOf = new Date(periodContaining(new Date(`${day}T12:00:00Z`), 'day', CAL).end.getTime() - 1);
    const cut = partial.get(day)!.db;
    let compared = 0;
    // Computed KPIs read purchases before each period's end only (clv-kpi-rules.test.ts); a fit per period here would cost minutes.
    for (const kpi of registry.all.filter((k) => k.model === undefined)) {
      for (const grain of ['month', 'week', 'quarter'] as Grain[]) {
        const request = { grain, asOf, count: 4 };
        const [a, b] = [await kpiReport(full.db, kpi, request, CAL), await kpiReport(cut, kpi, request, CAL)];
        expect(said(a), `${kpi.key} by ${grain}`).toEqual(said(b));
        compared += a.rows.filter((r) => r.current.value !== null).length;
      }
    }
    // Not a comparison of empty reports: most KPIs of the dataset live at that date have values.
    expect(compared).toBeGreaterThan(40);
  });

  it('a breakdown as of a date equals the truncated database too', async () => {
    const day = '2017-06-20';
    const asOf = new Date(periodContaining(new Date(`${day}T12:00:00Z`), 'day', CAL).end.getTime() - 1);
    for (const key of ['won_revenue', 'win_rate', 'pipeline_value', 'sales_cycle_days']) {
      const request = { grain: 'month' as Grain, asOf, count: 1, by: 'region' };
      const [a, b] = [await kpiReport(full.db, registry.get(key), request, CAL), await kpiReport(partial.get(day)!.db, registry.get(key), request, CAL)];
      const rows = (r: KpiReport) =>
        r.breakdown!.map((x) => [
          x.key,
          x.value === null ? null : Number(x.value.toPrecision(12)),
          x.previous === null ? null : Number(x.previous.toPrecision(12)),
        ]);
      expect(rows(a), key).toEqual(rows(b));
      expect(rows(a).length, key).toBe(3);
    }
  });
});
