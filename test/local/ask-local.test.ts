// Local mode answers /kpi text like Slack does: at the prompt of `crm-pulse start` and with
// `crm-pulse ask`, writing each chart as a PNG under the out folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartInput } from '../../src/charts/chart-input.ts';
import { renderChart } from '../../src/charts/render-chart.ts';
import type { Reply } from '../../src/answers/reply.ts';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { progressBars } from '../../src/cli/progress-bars.ts';
import { chartFileName, formatReply } from '../../src/local/format-reply.ts';
import { startLocal } from '../../src/cli/start-local.ts';
import { alertFixture } from '../alerts/alert-fixture.ts';
import { pngStats } from '../charts/png-stats.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';

type Fixture = Awaited<ReturnType<typeof alertFixture>>;

/** Captured streams; stdin is a terminal when `tty`, so the prompt opens. */
function terminal(tty: boolean) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = tty;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  stderr.resume();
  return { io: { env: {}, stdin, stdout, stderr } as unknown as CliIo, stdin, output: () => out };
}

/** A written chart is a real image: the size renderChart gives the same input, and not one flat colour. */
async function expectChartFile(file: string, chart: ChartInput): Promise<void> {
  const png = await pngStats(readFileSync(file));
  const rendered = await renderChart(chart);
  expect(png.format).toBe('png');
  expect([png.width, png.height]).toEqual([rendered.width, rendered.height]);
  expect(Math.max(...png.stdev)).toBeGreaterThan(10);
  expect(png.distinctColours).toBeGreaterThan(50);
}

describe('local mode answers /kpi text', () => {
  let f: Fixture;
  let out: string;
  beforeAll(async () => {
    f = await alertFixture();
    out = mkdtempSync(join(tmpdir(), 'crm-pulse-out-'));
  });
  afterAll(async () => {
    await f.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('formatReply: readable text, tables aligned, charts written with their paths', async () => {
    const reply: Reply = {
      text: 'x',
      visibility: 'in_channel',
      kind: 'answer',
      locale: 'en',
      blocks: [
        { kind: 'header', text: 'Won revenue · March 2024' },
        { kind: 'text', text: '*140* <https://example.com/x|the thread> for <@U0ADMIN> in <#C0SALES|sales>' },
        {
          kind: 'fields',
          fields: [
            { label: 'vs previous period', value: '−60 (2024-02: 200)' },
            { label: '环比', value: '−60' },
          ],
        },
        {
          kind: 'table',
          columns: ['region', 'value'],
          rows: [
            ['West', '40'],
            ['East', '100'],
          ],
        },
        { kind: 'context', text: 'won_revenue: sum' },
        {
          kind: 'chart',
          chart: {
            kind: 'trend',
            title: 'Won revenue',
            period: '2024-01 – 2024-03',
            unit: 'currency',
            points: [
              { period: '2024-01', start: '2024-01-01T00:00:00Z', value: 200 },
              { period: '2024-02', start: '2024-02-01T00:00:00Z', value: 200 },
              { period: '2024-03', start: '2024-03-01T00:00:00Z', value: 140 },
            ],
          },
          alt: 'trend',
        },
      ],
    };
    const dir = join(out, 'format');
    const { text, files } = await formatReply(reply, { outDir: dir, cwd: out, render: renderChartPng });
    expect(files).toEqual([join(dir, 'trend-won-revenue-2024-01-2024-03.png')]);
    expect(text).toBe(
      [
        '',
        'Won revenue · March 2024',
        '════════════════════════',
        '140 the thread (https://example.com/x) for @U0ADMIN in #sales',
        '  vs previous period  −60 (2024-02: 200)',
        '  环比                −60',
        '',
        '  region  value',
        '  ------  -----',
        '  West       40',
        '  East      100',
        '',
        '  · won_revenue: sum',
        '  📈 format/trend-won-revenue-2024-01-2024-03.png  (trend)',
        '  (posted in the channel in Slack)',
      ].join('\n'),
    );
    await expectChartFile(files[0]!, (reply.blocks[5] as { chart: ChartInput }).chart);
    expect(chartFileName({ kind: 'rfm', title: 'RFM 客户分群', period: '2011-12-10', segments: [], valueTitle: 'x' })).toBe('rfm-rfm-客户分群-2011-12-10.png');
    // A breakdown by owner must not overwrite the one by region of the same KPI and period.
    const breakdown = (dimension: string): ChartInput => ({ kind: 'breakdown', title: 'Win rate', period: '2017-09', unit: 'percent', dimension, items: [] });
    expect([chartFileName(breakdown('owner')), chartFileName(breakdown('region'))]).toEqual([
      'breakdown-win-rate-by-owner-2017-09.png',
      'breakdown-win-rate-by-region-2017-09.png',
    ]);
  });

  it('crm-pulse ask runs one /kpi text and writes its charts', async () => {
    const { io, output } = terminal(false);
    const env = {
      DATABASE_URL: f.app.env.databaseUrl,
      CRM_PULSE_CONFIG: join(f.dir, 'crm-pulse.yaml'),
      LOG_LEVEL: 'silent',
      CRM_PULSE_NOTIFICATIONS: join(f.dir, 'n.jsonl'),
    };
    const dir = join(out, 'ask');
    const code = await runCli(['ask', '/kpi', 'why', 'won_revenue', '2024-03', '--out', dir, '--json'], { ...io, env } as CliIo);
    expect(code).toBe(0);
    const reply = JSON.parse(output()) as Reply & { files: string[] };
    expect(reply.text).toBe('Won revenue went from *200* in 2024-02 to *140* in 2024-03 (*−60*). Biggest driver: *West* (region), −60.');
    const chart = reply.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []))[0]!;
    expect(reply.files).toEqual([join(dir, chartFileName(chart))]);
    await expectChartFile(reply.files[0]!, chart);

    const text = terminal(false);
    expect(await runCli(['ask', 'won_revenue', '2024-03', 'by', 'region', '--out', dir], { ...text.io, env } as CliIo)).toBe(0);
    expect(text.output()).toContain('\nWon revenue · March 2024\n═');
    expect(text.output()).toMatch(/ {2}region {2}2024-03 {2}2024-02 {2}change\n/);
    expect(text.output()).toContain(`  📈 ${join(dir, 'breakdown-won-revenue-by-region-2024-03.png')}`);
    expect(existsSync(join(dir, 'trend-won-revenue-2023-04-2024-03.png'))).toBe(true);

    const refused = terminal(false);
    expect(
      await runCli(['ask', 'target', 'won_revenue', '300', 'by', '2024-12-31', '--not-admin', '--user', 'U0MEMBER'], { ...refused.io, env } as CliIo),
    ).toBe(2);
    expect(refused.output()).toContain('Sorry, only admins can run `/kpi target`.');
  });

  it('the prompt of crm-pulse start takes /kpi text, with or without /kpi, and keeps its own commands', async () => {
    const { io, stdin, output } = terminal(true);
    const dir = join(out, 'prompt');
    const done = startLocal(f.app, { asOf: '2024-03-31', io, bars: progressBars(io.stderr), outDir: dir });
    stdin.write('help\n');
    stdin.write('why won_revenue by region\n');
    stdin.write('/kpi 赢单收入 上月 按区域\n');
    stdin.write('win_rat\n');
    stdin.write('status\n');
    stdin.end('quit\n');
    expect(await done).toBe(0);
    const text = output();
    expect(text).toContain('Type any /kpi command, with or without /kpi');
    // the clock is the end of 31 March 2024: this month is March, last month February
    expect(text).toContain('Won revenue went from 200 in 2024-02 to 140 in 2024-03 (−60). Biggest driver: West (region), −60.');
    expect(text).toContain('\nWon revenue · February 2024\n');
    expect(text).toContain("I don't know `win_rat`: it is neither a subcommand nor a KPI. Did you mean `win_rate`?");
    expect(text).toMatch(/crm \(csv\): /);
    const contribution = join(dir, 'contribution-won-revenue-by-region-2024-02-2024-03.png');
    expect(text).toContain(`📈 ${contribution}`);
    const png = await pngStats(readFileSync(contribution));
    expect(png.width).toBeGreaterThan(1000);
    expect(Math.max(...png.stdev)).toBeGreaterThan(10);
    expect(existsSync(join(dir, 'breakdown-won-revenue-by-region-2024-02.png'))).toBe(true);
  });
});
