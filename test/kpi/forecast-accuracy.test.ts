// The forecast's accuracy on the bundled real data, measured through `crm-pulse forecast --evaluate`
// (a rolling-origin backtest, FPP §5.10) against naive and seasonal naive in the same run. The
// criteria of issue 19: the chosen method beats seasonal naive (MASE ratio < 1) where history
// allows, and its 80% intervals cover 70–90% of the held-out values. Where it does not, the test
// says so and asserts what is true instead; the README (Forecasts) reports the figures.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
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
  const io = {
    env: { LOG_LEVEL: 'silent', DATABASE_URL: url, CRM_PULSE_CONFIG: '' },
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
  } as unknown as CliIo;
  expect(await runCli(['forecast', '--evaluate', '--json', ...args], io)).toBe(0);
  return JSON.parse(out) as ForecastAccuracy;
}

const ratio = (a: MethodAccuracy, b: MethodAccuracy) => a.mase / b.mase;

/** The raw Online Retail lines (data/demo/online-retail, see ATTRIBUTION.md). */
function rawLines(): Record<string, string>[] {
  return parse(gunzipSync(readFileSync('data/demo/online-retail/online_retail.csv.gz')), { columns: true }) as Record<string, string>[];
}

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
    // Saturdays without orders are 0: multiplicative errors are left out, the models are additive.
    expect(Object.keys(chosen!.models).every((m) => m.startsWith('ETS(A,'))).toBe(true);
    // Measured: ratio vs seasonal naive 0.869, 80% coverage 76.7%, 95% 93.3% over 60 days.
    expect(ratio(chosen!, snaive!)).toBeLessThan(1);
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(chosen!.coverage80).toBeLessThanOrEqual(0.9);
    expect(ratio(a.report.vsNaive.methods[0]!, a.report.vsNaive.methods[1]!)).toBeLessThan(1);
  }, 300_000);

  it('Online Retail weekly revenue: the closure week is a gap, 48 weeks allow no yearly season; the chosen method beats naive, 80% coverage 70–90%', async () => {
    const a = await evaluate(test.url, ['order_revenue', '--grain', 'week', '--as-of', '2011-12-09']);
    // Independently of crm-pulse: the raw file has no invoice at all from 24 December 2010 to 3 January 2011.
    const days = new Set(rawLines().map((l) => l.InvoiceDate!.slice(0, 10)));
    const closed = Array.from({ length: 11 }, (_, i) => new Date(Date.UTC(2010, 11, 24 + i)).toISOString().slice(0, 10));
    expect(closed.filter((d) => days.has(d))).toEqual([]);
    expect(days.has('2010-12-23') && days.has('2011-01-04')).toBe(true);
    // So 2010-W52 (27 Dec – 2 Jan) is a gap, not a week of zero sales, and the history starts after it.
    expect(a.history.notes).toContain('no record at all in 2010-W52 (a closure or a gap in the data, not a zero); only the 48 periods after it are used');
    expect(a.history.periods[0]!.label).toBe('2011-W01');
    expect(a.history.periods.at(-1)!.label).toBe('2011-W48'); // 2011-W49 runs past the data's last day, 9 December
    expect(a.report.vsSeasonalNaive).toBeUndefined();
    expect(a.report.seasonalNaiveNote).toMatch(/full season of 52 periods/);
    const [chosen, naive] = a.report.vsNaive.methods;
    // Measured: MASE ratio vs naive 0.869, 80% coverage 73.2%, 95% 90.2% over 41 weeks
    // (additive errors only: 0.881, 75.6%, 85.4%).
    expect(ratio(chosen!, naive!)).toBeLessThan(1);
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(chosen!.coverage80).toBeLessThanOrEqual(0.9);
  }, 300_000);

  it('Online Retail weekly orders: multiplicative errors widen the intervals with the level, 80% coverage 70–90%; it still loses to naive', async () => {
    const a = await evaluate(test.url, ['orders', '--grain', 'week', '--as-of', '2011-12-09']);
    expect(a.history.periods[0]!.label).toBe('2011-W01'); // 2010-W52, the shop's closure, is a gap (see weekly revenue)
    expect(a.report.vsSeasonalNaive).toBeUndefined(); // 48 weeks: no seasonal naive to beat
    const [chosen, naive] = a.report.vsNaive.methods;
    expect(chosen!.points).toBe(41);
    // Weekly orders grow from about 300 in spring to 700 in November and their one-step errors with
    // them: a multiplicative-error model (interval σ·ŷ) is chosen by AICc at most origins.
    const multiplicative = Object.entries(chosen!.models)
      .filter(([m]) => m.startsWith('ETS(M,'))
      .reduce((s, [, n]) => s + n, 0);
    expect(multiplicative).toBeGreaterThan(chosen!.points / 2);
    // Measured: 80% coverage 73.2% (30 of 41), 95% coverage 87.8%, MASE ratio vs naive 1.206. With
    // additive errors only it was 63.4% / 82.9% / 1.220: intervals fitted on the calm spring were
    // too narrow for the autumn ramp (README, Forecasts, "Where it loses").
    expect(chosen!.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(chosen!.coverage80).toBeLessThanOrEqual(0.9);
    expect(chosen!.coverage95).toBeGreaterThan(chosen!.coverage80!);
    // Its point forecasts still lose to the last value: what it gains is honest intervals, not accuracy.
    expect(ratio(chosen!, naive!)).toBeGreaterThan(1);
  }, 300_000);

  it('Maven monthly won revenue: 10 months of closes leave 3 held-out months, no season; it beats naive on those', async () => {
    // Independently of crm-pulse: the months in which deals were won, from the raw CSV.
    const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
    const months = [...new Set(pipeline.filter((d) => d.deal_stage === 'Won').map((d) => d.close_date!.slice(0, 7)))].sort();
    const revenue = months.map((m) =>
      pipeline.filter((d) => d.deal_stage === 'Won' && d.close_date!.startsWith(m)).reduce((s, d) => s + Number(d.close_value), 0),
    );
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
    // Measured: MASE ratio 0.996 and 80% coverage 75.7% (additive errors only: 1.014, 78.4%) — a tie
    // with naive: weekly won revenue has no pattern to learn.
    expect(Math.abs(ratio(chosen!, naive!) - 1)).toBeLessThan(0.05);
  }, 300_000);
});
