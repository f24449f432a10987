// The /kpi service on the bundled Maven CRM pipeline (8,800 real deals), with the demo config:
// expectations are derived from the KPI engine and the attribution maths, never typed in by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import { whyDimensions } from '../../src/kpi/kpi-dimensions.ts';
import { replyProblems } from '../helpers/block-kit.ts';
import type { CommandContext, Reply, ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { attributeChange } from '../../src/kpi/change-contributions.ts';
import { formatKpiChange, formatKpiValue } from '../../src/kpi/format-kpi-value.ts';
import { formulaShape } from '../../src/kpi/formula-shape.ts';
import { parsePeriod, previousPeriod } from '../../src/kpi/periods.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

const tables = (r: Reply) => r.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table');

describe('the /kpi service on the Maven CRM demo data', () => {
  let db: TestDatabase;
  let app: App;
  let kpi: CommandService;
  let ctx: CommandContext;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
    kpi = commandService(app);
    ctx = { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now: await app.asOf() };
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /** The attribution of a KPI's change in a month over one dimension, straight from the engine. */
  async function attribution(key: string, label: string, by: string) {
    const period = parsePeriod(label, ctx.now, app.calendar);
    const at = (p: typeof period) => app.kpiReport(key, { grain: 'month', asOf: new Date(p.end.getTime() - 1), count: 1, by });
    const [now, before] = [await at(period), await at(previousPeriod(period, app.calendar))];
    return attributeChange(
      formulaShape(app.kpis.get(key)),
      { before: now.rows[0]!.previous.value, after: now.rows[0]!.current.value },
      before.breakdown!,
      now.breakdown!,
    );
  }

  it('why win_rate: the shift-share contributions of every dimension add up to the change, and the answer shows them', async () => {
    const kpiDef = app.kpis.get('win_rate');
    for (const by of whyDimensions(kpiDef)) {
      const a = await attribution('win_rate', '2017-09', by);
      expect(a.method).toBe('shift_share');
      const sum = a.items.reduce((s, i) => s + i.contribution!, 0);
      expect(Math.abs(sum - a.change!), by).toBeLessThan(1e-12);
      expect(Math.abs(a.unexplained!)).toBeLessThan(1e-12);
    }
    const a = await attribution('win_rate', '2017-09', 'region');
    const r = await kpi.run('why win_rate 2017-09 by region', ctx);
    const pp = (v: number | null | undefined) => formatKpiChange(v ?? null, 'percent');
    expect(tables(r)[0]!.rows).toEqual(
      a.items.map((i) => [
        i.key,
        formatKpiValue(i.before, 'percent'),
        formatKpiValue(i.after, 'percent'),
        pp(i.rateEffect),
        pp(i.mixEffect),
        pp(i.contribution),
      ]),
    );
    expect(r.text).toContain(`(*${formatKpiChange(a.change, 'percent')}*)`);
  });

  it("why won_revenue: each dimension's contributions add up to the change exactly", async () => {
    for (const by of whyDimensions(app.kpis.get('won_revenue'))) {
      const a = await attribution('won_revenue', '2017-07', by);
      expect(a.method).toBe('additive');
      expect(
        a.items.reduce((s, i) => s + i.contribution!, 0),
        by,
      ).toBeCloseTo(a.change!, 6);
    }
    const r = await kpi.run('why won_revenue 2017-07', ctx);
    const first = tables(r)[0]!;
    const a = await attribution('won_revenue', '2017-07', first.columns[0]!);
    expect(first.rows[0]).toEqual([
      a.items[0]!.key,
      formatKpiValue(a.items[0]!.before, 'currency'),
      formatKpiValue(a.items[0]!.after, 'currency'),
      formatKpiChange(a.items[0]!.contribution, 'currency'),
    ]);
  });

  it('win_rate by region: the breakdown of the engine, and the configured target and threshold on the trend', async () => {
    const r = await kpi.run('win_rate 2017-Q3 by region', ctx);
    const report = await app.kpiReport('win_rate', {
      grain: 'quarter',
      asOf: new Date(parsePeriod('2017-Q3', ctx.now, app.calendar).end.getTime() - 1),
      count: 12,
      by: 'region',
    });
    // Ranked by n, the closed deals each rate stands on (issue 14), with n beside the value.
    const expected = [...report.breakdown!]
      .sort((x, y) => y.n! - x.n! || y.value! - x.value!)
      .map((b) => [
        b.key,
        formatKpiValue(b.value, 'percent'),
        b.n!.toLocaleString('en-US'),
        formatKpiValue(b.previous, 'percent'),
        formatKpiChange(b.value! - b.previous!, 'percent'),
      ]);
    expect(tables(r)[0]!.rows).toEqual(expected);
    const trend = r.blocks.flatMap((b) => (b.kind === 'chart' && b.chart.kind === 'trend' ? [b.chart] : []))[0]!;
    expect(trend.points.map((p) => p.value)).toEqual(report.rows.map((row) => row.current.value));
    // The demo config: a 65% win-rate target, and the win_rate_low rule's warning level of 45%.
    expect([trend.target, trend.threshold]).toEqual([app.config.config.targets.win_rate!.value, { value: 0.45 }]);
  });

  it('an answer with no value to draw carries no chart; one with values carries its trend and breakdown', async () => {
    const charts = (r: Reply) => r.blocks.filter((b) => b.kind === 'chart').map((b) => (b.kind === 'chart' ? b.chart.kind : ''));
    // Maven CRM's deals start in October 2016: the twelve months to June 2015 have none.
    const before = await kpi.run('won_revenue 2015-06 by region', ctx);
    expect(before.text).toMatch(/^Won revenue · June 2015: no value \(/);
    expect(charts(before)).toEqual([]);
    const during = await kpi.run('won_revenue 2017-06 by region', ctx);
    expect(charts(during)).toEqual(['breakdown', 'trend']);
  });

  it('list shows every KPI with a value where the deals give one', async () => {
    const r = await kpi.run('list', ctx);
    // The SQL KPIs in the first table, the computed ones (clv_predicted, customers_at_risk) in a second.
    const rows = new Map(
      tables(r)
        .flatMap((t) => t.rows)
        .map((row) => [row[0], row]),
    );
    expect(tables(r)[1]!.rows.map((row) => [row[0], row.at(-1)])).toEqual([
      ['clv_predicted', 'model: /kpi clv_predicted'],
      ['customers_at_risk', 'model: /kpi customers at risk'],
    ]);
    const report = await app.kpiReport('win_rate', { grain: 'month', asOf: ctx.now, count: 1 });
    // The clock is the last record's instant, inside December: the month is to date, through that day.
    const cut = report.rows[0]!.current.cutAt;
    const label = report.rows[0]!.period.label + (cut ? ` through ${new Date(cut.getTime() - 1).toISOString().slice(0, 10)}` : '');
    expect(rows.get('win_rate')!.slice(2)).toEqual([
      formatKpiValue(report.rows[0]!.current.value, 'percent'),
      formatKpiChange(report.rows[0]!.change, 'percent'),
      label,
    ]);
    expect(rows.size).toBe(app.kpis.all.length);
  });

  it("win_rate by region: the table's cells hold the engine's values, so Slack's data_table sorts them as numbers", async () => {
    const period = parsePeriod('2017-09', ctx.now, app.calendar);
    const report = await app.kpiReport('win_rate', { grain: 'month', asOf: new Date(period.end.getTime() - 1), count: 1, by: 'region' });
    const table = tables(await kpi.run('win_rate 2017-09 by region', ctx))[0]!;
    expect(table.cells!.map((r) => [r[0]!.text, r[1]!.value, r[1]!.text])).toEqual(
      report.breakdown!.map((b) => [b.key, b.value, expect.stringContaining(formatKpiValue(b.value, 'percent'))]),
    );
    expect(table.cells!.map((r) => r.map((c) => c.text))).toEqual(table.rows);
  });

  it('the scorecard keeps its numbers in raw_number cells: each KPI row its attainment, weight, value and target', async () => {
    const table = tables(await kpi.run('scorecard', ctx))[0]!;
    const kpiRows = table.cells!.filter((r) => r[0]!.text.startsWith('  '));
    expect(kpiRows.length).toBeGreaterThan(2);
    for (const r of kpiRows)
      expect(
        r.slice(1, 3).every((c) => Number.isFinite(c.value)),
        r[0]!.text,
      ).toBe(true);
    // The weight's text is its value as a percent.
    for (const r of kpiRows) expect(r[2]!.text).toBe(`${Math.round(r[2]!.value! * 100)}%`);
  });

  it('answers with 30 owners still fit Slack', async () => {
    for (const text of [
      'won_revenue by owner',
      'why won_revenue by owner',
      'why avg_deal_size 2017-07',
      'why win_rate',
      'list',
      'scorecard',
      'segments',
      'cohorts',
      'alerts',
      'status',
    ]) {
      for (const locale of ['en', 'zh'] as const) expect(replyProblems(await kpi.run(text, { ...ctx, locale })), `${locale}: ${text}`).toEqual([]);
    }
  });
});
