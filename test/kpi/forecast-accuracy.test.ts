// The forecast's accuracy on the bundled real data, measured through `crm-pulse forecast --evaluate`
// (a rolling-origin backtest, FPP §5.10) against naive and seasonal naive in the same run. The
// criteria of issue 19: the chosen method beats seasonal naive (MASE ratio < 1) where history
// allows, and its 80% intervals cover 70–90% of the held-out values. Where it does not, the test
// says so and asserts what is true instead; the README (Forecasts) reports the figures.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import type { ForecastAccuracy } from '../../src/kpi/kpi-forecast-accuracy.ts';
import type { MethodAccuracy } from '../../src/kpi/forecast/rolling-origin.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { importBundled } from '../helpers/import.ts';

async function evaluate(url: string, args: string[]): Promise<ForecastAccuracy> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  const io = { env: { LOG_LEVEL: 'silent', DATABASE_URL: url, CRM_PULSE_CONFIG: '' }, stdout, stderr: new PassThrough(), stdin: new PassThrough() } as unknown as CliIo;
  expect(await runCli(['forecast', '--evaluate', '--json', ...args], io)).toBe(0);
  return JSON.parse(out) as ForecastAccuracy;
}

const ratio = (a: MethodAccuracy, b: MethodAccuracy) => a.mase / b.mase;

describe('forecast accuracy on the bundled data (rolling origin, one period ahead)', () => {
  let test: MigratedDb;
  beforeAll(async () => {
    test = await migratedDb();
    const { db } = test;
    await importBundled(db, 'maven-crm');
    await importBundled(db, 'online-retail');
    await db.close();
  }, 300_000);
  afterAll(async () => test?.drop());

  it('Online Retail daily revenue: the weekly-seasonal ETS beats seasonal naive and its 80% intervals cover 70–90%', async () => {
    const a = await evaluate(test.url, ['order_revenue', '--grain', 'day', '--as-of', '2011-12-09', '--origins', '60']);
    const vs = a.report.vsSeasonalNaive!;
    expect(vs).toBeDefined();
    const [chosen, snaive] = vs.methods;
    expect(snaive!.method).toBe('seasonal_naive');
    expect(chosen!.points).toBe(60);
    expect(Object.keys(chosen!.models).every((m) => m.endsWith('m=7'))).toBe(true); // the weekday pattern is found
    expect(ratio(chosen!, snaive!)).toBeLessThan(1);
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(chosen!.coverage80).toBeLessThanOrEqual(0.9);
    expect(ratio(a.report.vsNaive.methods[0]!, a.report.vsNaive.methods[1]!)).toBeLessThan(1);
  }, 300_000);

  it('Online Retail weekly revenue: 53 weeks allow no yearly season; the chosen method beats naive, 80% coverage 70–90%', async () => {
    const a = await evaluate(test.url, ['order_revenue', '--grain', 'week', '--as-of', '2011-12-09']);
    expect(a.history.periods[0]!.label).toBe('2010-W48'); // the data begin on Wednesday 1 December 2010
    expect(a.history.periods.at(-1)!.label).toBe('2011-W48'); // 2011-W49 runs past the data's last day, 9 December
    expect(a.report.vsSeasonalNaive).toBeUndefined();
    expect(a.report.seasonalNaiveNote).toMatch(/full season of 52 periods/);
    const [chosen, naive] = a.report.vsNaive.methods;
    expect(ratio(chosen!, naive!)).toBeLessThan(1);
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(chosen!.coverage80).toBeLessThanOrEqual(0.9);
  }, 300_000);

  it('Online Retail weekly orders: a near random walk, where the chosen method only ties naive and its intervals are wide', async () => {
    const a = await evaluate(test.url, ['orders', '--grain', 'week', '--as-of', '2011-12-09']);
    const [chosen, naive] = a.report.vsNaive.methods;
    // Measured: MASE ratio 1.003 and 80% coverage 95.7% over 46 weeks. It does NOT meet the
    // criteria: it ties naive, and the intervals are too wide (naive's cover 93.5% too): a few large
    // jumps inflate σ while most weeks move little, heavy tails that normal intervals do not model.
    // Asserted here is what holds: within 5% of naive, never too narrow.
    expect(Math.abs(ratio(chosen!, naive!) - 1)).toBeLessThan(0.05);
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
  }, 300_000);

  it('Maven monthly won revenue: 10 months of closes leave 3 held-out months, no season; it beats naive on those', async () => {
    // Independently of crm-pulse: the months in which deals were won, from the raw CSV.
    const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
    const months = [...new Set(pipeline.filter((d) => d.deal_stage === 'Won').map((d) => d.close_date!.slice(0, 7)))].sort();
    const revenue = months.map((m) => pipeline.filter((d) => d.deal_stage === 'Won' && d.close_date!.startsWith(m)).reduce((s, d) => s + Number(d.close_value), 0));
    const a = await evaluate(test.url, ['won_revenue', '--grain', 'month', '--as-of', '2017-12-31']);
    expect(a.history.periods.map((p) => p.label)).toEqual(months);
    expect(a.history.values).toEqual(revenue);
    const [chosen, naive] = a.report.vsNaive.methods;
    expect(chosen!.points).toBe(months.length - 7); // exponential smoothing is first fitted to 7 months
    expect(a.report.vsSeasonalNaive).toBeUndefined(); // a 12-month season cannot be seen in 10 months
    expect(ratio(chosen!, naive!)).toBeLessThan(1);
  }, 300_000);

  it('Maven weekly won revenue: 44 weeks, 80% coverage 70–90%; the chosen method is about as good as naive', async () => {
    const a = await evaluate(test.url, ['won_revenue', '--grain', 'week', '--as-of', '2017-12-31']);
    const [chosen, naive] = a.report.vsNaive.methods;
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(chosen!.coverage80).toBeLessThanOrEqual(0.9);
    // Measured: MASE ratio 1.014 — it loses to naive by about 1%: weekly won revenue has no pattern to learn.
    expect(Math.abs(ratio(chosen!, naive!) - 1)).toBeLessThan(0.05);
  }, 300_000);
});
