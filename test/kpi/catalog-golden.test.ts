// Golden tests of the built-in KPIs on the real Maven CRM data, on both engines. Expected figures
// are computed here from the raw CSV files in plain JavaScript, independently of the SQL under test.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calendar, Period } from '../../src/domain/period.ts';
import { evaluateKpi } from '../../src/kpi/evaluate-kpi.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { kpiReport } from '../../src/kpi/kpi-report.ts';
import { periodsBetween } from '../../src/kpi/periods.ts';
import type { Database } from '../../src/store/open-database.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { importBundled } from '../helpers/import.ts';

const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
const teams = new Map(
  (parse(readFileSync('data/demo/maven-crm/sales_teams.csv'), { columns: true }) as Record<string, string>[]).map((t) => [t.sales_agent!, t.regional_office!]),
);
const UTC: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const MONTHS = ['2017-03', '2017-04', '2017-05', '2017-06', '2017-07', '2017-08', '2017-09', '2017-10', '2017-11', '2017-12'];

const closedIn = (month: string) => pipeline.filter((d) => d.close_date!.startsWith(month));
const won = (rows: Record<string, string>[]) => rows.filter((d) => d.deal_stage === 'Won');
const lost = (rows: Record<string, string>[]) => rows.filter((d) => d.deal_stage === 'Lost');
const days = (d: Record<string, string>) => (Date.parse(d.close_date!) - Date.parse(d.engage_date!)) / 86_400_000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) / 2;
  return s[Math.floor(pos)]! + (s[Math.ceil(pos)]! - s[Math.floor(pos)]!) * (pos - Math.floor(pos));
};
const registry = kpiRegistry();

describe.each(ENGINES)('built-in KPIs on the Maven CRM data, on $engine', ({ create }) => {
  let test: MigratedDb;
  let db: Database;
  let months: Period[];
  beforeAll(async () => {
    test = await migratedDb(create);
    db = test.db;
    await importBundled(db, 'maven-crm');
    months = periodsBetween(new Date('2017-03-01T00:00:00Z'), new Date('2018-01-01T00:00:00Z'), 'month', UTC);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('win rate per month is won ÷ (won + lost) among deals closed in the month', async () => {
    const series = await evaluateKpi(db, registry.get('win_rate'), months, UTC);
    expect(series.points.map((p) => p.period.label)).toEqual(MONTHS);
    for (const [i, month] of MONTHS.entries()) {
      const rows = closedIn(month);
      expect(series.points[i]!.value).toBeCloseTo(won(rows).length / (won(rows).length + lost(rows).length), 12);
    }
  });

  it('won revenue per month and its month-over-month change', async () => {
    const report = await kpiReport(
      db,
      registry.get('won_revenue'),
      { grain: 'month', asOf: new Date('2017-12-31T23:59:59.999Z'), from: new Date('2017-04-01T00:00:00Z') },
      UTC,
    );
    const revenue = (month: string) => won(closedIn(month)).reduce((a, d) => a + Number(d.close_value), 0);
    expect(report.rows.map((r) => [r.period.label, r.current.value, r.change])).toEqual(
      MONTHS.slice(1).map((m, i) => [m, revenue(m), revenue(m) - revenue(MONTHS[i]!)]),
    );
    const growth = await evaluateKpi(db, registry.get('sales_growth'), months.slice(1), UTC);
    growth.points.forEach((p, i) => expect(p.value).toBeCloseTo(revenue(MONTHS[i + 1]!) / revenue(MONTHS[i]!) - 1, 12));
  });

  it('sales cycle: mean and median days from engage to close of won deals', async () => {
    const mean = await evaluateKpi(db, registry.get('sales_cycle_days'), months, UTC);
    const med = await evaluateKpi(db, registry.get('sales_cycle_days_median'), months, UTC);
    for (const [i, month] of MONTHS.entries()) {
      const cycle = won(closedIn(month)).map(days);
      expect(mean.points[i]!.value).toBeCloseTo(cycle.reduce((a, b) => a + b, 0) / cycle.length, 9);
      expect(med.points[i]!.value).toBeCloseTo(median(cycle), 9);
    }
  });

  it('win rate per regional office, over the whole of 2017', async () => {
    const year = periodsBetween(new Date('2017-01-01T00:00:00Z'), new Date('2018-01-01T00:00:00Z'), 'year', UTC);
    const series = await evaluateKpi(db, registry.get('win_rate'), year, UTC, { by: 'office' });
    const expected = ['Central', 'East', 'West'].map((office) => {
      const mine = pipeline.filter((d) => teams.get(d.sales_agent!) === office);
      return { key: office, value: won(mine).length / (won(mine).length + lost(mine).length) };
    });
    expect(series.points[0]!.breakdown!.map((b) => ({ key: b.key, value: Number(b.value!.toFixed(12)) }))).toEqual(
      expected.map((e) => ({ key: e.key, value: Number(e.value.toFixed(12)) })),
    );
  });

  it('has no value, with the reason, where a period lies before the first closed deal', async () => {
    // The first close date in the raw file is after November 2016: that month is before the data starts, not 0%.
    const firstClose = pipeline
      .map((d) => d.close_date!)
      .filter(Boolean)
      .sort()[0]!;
    expect(firstClose > '2016-11-30').toBe(true);
    const early = periodsBetween(new Date('2016-11-01T00:00:00Z'), new Date('2016-12-01T00:00:00Z'), 'month', UTC);
    const series = await evaluateKpi(db, registry.get('win_rate'), early, UTC);
    expect(series.points[0]).toMatchObject({ value: null, metrics: { won: 0, lost: 0 } });
    expect(series.points[0]!.reason).toBe('before the data starts');
  });

  it('pipeline value counts deals open at the end of the period, at list price when they have no value', async () => {
    const end = Date.parse('2017-06-30T00:00:00Z') + 86_400_000;
    const prices = new Map(
      (parse(readFileSync('data/demo/maven-crm/products.csv'), { columns: true }) as Record<string, string>[]).map((p) => [p.product!, Number(p.sales_price)]),
    );
    const open = pipeline.filter((d) => d.engage_date && Date.parse(d.engage_date) < end && (!d.close_date || Date.parse(d.close_date) >= end));
    const value = open.reduce((a, d) => a + (d.close_value ? Number(d.close_value) : prices.get(d.product === 'GTXPro' ? 'GTX Pro' : d.product!)!), 0);
    const june = periodsBetween(new Date('2017-06-01T00:00:00Z'), new Date('2017-07-01T00:00:00Z'), 'month', UTC);
    const series = await evaluateKpi(db, registry.get('pipeline_value'), june, UTC);
    expect(series.points[0]!.value).toBeCloseTo(value, 6);
  });
});
