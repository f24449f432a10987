// Issue 14, "Money has a currency": a source's `currency` shows in charts (labels, legends,
// subtitles, money axes), the weekly digest (rows, movers, sparkline cells) and the targets table,
// in both languages; with no currency configured every surface keeps the bare amounts.
// The data is the alert fixture's small CRM (test/alerts/alert-fixture.ts); every expected figure
// is computed here from its CSV.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartInput } from '../../src/charts/chart-input.ts';
import { nativeChart } from '../../src/charts/native-chart.ts';
import { renderChart } from '../../src/charts/render-chart.ts';
import type { Reply } from '../../src/answers/reply.ts';
import { dealsCsv, SOURCE } from '../alerts/alert-fixture.ts';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

const OWNERS = 'id,name,office\nann,Ann,West\nbob,Bob,East\n';
const REGION: Record<string, string> = { ann: 'West', bob: 'East' };
const TARGET = 250;
const TARGETS = `targets:
  won_revenue: { value: ${TARGET}, by: '2024-12-31', from: '2024-01-01', grain: month }
scorecard:
  grain: month
  perspectives:
    financial: { kpis: [won_revenue, win_rate], pairwise: [[1, 2], [1/2, 1]] }
`;

/** Won revenue from the raw CSV: by month (YYYY-MM), by region or by ISO week's Monday (YYYY-MM-DD). */
function wonRevenue(match: (closedAt: string, owner: string) => boolean): number {
  const rows = parse(dealsCsv(), { columns: true }) as { status: string; amount: string; owner: string; closed_at: string }[];
  return rows.filter((r) => r.status === 'won' && match(r.closed_at, r.owner)).reduce((sum, r) => sum + Number(r.amount), 0);
}
const euro = (v: number) => `${v < 0 ? '−' : ''}€${Math.abs(v).toLocaleString('en-US')}`;

/** The text drawn in an SVG's text elements. */
const svgTexts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('money carries its currency in charts, the digest and the targets table', () => {
  const dbs: TestDatabase[] = [];
  const configs = { eur: '', none: '' };
  const envs = { eur: { DATABASE_URL: '' }, none: { DATABASE_URL: '' } };
  let dir: string;

  beforeAll(async () => {
    dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': dealsCsv() });
    configs.eur = join(dir, 'eur.yaml');
    configs.none = join(dir, 'none.yaml');
    writeFileSync(configs.eur, `${SOURCE.replace('    kind: csv\n', '    kind: csv\n    currency: EUR\n')}\n${TARGETS}`);
    writeFileSync(configs.none, `${SOURCE}\n${TARGETS}`);
    for (const key of ['eur', 'none'] as const) {
      const db = tempSqlite();
      dbs.push(db);
      envs[key] = { DATABASE_URL: db.url };
      const run = await runCliCaptured(['-c', configs[key], 'ingest', 'crm'], envs[key]);
      expect(run.code, run.err).toBe(0);
    }
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  const ask = async (key: 'eur' | 'none', text: string, locale: 'en' | 'zh', asOf = '2024-09-30') => {
    const run = await runCliCaptured(
      ['-c', configs[key], 'ask', '--json', '--locale', locale, '--as-of', asOf, '--out', join(dir, `out-${key}`), text],
      envs[key],
    );
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as Reply & { files: string[] };
  };
  const charts = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart as ChartInput] : []));

  it('a breakdown chart writes its values and changes in euros, in English and Chinese', async () => {
    const month = (m: string) => (closedAt: string, owner: string, region: string) => closedAt.startsWith(m) && REGION[owner] === region;
    const west = wonRevenue((c, o) => month('2024-03')(c, o, 'West'));
    const westBefore = wonRevenue((c, o) => month('2024-02')(c, o, 'West'));
    const east = wonRevenue((c, o) => month('2024-03')(c, o, 'East'));
    for (const locale of ['en', 'zh'] as const) {
      const breakdown = charts(await ask('eur', 'won_revenue 2024-03 by region', locale)).find((c) => c.kind === 'breakdown')!;
      expect(breakdown.currency).toBe('EUR');
      const texts = svgTexts((await renderChart(breakdown)).svg);
      expect(texts).toEqual(expect.arrayContaining([euro(west), euro(east), euro(west - westBefore)]));
      // Slack's native chart prints bare numbers: its title says the currency.
      expect(nativeChart(breakdown)?.title).toBe(`${breakdown.title} (€)`);
    }
  });

  it('a trend chart labels its money axis, its target and its latest value in euros; without a currency they stay bare', async () => {
    // As of 2024-03-31 the trend ends with March, after February (the months before the data have no value).
    const march = wonRevenue((c) => c.startsWith('2024-03'));
    const february = wonRevenue((c) => c.startsWith('2024-02'));
    for (const locale of ['en', 'zh'] as const) {
      const trend = charts(await ask('eur', 'won_revenue 2024-03', locale, '2024-03-31')).find((c) => c.kind === 'trend')!;
      const texts = svgTexts((await renderChart(trend)).svg);
      const subtitle = texts.find((t) => t.includes('2024-03') && t.includes(euro(march)))!;
      expect(subtitle).toContain(`${euro(march)} (${euro(march - february)}`);
      expect(texts.some((t) => t.endsWith(euro(TARGET)))).toBe(true);
      // The y axis: the values run from March's to February's, so at least three ticks lie between.
      const ticks = texts.filter((t) => /^€\d{3}$/.test(t)).map((t) => Number(t.slice(1)));
      expect(ticks.filter((t) => t >= march && t <= TARGET).length).toBeGreaterThanOrEqual(3);
      const bare = charts(await ask('none', 'won_revenue 2024-03', locale, '2024-03-31')).find((c) => c.kind === 'trend')!;
      expect(bare.currency).toBeUndefined();
      expect(svgTexts((await renderChart(bare)).svg).join(' ')).not.toContain('€');
    }
  });

  it('the digest writes the week, its change, the target and the mover in euros, in English and Chinese', async () => {
    // Preview as of Monday 2024-09-16: the week judged is Mon 9 – Sun 15 September, where the
    // fixture's two won deals of September close (the 15th); the week before has none.
    const week = wonRevenue((c) => c >= '2024-09-09' && c <= '2024-09-15');
    const before = wonRevenue((c) => c >= '2024-09-02' && c <= '2024-09-08');
    const rows = { en: ['Won revenue', `${euro(TARGET)} by 2024-12-31`], zh: ['赢单收入', `2024-12-31 前 ${euro(TARGET)}`] };
    for (const locale of ['en', 'zh'] as const) {
      const reply = await ask('eur', 'digest preview', locale, '2024-09-16');
      const table = reply.blocks.find((b): b is Extract<typeof b, { kind: 'table' }> => b.kind === 'table')!;
      const row = table.rows.find((r) => r[0] === rows[locale][0])!;
      expect(row.slice(1, 4)).toEqual([euro(week), '–', `+${euro(week - before)}`]);
      expect(row[4]).toContain(rows[locale][1]);
      expect(JSON.stringify(reply.blocks)).toContain(`*${rows[locale][0]}* +${euro(week - before)}`);
      const digest = charts(reply).find((c) => c.kind === 'digest')!;
      expect(svgTexts((await renderChart(digest)).svg)).toEqual(expect.arrayContaining([euro(week), `+${euro(week - before)}`]));
    }
    const bare = await ask('none', 'digest preview', 'en', '2024-09-16');
    const row = bare.blocks.find((b): b is Extract<typeof b, { kind: 'table' }> => b.kind === 'table')!.rows.find((r) => r[0] === 'Won revenue')!;
    expect(row.slice(1, 4)).toEqual([week.toLocaleString('en-US'), '–', `+${(week - before).toLocaleString('en-US')}`]);
  });

  it('crm-pulse targets writes the start, now, target and projection in euros', async () => {
    const january = wonRevenue((c) => c.startsWith('2024-01'));
    const september = wonRevenue((c) => c.startsWith('2024-09'));
    const run = await runCliCaptured(['-c', configs.eur, 'targets', '--as-of', '2024-09-30'], envs.eur);
    expect(run.code, run.err).toBe(0);
    const line = run.out.split('\n').find((l) => l.startsWith('Won revenue'))!;
    const cells = line.split(/\s{2,}/);
    expect(cells.slice(0, 5)).toEqual(['Won revenue (2024-09)', `${euro(january)} (2024-01)`, euro(september), 'flat', euro(TARGET)]);
    const bare = (await runCliCaptured(['-c', configs.none, 'targets', '--as-of', '2024-09-30'], envs.none)).out
      .split('\n')
      .find((l) => l.startsWith('Won revenue'))!;
    expect(bare.split(/\s{2,}/).slice(0, 5)).toEqual([
      'Won revenue (2024-09)',
      `${january.toLocaleString('en-US')} (2024-01)`,
      september.toLocaleString('en-US'),
      'flat',
      String(TARGET),
    ]);
  });

  it('the scorecard writes value and target in euros: the CLI table, the /kpi table and its chart, in English and Chinese', async () => {
    const september = wonRevenue((c) => c.startsWith('2024-09'));
    const run = await runCliCaptured(['-c', configs.eur, 'scorecard', '--as-of', '2024-09-30'], envs.eur);
    expect(run.code, run.err).toBe(0);
    expect(
      run.out
        .split('\n')
        .find((l) => l.trim().startsWith('Won revenue'))!
        .trim()
        .split(/\s{2,}/)
        .slice(3, 5),
    ).toEqual([euro(september), euro(TARGET)]);
    for (const [locale, title] of [
      ['en', 'Won revenue'],
      ['zh', '赢单收入'],
    ] as const) {
      const reply = await ask('eur', 'scorecard', locale);
      const table = reply.blocks.find((b): b is Extract<typeof b, { kind: 'table' }> => b.kind === 'table')!;
      expect(table.rows.find((r) => r[0]!.trim() === title)!.slice(-2)).toEqual([euro(september), euro(TARGET)]);
      const chart = charts(reply).find((c) => c.kind === 'scorecard')!;
      expect(svgTexts((await renderChart(chart)).svg)).toContain(`${euro(september)} / ${euro(TARGET)}`);
    }
  });
});

describe("customer value carries the currency of the clv KPI (the sources')", () => {
  // One customer with three invoices in GBP: whatever RFM segment it lands in, that segment's
  // average spend is its total spend.
  const LINES = [
    ['A1', 'c1', 'S1', '2', '12.50', '2011-01-10 10:00'],
    ['A2', 'c1', 'S2', '1', '1000.00', '2011-03-10 10:00'],
    ['A3', 'c1', 'S1', '4', '12.50', '2011-05-10 10:00'],
  ];
  const spend = LINES.reduce((sum, [, , , q, p]) => sum + Number(q) * Number(p), 0);
  let db: TestDatabase;
  let config: string;
  let dir: string;
  beforeAll(async () => {
    dir = tempFiles({ 'lines.csv': ['invoice,customer,code,qty,price,at', ...LINES.map((l) => l.join(','))].join('\n') + '\n' });
    config = join(dir, 'gbp.yaml');
    writeFileSync(
      config,
      `timezone: UTC
sources:
  shop:
    kind: csv
    currency: GBP
    files:
      - object: order_lines
        path: lines.csv
        key: [invoice, code]
        columns: { invoice_no: invoice, customer: { from: customer, unknown: create }, stock_code: code, quantity: qty, unit_price: price, ordered_at: at }
`,
    );
    db = tempSqlite();
    const run = await runCliCaptured(['-c', config, 'ingest', 'shop'], { DATABASE_URL: db.url });
    expect(run.code, run.err).toBe(0);
  });
  afterAll(async () => db.drop());

  it('/kpi segments writes the average spend in pounds, in the table and the chart, in English and Chinese', async () => {
    const pounds = `£${Math.round(spend).toLocaleString('en-US')}`;
    for (const locale of ['en', 'zh'] as const) {
      const run = await runCliCaptured(['-c', config, 'ask', '--json', '--locale', locale, '--as-of', '2011-06-01', '--out', join(dir, 'out'), 'segments'], {
        DATABASE_URL: db.url,
      });
      expect(run.code, run.err).toBe(0);
      const reply = JSON.parse(run.out) as Reply;
      const table = reply.blocks.find((b): b is Extract<typeof b, { kind: 'table' }> => b.kind === 'table')!;
      expect(table.rows.find((r) => r[1] === '1')!.at(-1)).toBe(pounds);
      const chart = reply.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart as ChartInput] : [])).find((c) => c.kind === 'rfm')!;
      expect(svgTexts((await renderChart(chart)).svg)).toContain(pounds);
    }
  });

  it('crm-pulse segments writes the average spend and the tiers in pounds too', async () => {
    const pounds = `£${Math.round(spend).toLocaleString('en-US')}`;
    const run = await runCliCaptured(['-c', config, 'segments', '--as-of', '2011-06-01'], { DATABASE_URL: db.url });
    expect(run.code, run.err).toBe(0);
    const rows = run.out.split('\n').filter((l) => l.includes(pounds));
    // The customer's segment row (avg value) and its value tier row.
    expect(rows.length).toBe(2);
  });
});
