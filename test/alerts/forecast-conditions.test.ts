// The forecast and forecast_target conditions in a backtest over the real Maven CRM data. The
// expected verdicts are computed here from the raw CSV (monthly won revenue) and the forecasting
// module, whose arithmetic is checked against FPP's published examples in forecast-textbook.test.ts;
// what is under test is the wiring: which history each tick sees (never its own future), the
// interval levels, the direction, and the deadline period's total.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../../src/alerts/backtest.ts';
import { createApp, type App } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { forecastSeries, forecastSum } from '../../src/kpi/forecast/forecast-series.ts';
import { normalCdf } from '../../src/kpi/forecast/normal.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
const won = pipeline.filter((d) => d.deal_stage === 'Won');
const MONTHS = [...new Set(won.map((d) => d.close_date!.slice(0, 7)))].sort();
const REVENUE = MONTHS.map((m) => won.filter((d) => d.close_date!.startsWith(m)).reduce((s, d) => s + Number(d.close_value), 0));

const cfg = parseConfig(
  `timezone: UTC
targets:
  won_revenue: { value: 3200000, by: 2018-03-31, grain: quarter }
alerts:
  rules:
    won_off_forecast:
      kpi: won_revenue
      grain: month
      conditions: [{ type: forecast, interval: { warning: 80, critical: 95 }, direction: both }]
    won_miss_q1:
      kpi: won_revenue
      grain: month
      conditions: [{ type: forecast_target, shortfall: 5, likelihood: 0.6 }]
`,
  'forecast-rules.yaml',
);

describe('forecast conditions in a backtest on the Maven CRM data', () => {
  let db: TestDatabase;
  let app: App;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });
  const ctx = () => ({ db: app.db, kpis: app.kpis, calendar: { timeZone: 'UTC', fiscalYearStartMonth: 1 }, targets: cfg.targets, annotations: [] });

  it('forecast: breaches in the months outside the interval of the forecast made from the months before', async () => {
    const report = await backtest(ctx(), cfg.alerts, 'won_off_forecast', new Date('2017-01-01T00:00:00Z'), new Date('2018-01-01T00:00:00Z'));
    // Month i is judged against the forecast from months 0…i−1 (needs 2 for an interval).
    const expected: { period: string; severity: string }[] = [];
    for (let i = 2; i < MONTHS.length; i++) {
      const p = forecastSeries(REVENUE.slice(0, i), { horizon: 1, seasonPeriod: 12 }).points[0]!;
      const v = REVENUE[i]!;
      if (v < p.lo95! || v > p.hi95!) expected.push({ period: MONTHS[i]!, severity: 'critical' });
      else if (v < p.lo80! || v > p.hi80!) expected.push({ period: MONTHS[i]!, severity: 'warning' });
    }
    expect(expected.length).toBeGreaterThan(0); // the data has months off the forecast: the test can fail
    expect(report.breaches.map((b) => b.period)).toEqual(expected.map((e) => e.period));
    const firstCritical = expected.find((e) => e.severity === 'critical');
    if (firstCritical) expect(report.episodes.some((e) => e.severity === 'critical' && e.startPeriod <= firstCritical.period)).toBe(true);
  });

  it('forecast_target: fires when the forecast Q1 2018 total misses the target by over 5%, at least 60% likely', async () => {
    const report = await backtest(ctx(), cfg.alerts, 'won_miss_q1', new Date('2018-01-01T00:00:00Z'), new Date('2018-01-01T12:00:00Z'));
    expect(report.ticks).toBe(1);
    // At 2018-01-01 (judging December) nothing of Q1 is observed: the total is the sum of three monthly forecasts.
    const fc = forecastSeries(REVENUE, { horizon: 3, seasonPeriod: 12 });
    const sum = forecastSum(fc, 0, 2);
    const miss = ((3_200_000 - sum.mean) / 3_200_000) * 100;
    const likely = normalCdf((3_200_000 - sum.mean) / sum.sd!);
    const fires = miss > 5 && likely >= 0.6;
    expect(report.breaches.length).toBe(fires ? 1 : 0);
    const outcomes = await (
      await import('../../src/alerts/evaluate-rule.ts')
    ).evaluateRule(ctx(), cfg.alerts.rules.won_miss_q1!, new Date('2018-01-01T00:00:00Z'), () => false, []);
    const summary = (outcomes[0]!.outcome as { summary: string }).summary;
    expect(summary).toContain(`forecast to miss 2018-Q1 by ${miss.toFixed(1)}%, ${Math.round(likely * 100)}% likely`);
    expect(summary).toContain('by month: 0 months observed + 3 months forecast');
  });
});
