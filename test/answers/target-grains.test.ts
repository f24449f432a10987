// Issue 14, item 5: targets drawn and judged on the wrong grain. Expected figures are counted here
// from the raw Maven CRM files (data/demo/maven-crm, the bundled copy of /work/shared/data/maven-crm)
// in plain JavaScript; the targets are the demo config's (crm-pulse.example.yaml), an input.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import type { TrendChartInput } from '../../src/charts/trend-chart.ts';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { digestReply } from '../../src/answers/digest-reply.ts';
import type { CommandContext, ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

type Deal = { sales_agent: string; product: string; account: string; deal_stage: string; engage_date: string; close_date: string; close_value: string };
const deals = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Deal[];
const managerOf = new Map(
  (parse(readFileSync('data/demo/maven-crm/sales_teams.csv'), { columns: true }) as Record<string, string>[]).map((t) => [t.sales_agent!, t.manager!]),
);
const wonBetween = (from: string, to: string) =>
  deals.filter((d) => d.deal_stage === 'Won' && d.close_date >= from && d.close_date <= to).reduce((s, d) => s + Number(d.close_value), 0);
const money = (v: number) => Math.round(v).toLocaleString('en-US');
// The demo config's targets.won_revenue: 3,200,000 a quarter, from 2017-04-01, by 2018-03-31.
const QUARTERLY_TARGET = 3_200_000;

describe('target grains on the Maven CRM demo data', () => {
  let db: TestDatabase;
  let app: App;
  let ctx: CommandContext;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
    ctx = { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now: await app.asOf() };
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('the monthly won-revenue trend draws the quarterly target as a monthly pace, labelled so', async () => {
    const r = await commandService(app).run('won_revenue 2017-12', ctx);
    const trend = r.blocks.flatMap((b) => (b.kind === 'chart' && b.chart.kind === 'trend' ? [b.chart as TrendChartInput] : []))[0]!;
    // The monthly values are about 1M (December 2017 from the raw file), a third of the quarterly target.
    expect(trend.points.at(-1)!.value).toBe(wonBetween('2017-12-01', '2017-12-31'));
    expect(trend.target).toBeCloseTo(QUARTERLY_TARGET / 3, 6);
    expect(trend.targetLabel).toBe('Target 3,200,000 per quarter = 1,066,667 per month (pace)');
    const zh = await commandService(app).run('won_revenue 2017-12', { ...ctx, locale: 'zh' });
    const trendZh = zh.blocks.flatMap((b) => (b.kind === 'chart' && b.chart.kind === 'trend' ? [b.chart as TrendChartInput] : []))[0]!;
    expect(trendZh.targetLabel).toBe('目标 每季度 3,200,000 = 每月 1,066,667（折算进度）');
    // On its own grain the target is drawn as set, without a pace label.
    const quarterly = await commandService(app).run('won_revenue 2017-Q4', ctx);
    const q = quarterly.blocks.flatMap((b) => (b.kind === 'chart' && b.chart.kind === 'trend' ? [b.chart as TrendChartInput] : []))[0]!;
    expect([q.target, q.targetLabel]).toEqual([QUARTERLY_TARGET, undefined]);
  });

  it('targets shows the starting value and that won revenue is moving away (progress 0% alone hid it)', async () => {
    const start = wonBetween('2017-04-01', '2017-06-30');
    const now = wonBetween('2017-10-01', '2017-12-31');
    expect(now).toBeLessThan(start);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += String(c)));
    const io = {
      env: { LOG_LEVEL: 'silent', DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' },
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
    } as unknown as CliIo;
    expect(await runCli(['targets'], io)).toBe(0);
    const row = out.split('\n').find((l) => l.startsWith('Won revenue'))!;
    expect(row.split(/\s{2,}/)).toEqual([
      'Won revenue (2017-Q4)',
      `${money(start)} (2017-Q2)`,
      money(now),
      'moving away',
      '3,200,000',
      '2018-03-31',
      '0%',
      expect.any(String),
      'no',
    ]);
    const answer = await commandService(app).run('won_revenue 2017-Q4', ctx);
    const field = (answer.blocks[2] as Extract<ReplyBlock, { kind: 'fields' }>).fields[2]!;
    expect(field.value).toContain(`from ${money(start)} (2017-Q2), moving away`);
  });

  it("a manager's digest says it uses the company target and never calls 100% against 98% off track", async () => {
    const digestNow = await app.asOf();
    const anyDigest = await app.digests.preview([...new Set(managerOf.values())][0]!, digestNow);
    const { start, end } = anyDigest.period;
    const day = (iso: string) => iso.slice(0, 10);
    // Data completeness per manager in the digest's week: deals engaged then with account, product and agent filled.
    const inWeek = deals.filter((d) => d.engage_date !== '' && d.engage_date >= day(start) && d.engage_date < day(end));
    const complete = (d: Deal) => d.account !== '' && d.product !== '' && d.sales_agent !== '';
    const perfect = [...new Set(managerOf.values())].filter((m) => {
      const mine = inWeek.filter((d) => managerOf.get(d.sales_agent) === m);
      return mine.length > 0 && mine.every(complete);
    });
    expect(perfect.length).toBeGreaterThan(0);
    for (const manager of perfect) {
      const n = inWeek.filter((d) => managerOf.get(d.sales_agent) === manager).length;
      const reply = digestReply(app, await app.digests.preview(manager, digestNow), 'en');
      const table = reply.blocks.find((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table')!;
      expect(table.columns[4]).toBe('Company target');
      const row = table.rows.find((r) => r[0] === 'Data completeness (deals)')!;
      expect(row.slice(1, 3)).toEqual([`100.0%${n < 30 ? '*' : ''}`, String(n)]);
      // Higher is better and 100% ≥ 98%: the team meets the company's level; on a small sample it is not judged.
      expect(row[4]).toBe(`98.0% by 2018-03-31${n < 30 ? ' (company-wide; not judged for the team)' : ' · team meets it'}`);
    }
  });
});
