// `/kpi forecast` through the command service on the Maven CRM data, in English and Chinese. The
// expected forecast is computed here from the raw CSV with the forecasting module (checked against
// FPP's published fits in test/kpi/forecast-textbook.test.ts); under test are the parsing, the
// history the answer reads (complete months only), the reply and its chart.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import { parseCommand } from '../../src/answers/parse-command.ts';
import type { CommandContext, Reply, ReplyBlock } from '../../src/answers/reply.ts';
import type { ForecastChartInput } from '../../src/charts/forecast-chart.ts';
import { readEnv } from '../../src/config/env.ts';
import { formatKpiValue } from '../../src/kpi/format-kpi-value.ts';
import { forecastSeries } from '../../src/kpi/forecast/forecast-series.ts';
import { renderChart } from '../../src/charts/render-chart.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
const won = pipeline.filter((d) => d.deal_stage === 'Won');
const MONTHS = [...new Set(won.map((d) => d.close_date!.slice(0, 7)))].sort();
const REVENUE = MONTHS.map((m) => won.filter((d) => d.close_date!.startsWith(m)).reduce((s, d) => s + Number(d.close_value), 0));
const block = <K extends ReplyBlock['kind']>(r: Reply, kind: K) => r.blocks.find((b): b is Extract<ReplyBlock, { kind: K }> => b.kind === kind)!;

describe('/kpi forecast on the Maven CRM data', () => {
  let db: TestDatabase;
  let app: App;
  let kpi: CommandService;
  // The first instant of 2018: December 2017 is complete.
  const now = new Date('2017-12-31T23:59:59.999Z');
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
    kpi = commandService(app);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });
  const ctx = (locale: 'en' | 'zh'): CommandContext => ({ userId: 'U1', locale, isAdmin: false, now });

  it('parses English and Chinese, with the unit of `next` setting the grain', () => {
    const env = { kpis: app.kpis.all, calendar: app.calendar, now, locale: 'en' as const };
    expect(parseCommand('forecast won_revenue next 6 weeks', env)).toMatchObject({
      ok: true,
      command: { name: 'forecast', kpi: 'won_revenue', horizon: 6, grain: 'week', by: undefined },
    });
    expect(parseCommand('预测 赢单收入 按区域 未来3个月', env)).toMatchObject({
      ok: true,
      command: { name: 'forecast', kpi: 'won_revenue', horizon: 3, grain: 'month', by: 'region' },
    });
    expect(parseCommand('预测赢单收入', env)).toMatchObject({ ok: true, command: { name: 'forecast', kpi: 'won_revenue', horizon: 3, grain: 'month' } });
    const bad = parseCommand('forecast won_revenue next 0 months', env);
    expect(bad).toMatchObject({ ok: false, problem: { kind: 'unexpected', words: 'next 0 months' } });
  });

  it('answers with the method, the forecast and intervals of the next months, and a chart; the same in Chinese', async () => {
    const expected = forecastSeries(REVENUE, { horizon: 3, seasonPeriod: 12 });
    const en = await kpi.run('forecast won_revenue next 3 months', ctx('en'));
    expect(en.kind).toBe('answer');
    expect(block(en, 'text').text).toContain(`Method: *${expected.model}*, the lowest AICc of ${expected.candidates} exponential smoothing models.`);
    expect(block(en, 'text').text).toContain(`No seasonality: ${MONTHS.length} months are fewer than two seasons of 12.`);
    const table = block(en, 'table');
    expect(table.rows.map((r) => r[0])).toEqual(['2018-01', '2018-02', '2018-03']);
    expect(table.rows.map((r) => r[1])).toEqual(expected.points.map((p) => formatKpiValue(p.mean, 'currency')));
    expect(table.rows[0]![2]).toBe(`${formatKpiValue(expected.points[0]!.lo80, 'currency')} – ${formatKpiValue(expected.points[0]!.hi80, 'currency')}`);
    const chart = block(en, 'chart').chart as ForecastChartInput;
    expect(chart.history.map((h) => h.value)).toEqual(REVENUE);
    const png = await renderChart(chart);
    expect(png.svg).toContain(`Forecast (${expected.model}`);

    const zh = await kpi.run('预测 赢单收入 未来3个月', ctx('zh'));
    expect(block(zh, 'header').text).toBe('赢单收入：未来 3 个月预测');
    expect(block(zh, 'text').text).toContain(`方法：*${expected.model}*，在 ${expected.candidates} 个指数平滑模型中 AICc 最低。`);
    expect(block(zh, 'table').rows).toEqual(table.rows);
    expect((await renderChart(block(zh, 'chart').chart)).svg).toContain('80% 区间');
  });

  it('by region: one forecast per region, each from that region’s own months', async () => {
    const reply = await kpi.run('forecast won_revenue by region next 2 months', ctx('en'));
    // Regions come from sales_teams.csv, the office of each deal's agent.
    const teams = new Map(
      (parse(readFileSync('data/demo/maven-crm/sales_teams.csv'), { columns: true }) as Record<string, string>[]).map((t) => [
        t.sales_agent!,
        t.regional_office!,
      ]),
    );
    const central = MONTHS.map((m) =>
      won.filter((d) => d.close_date!.startsWith(m) && teams.get(d.sales_agent!) === 'Central').reduce((s, d) => s + Number(d.close_value), 0),
    );
    const expected = forecastSeries(central, { horizon: 2, seasonPeriod: 12 });
    const texts = reply.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'text' }> => b.kind === 'text').map((b) => b.text);
    const at = texts.indexOf('*region Central*');
    expect(at).toBeGreaterThanOrEqual(0);
    const tables = reply.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table');
    const centralTable = tables[texts.slice(0, at).filter((t) => t.startsWith('*region ')).length]!;
    expect(centralTable.rows.map((r) => r[1])).toEqual(expected.points.map((p) => formatKpiValue(p.mean, 'currency')));
  });

  it('on a clock past the data (2018-06-30), forecasts from the end of the data and says so, in English and Chinese', async () => {
    // Independently of crm-pulse: the last close date in the raw file; won revenue's data ends there.
    const lastDay = pipeline
      .map((d) => d.close_date!)
      .filter((d) => d)
      .sort()
      .at(-1)!;
    const later = (locale: 'en' | 'zh'): CommandContext => ({ ...ctx(locale), now: new Date('2018-06-30T12:00:00Z') });
    const expected = forecastSeries(REVENUE, { horizon: 3, seasonPeriod: 12 });
    const en = await kpi.run('forecast won_revenue next 3 months', later('en'));
    expect(block(en, 'table').rows.map((r) => r[0])).toEqual(['2018-01', '2018-02', '2018-03']);
    expect(block(en, 'table').rows.map((r) => r[1])).toEqual(expected.points.map((p) => formatKpiValue(p.mean, 'currency')));
    expect(block(en, 'context').text).toContain(`no data since ${lastDay}: forecast from the end of the data`);
    const zh = await kpi.run('预测 赢单收入 未来3个月', later('zh'));
    expect(block(zh, 'context').text).toContain(`${lastDay} 之后没有数据：从数据末尾开始预测`);
    // On the data's own clock nothing is said.
    expect(block(await kpi.run('forecast won_revenue next 3 months', ctx('en')), 'context').text).not.toContain('no data since');
  });
});
