// Issue 14, item 4: every rate carries its sample size n, breakdowns rank by n, and values under the
// minimum sample are marked. The golden figures are counted here from the raw Online Retail file
// (UCI, Chen 2015) in plain JavaScript, reproducing the catalog's cleaning and definition:
// - cleaning: a line is a sale unless its InvoiceNo starts with "C" (a cancellation); lines
//   without a CustomerID are guest orders and count for no customer;
// - retention_rate: customers who bought in the previous month and buy again in this one ÷
//   customers who bought in the previous month; n is that denominator. By country, a customer
//   counts in the country of the lines they bought on.
// Months are local (Europe/London, the demo config's zone), as InvoiceDate is written.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import type { BreakdownChartInput } from '../../src/charts/breakdown-chart.ts';
import type { TrendChartInput } from '../../src/charts/trend-chart.ts';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import type { CommandContext, Reply, ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

type Line = { InvoiceNo: string; InvoiceDate: string; CustomerID: string; Country: string };
const lines = parse(gunzipSync(readFileSync('data/demo/online-retail/online_retail.csv.gz')), { columns: true }) as Line[];
const sales = lines.filter((l) => !l.InvoiceNo.startsWith('C') && l.CustomerID !== '');

/** Customers with a sale in the month, per country of the line, and over all countries. */
function buyers(month: string): { byCountry: Map<string, Set<string>>; all: Set<string> } {
  const byCountry = new Map<string, Set<string>>();
  const all = new Set<string>();
  for (const l of sales) {
    if (!l.InvoiceDate.startsWith(month)) continue;
    all.add(l.CustomerID);
    if (!byCountry.has(l.Country)) byCountry.set(l.Country, new Set());
    byCountry.get(l.Country)!.add(l.CustomerID);
  }
  return { byCountry, all };
}

/** Retention by country in `month`: value and n, ranked as the issue asks (largest n first, then value, then name). */
function retentionByCountry(month: string, previous: string): { key: string; value: number | null; n: number; retained: number }[] {
  const now = buyers(month);
  const before = buyers(previous);
  const countries = new Set([...now.byCountry.keys(), ...before.byCountry.keys()]);
  return (
    [...countries]
      .map((key) => {
        const n = before.byCountry.get(key)?.size ?? 0;
        const retained = [...(now.byCountry.get(key) ?? [])].filter((c) => before.all.has(c)).length;
        return { key, value: n === 0 ? null : retained / n, n, retained };
      })
      // A country where both counts are 0 (new buyers only, e.g. Malta) has nothing to show.
      .filter((e) => e.n > 0 || e.retained > 0)
      .sort((a, b) => b.n - a.n || (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.key.localeCompare(b.key))
  );
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const tables = (r: Reply) => r.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table');
const charts = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));

describe('sample sizes on the Online Retail data (retention by country, 2011-11)', () => {
  let db: TestDatabase;
  let app: App;
  let kpi: CommandService;
  let ctx: CommandContext;
  const expected = retentionByCountry('2011-11', '2011-10');
  const total = buyers('2011-10').all.size;
  const retainedTotal = [...buyers('2011-11').all].filter((c) => buyers('2011-10').all.has(c)).length;

  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('online-retail');
    kpi = commandService(app);
    ctx = { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now: new Date('2011-12-09T12:00:00Z') };
  }, 240_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('the raw file gives what the issue saw: the United Kingdom has most customers, three countries with 2 each are at 100%', () => {
    expect(expected[0]).toMatchObject({ key: 'United Kingdom' });
    expect(pct(expected[0]!.value)).toBe('45.0%');
    expect(expected.filter((e) => e.value === 1).map((e) => [e.key, e.n])).toEqual([
      ['Australia', 2],
      ['EIRE', 2],
      ['Sweden', 2],
    ]);
  });

  it('/kpi retention_rate 2011-11 by country: values, n and order from the raw file; small samples marked', async () => {
    const r = await kpi.run('retention_rate 2011-11 by country', ctx);
    // The headline carries n: customers who bought in October.
    expect(r.text).toBe(`Customer retention · November 2011: ${pct(retainedTotal / total)} (n = ${total.toLocaleString('en-US')})`);
    const table = tables(r)[0]!;
    expect(table.columns).toEqual(['country', '2011-11', 'n', '2011-10', 'change']);
    expect(table.rows.map((row) => row.slice(0, 3))).toEqual(
      expected.map((e) => [e.key, `${pct(e.value)}${e.value !== null && e.n < 30 ? '*' : ''}`, e.n.toLocaleString('en-US')]),
    );
    expect(r.blocks.some((b) => b.kind === 'context' && b.text === '* n under 30: low confidence, ranked by n and never judged against a target')).toBe(true);

    const chart = charts(r).find((c): c is BreakdownChartInput => c.kind === 'breakdown')!;
    expect(chart.items.map((i) => [i.key, i.n, i.low])).toEqual(expected.map((e) => [e.key, e.n, e.value !== null && e.n < 30]));
    const trend = charts(r).find((c): c is TrendChartInput => c.kind === 'trend')!;
    expect(trend.points.at(-1)).toMatchObject({ period: '2011-11', n: total, low: false });
  });

  it('in Chinese the same answer says 样本 n', async () => {
    const r = await kpi.run('retention_rate 2011-11 by country', { ...ctx, locale: 'zh' });
    expect(tables(r)[0]!.columns[2]).toBe('样本 n');
    expect(r.text).toContain(`样本 n = ${total.toLocaleString('en-US')}`);
  });

  it('the minimum sample is configurable per KPI: samples.kpis.retention_rate: 2 unmarks the countries with 2', async () => {
    const dir = (await import('../helpers/import.ts')).tempFiles({
      'crm-pulse.yaml': `${readFileSync('crm-pulse.example.yaml', 'utf8').replaceAll('data/demo/', `${process.cwd()}/data/demo/`)}\nsamples:\n  min: 30\n  kpis: { retention_rate: 2 }\n`,
    });
    const other = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: `${dir}/crm-pulse.yaml` }), silentLogger());
    try {
      const r = await commandService(other).run('retention_rate 2011-11 by country', ctx);
      const rows = new Map(tables(r)[0]!.rows.map((row) => [row[0], row[1]]));
      expect([rows.get('Australia'), rows.get('Austria')]).toEqual(['100.0%', '0.0%*']);
    } finally {
      await other.close();
    }
  });
});
