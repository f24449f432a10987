// Golden tests of the KPI engine's time edges on the bundled real data (issue 14): the as-of
// cut-off, the coverage rule (before the data starts / no data since), to-date periods compared
// like for like, a date range as one period, and KPIs judged at their data's end. Every expected
// figure is computed here from the raw files (data/demo/, see data/demo/ATTRIBUTION.md: Maven
// Analytics "CRM Sales Opportunities", public domain; UCI "Online Retail", CC BY 4.0), never by
// calling crm-pulse.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import type { CommandContext, Reply, ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { formatKpiValue } from '../../src/kpi/format-kpi-value.ts';
import type { KpiReport } from '../../src/kpi/kpi-report.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
/** Won revenue of the deals closed from `from` to `to`, both included (YYYY-MM-DD compare as text). */
const wonBetween = (from: string, to: string) =>
  pipeline.filter((d) => d.deal_stage === 'Won' && d.close_date! >= from && d.close_date! <= to).reduce((a, d) => a + Number(d.close_value), 0);
const firstClose = pipeline
  .map((d) => d.close_date!)
  .filter(Boolean)
  .sort()[0]!;

let retailRows: Record<string, string>[] | undefined;
const retail = () =>
  (retailRows ??= parse(gunzipSync(readFileSync('data/demo/online-retail/online_retail.csv.gz')), { columns: true }) as Record<string, string>[]);

/** Online Retail cleaned as the catalog's repeat_purchase_rate reads it: sales (InvoiceNo not C…) with a customer. */
function repeatPurchaseRate(): { rate: number; buyers: number; last: string } {
  const rows = retail();
  const invoices = new Map<string, Set<string>>();
  let last = '';
  for (const r of rows) {
    if (r.InvoiceDate! > last) last = r.InvoiceDate!;
    if (r.InvoiceNo!.startsWith('C') || r.CustomerID === '' || r.CustomerID === 'NA') continue;
    let set = invoices.get(r.CustomerID!);
    if (!set) invoices.set(r.CustomerID!, (set = new Set()));
    set.add(r.InvoiceNo!);
  }
  const repeaters = [...invoices.values()].filter((s) => s.size > 1).length;
  return { rate: repeaters / invoices.size, buyers: invoices.size, last: last.slice(0, 10) };
}

async function cli(argv: string[], url: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const io = { env: { LOG_LEVEL: 'silent', DATABASE_URL: url, CRM_PULSE_CONFIG: '' }, stdout, stderr, stdin: new PassThrough() } as unknown as CliIo;
  const code = await runCli(argv, io);
  return { code, out, err };
}

const fields = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'fields' ? b.fields : []));
const texts = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
const trend = (r: Reply) => r.blocks.flatMap((b: ReplyBlock) => (b.kind === 'chart' && b.chart.kind === 'trend' ? [b.chart] : []))[0]!;

describe('time edges of the KPI engine on the bundled demo data', () => {
  let db: TestDatabase;
  let app: App;
  let kpi: CommandService;
  let ctx: CommandContext;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
    await app.ingest('online-retail');
    kpi = commandService(app);
    ctx = { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now: new Date('2017-12-31T23:59:59.999Z') };
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('as of 2017-09-15 counts only the deals closed by then, in the CLI, /kpi, the breakdown and the comparison', async () => {
    const expected = wonBetween('2017-09-01', '2017-09-15');
    // The figure of issue 14 was the whole month; the cut must give less.
    expect(expected).toBeLessThan(wonBetween('2017-09-01', '2017-09-30'));
    const { code, out } = await cli(['kpi', 'won_revenue', '--as-of', '2017-09-15', '--count', '2', '--by', 'region', '--json'], db.url);
    expect(code).toBe(0);
    const report = JSON.parse(out) as KpiReport & { rows: { current: { cutAt?: string }; previous: { cutAt?: string } }[] };
    const row = report.rows.at(-1)!;
    expect([row.period.label, row.current.value]).toEqual(['2017-09', expected]);
    expect(row.current.cutAt).toBeDefined();
    // Month to date against the previous month to the same day.
    expect(row.previous.value).toBe(wonBetween('2017-08-01', '2017-08-15'));
    expect(row.change).toBe(expected - wonBetween('2017-08-01', '2017-08-15'));
    expect(report.breakdown!.reduce((a, b) => a + b.value!, 0)).toBe(expected);
    expect(report.breakdown!.reduce((a, b) => a + b.previous!, 0)).toBe(wonBetween('2017-08-01', '2017-08-15'));

    const reply = await kpi.run('won_revenue 2017-09 as of 2017-09-15', ctx);
    expect(texts(reply)[0]).toBe(`*${formatKpiValue(expected, 'currency')}* (to date, through 2017-09-15)`);
    expect(fields(reply)[0]!.value).toContain(`(2017-08 through 2017-08-15: ${formatKpiValue(wonBetween('2017-08-01', '2017-08-15'), 'currency')})`);
    expect(trend(reply).points.at(-1)).toMatchObject({ period: '2017-09', value: expected, toDate: '2017-09-15' });
    // why: the change is explained between the same two cut periods.
    const why = await kpi.run('why won_revenue 2017-09 as of 2017-09-15', ctx);
    expect(why.text.replace(/\*/g, '')).toContain(
      `from ${formatKpiValue(wonBetween('2017-08-01', '2017-08-15'), 'currency')} in 2017-08 to ${formatKpiValue(expected, 'currency')} in 2017-09`,
    );
  });

  it('a period before the first record has no value, and is never compared as 0', async () => {
    expect(firstClose > '2016-09-30').toBe(true);
    const reply = await kpi.run('won_revenue 2017-09', ctx);
    const lastYear = fields(reply)[1]!.value;
    expect(lastYear).toBe('– (2016-09: no value (before the data starts))');
    expect(lastYear).not.toContain(': 0');
    // The trend does not draw the months before the data as 0.
    const before = trend(reply).points.filter((p) => p.period < firstClose.slice(0, 7));
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((p) => p.value === null)).toBe(true);
    const zh = await kpi.run('won_revenue 2017-09', { ...ctx, locale: 'zh' });
    expect(fields(zh)[1]!.value).toContain('早于数据开始的时间');
  });

  it('a period after the latest data says since when there is none, in English and Chinese', async () => {
    const { last } = repeatPurchaseRate();
    const en = await kpi.run('repeat_purchase_rate 2017-11', ctx);
    expect(texts(en)[0]).toBe(`no value (no data since ${last})`);
    const zh = await kpi.run('repeat_purchase_rate 2017-11', { ...ctx, locale: 'zh' });
    expect(texts(zh)[0]).toBe(`无数值（自 ${last} 起没有数据）`);
  });

  it('a clock past the data judges the KPI at its data end and says so (a bot asked in December 2026)', async () => {
    const lastDeal = pipeline
      .map((d) => d.close_date!)
      .filter(Boolean)
      .sort()
      .at(-1)!;
    const closedIn = (m: string) => pipeline.filter((d) => d.close_date!.startsWith(m));
    const month = lastDeal.slice(0, 7);
    const won = closedIn(month).filter((d) => d.deal_stage === 'Won').length;
    const lost = closedIn(month).filter((d) => d.deal_stage === 'Lost').length;
    const reply = await kpi.run('win_rate', { ...ctx, now: new Date('2026-12-07T10:00:00Z') });
    expect(texts(reply)[0]).toBe(
      `*${formatKpiValue(won / (won + lost), 'percent')}* (n = ${(won + lost).toLocaleString('en-US')}) (as of the data's end, ${lastDeal})`,
    );
  });

  it('/kpi list at the demo clock shows a value for every KPI of the two real datasets, B2C at its data end', async () => {
    const reply = await kpi.run('list', ctx);
    const rows = reply.blocks.flatMap((b) => (b.kind === 'table' ? b.rows : []));
    const b2c = ['retention_rate', 'churn_rate', 'repeat_purchase_rate', 'order_sales_growth', 'clv', 'customer_revenue'];
    for (const key of [...b2c, 'win_rate', 'won_revenue', 'pipeline_value']) {
      const row = rows.find((r) => r[0] === key)!;
      expect(row[2], key).not.toBe('–');
    }
    const { last } = repeatPurchaseRate();
    expect(rows.find((r) => r[0] === 'repeat_purchase_rate')![4]).toBe(`2011-12 through ${last}`);
  });

  it('a date range is one period: the repeat-purchase rate over the whole of Online Retail, from the raw file', async () => {
    const { rate, buyers } = repeatPurchaseRate();
    const { code, out } = await cli(['kpi', 'repeat_purchase_rate', '--period', 'range', '--from', '2010-12-01', '--to', '2011-12-09', '--json'], db.url);
    expect(code).toBe(0);
    const row = (JSON.parse(out) as KpiReport).rows[0]!;
    expect(row.period.label).toBe('2010-12-01..2011-12-09');
    expect(row.current.value).toBeCloseTo(rate, 12);
    // The same-length range before it lies before the data: no value, not a comparison with 0.
    expect([row.previous.period.label, row.previous.value, row.previous.reason]).toEqual(['2009-11-22..2010-11-30', null, 'before the data starts']);
    for (const text of [
      'repeat_purchase_rate from 2010-12-01 to 2011-12-09',
      'repeat_purchase_rate 2010-12-01..2011-12-09',
      '复购率 从 2010-12-01 到 2011-12-09',
    ]) {
      const reply = await kpi.run(text, ctx);
      expect(texts(reply)[0], text).toBe(`*${formatKpiValue(rate, 'percent')}* (n = ${buyers.toLocaleString('en-US')})`);
    }
  });

  it('the cohort table shows every cohort it counts and marks the month the data ends in as to date', async () => {
    // Cohorts as RFM purchases count them (rfm.ts purchaseFilter): not cancelled, with a customer, quantity and price > 0.
    const firsts = new Map<string, string>();
    let last = '';
    for (const r of retail()) {
      if (r.InvoiceNo!.startsWith('C') || r.CustomerID === '' || r.CustomerID === 'NA' || !(Number(r.Quantity) > 0) || !(Number(r.UnitPrice) > 0)) continue;
      const month = r.InvoiceDate!.slice(0, 7);
      if (!firsts.has(r.CustomerID!) || month < firsts.get(r.CustomerID!)!) firsts.set(r.CustomerID!, month);
      if (r.InvoiceDate! > last) last = r.InvoiceDate!;
    }
    const months = [...new Set(firsts.values())].sort();
    const reply = await kpi.run('cohorts', ctx);
    expect(reply.text).toBe(`Cohort retention · ${months.length} monthly cohorts`);
    const rows = reply.blocks.flatMap((b) => (b.kind === 'table' ? b.rows : []));
    expect(rows.map((r) => r[0]!.replace('*', ''))).toEqual(months);
    const partial = last.slice(0, 7);
    expect(rows.at(-1)![0]).toBe(`${partial}*`);
    // The cohort one month before the end: its m1 cell is the partial month.
    expect(rows.at(-2)![2]).toMatch(/\*$/);
    // Each cohort's size is a raw_number for Slack's data_table, the same number the row shows.
    const cells = reply.blocks.flatMap((b) => (b.kind === 'table' ? (b.cells ?? []) : []));
    expect(cells.map((r) => r[1]!.value!.toLocaleString('en-US'))).toEqual(rows.map((r) => r[1]));
    const context = reply.blocks.flatMap((b) => (b.kind === 'context' ? [b.text] : [])).join(' ');
    expect(context).toContain(`* ${partial} is to date (data through ${last.slice(0, 10)})`);
    const zh = await kpi.run('同期群', { ...ctx, locale: 'zh' });
    expect(zh.blocks.flatMap((b) => (b.kind === 'context' ? [b.text] : [])).join(' ')).toContain(`${partial} 尚未结束（数据截至 ${last.slice(0, 10)}）`);
  });

  it('RFM at a clock past the data counts recency from the data end, not years from the clock', async () => {
    const { last } = repeatPurchaseRate();
    const first = retail()[0]!.InvoiceDate!.slice(0, 10);
    const span = (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
    const reply = await kpi.run('segments', ctx);
    expect(reply.text).toBe(`RFM segments of ${reply.text.match(/of ([\d,]+) customers/)![1]} customers · as of the data's end, ${last}`);
    const rows = reply.blocks.flatMap((b) => (b.kind === 'table' ? b.rows : []));
    const recency = rows.map((r) => Number(r[3]!.replace(/,/g, ''))).filter((x) => !Number.isNaN(x));
    expect(recency.length).toBeGreaterThan(5);
    // Slack's data_table sorts the column by the unrounded value behind each shown number.
    const cells = reply.blocks.flatMap((b) => (b.kind === 'table' ? (b.cells ?? []) : []));
    expect(cells.map((r) => Math.round(r[3]!.value! * 10) / 10)).toEqual(recency);
    // No customer can be more days from the data's end than the data spans.
    for (const days of recency) expect(days).toBeLessThanOrEqual(span);
  });
});
