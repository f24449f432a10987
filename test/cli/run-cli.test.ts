import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

const notifications = `${tempFiles({})}/notifications.jsonl`;

/** Runs the CLI with captured output, as a user would from a terminal-less shell. */
async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const io = { env: { LOG_LEVEL: 'silent', CRM_PULSE_NOTIFICATIONS: notifications, ...env }, stdout, stderr, stdin: new PassThrough() } as unknown as CliIo;
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('crm-pulse command line, as a new user runs it', () => {
  let db: TestDatabase;
  beforeAll(() => {
    db = tempSqlite();
  });
  afterAll(async () => db.drop());

  it('start with no config and no tokens creates the database, loads the demo and says what to try', async () => {
    const { code, out } = await cli(['start'], { DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' });
    expect(code).toBe(0);
    expect(out).toContain('crm-pulse: local mode');
    expect(out).toContain(
      'created (migrations 0001_init, 0002_customer_segments, 0003_pipeline_index, 0004_alerts, 0005_kpi_targets_and_subscriptions, 0006_job_leases, 0007_digest_outbox, 0008_slack_native_refusals, 0009_data_versions, 0010_tick_items, 0011_deals_closed_at_index, 0012_kpi_rollups)',
    );
    expect(out).toContain('First run: loading the bundled demo data');
    expect(out).toMatch(/online-retail\s+data\/demo\/online-retail\/online_retail\.csv\.gz\s+succeeded\s+541,909\s+536,641\s+0\s+0\s+5,268/);
    expect(out).toContain('Clock: 2017-12-31 (the end of the data)');
    expect(out).toContain('npx crm-pulse status');
    // The replay of the last six months tells the demo incident: West's complaint resolution
    // time doubles in September 2017, fires, and resolves in October.
    expect(out).toContain('🔴 FIRING critical · #crm-alerts · Complaint resolution (hours, median) · region West · 2017-09');
    expect(out).toContain('✅ RESOLVED · #crm-alerts · Complaint resolution (hours, median) · region West · 2017-10');
    expect(out).toContain(
      '🔴 FIRING critical · #crm-alerts · Won revenue · 2017-07\n   Won revenue 696,932: dropped 47.9% vs 2017-06 (critical at a drop of 45%)',
    );
    const delivered = readFileSync(notifications, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; rule: string });
    expect(delivered.filter((n) => n.rule === 'complaint_resolution_slow').map((n) => n.event)).toEqual([
      'firing',
      'firing',
      'firing',
      'resolved',
      'resolved',
      'resolved',
    ]);
  });

  it('alerts, evaluate and backtest work on what start left', async () => {
    const list = await cli(['alerts'], { DATABASE_URL: db.url });
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/Open alert episodes \(1\):[\s\S]*won_revenue_pace/);
    const again = await cli(['evaluate'], { DATABASE_URL: db.url });
    expect(again.out).toMatch(/^evaluated 7 rules, \d+ series at 2017-12-31T\S+: 0 state changes, 0 notifications queued\n$/);
    const bt = await cli(['backtest', '--rule', 'won_revenue_drop', '--from', '2017-01-01', '--to', '2017-12-31'], { DATABASE_URL: db.url });
    expect(bt.out).toContain('rule won_revenue_drop (won_revenue) from 2017-01-01 to 2017-12-31: 12 evaluations, 3 episodes, 8 notifications');
    const unknown = await cli(['backtest', '--rule', 'nope', '--from', '2017-01-01', '--to', '2017-12-31'], { DATABASE_URL: db.url });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^\[backtest\] no rule 'nope' under alerts.rules\n  fix: known rules: won_revenue_drop, /);
  });

  it('status --json shows 8,800 deals and every Online Retail line accounted for', async () => {
    const { code, out } = await cli(['status', '--json'], { DATABASE_URL: db.url });
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      asOf: string;
      totals: Record<string, number>;
      sources: { key: string; lines: Record<string, unknown>; rejects: { byKind: Record<string, number> } }[];
    };
    expect(report.asOf).toBe('2017-12-31');
    expect(report.totals.deals).toBe(8_800);
    const retail = report.sources.find((s) => s.key === 'online-retail')!;
    expect(retail.lines).toEqual({ read: 541_909, written: 536_641, rejected: 5_268, accounted: true });
    expect(retail.rejects.byKind).toEqual({ duplicate: 5_268 });
    expect(report.sources.map((s) => s.key)).toEqual(['maven-crm', 'online-retail', 'demo-generated']);
  });

  it('a second start loads nothing and honours --as-of', async () => {
    const { code, out } = await cli(['start', '--as-of', '2011-12-09'], { DATABASE_URL: db.url });
    expect(code).toBe(0);
    expect(out).not.toContain('First run');
    expect(out).toContain('Clock: 2011-12-09 (--as-of)');
  });

  it('names an unknown source and lists the known ones', async () => {
    const { code, err } = await cli(['ingest', 'hubspot'], { DATABASE_URL: db.url });
    expect(code).toBe(2);
    expect(err).toMatch(/^\[ingest\] no source 'hubspot' in .*crm-pulse\.example\.yaml\n {2}fix: known sources: maven-crm, online-retail\n$/);
  });

  it('stops on a broken config with its file, line and fix, before touching the database', async () => {
    const dir = tempFiles({ 'bad.yaml': 'timezone: UTC\nfiscal_year_start_month: 14\n' });
    const { code, err } = await cli(['status'], { DATABASE_URL: 'file:/nonexistent/dir/never.db', CRM_PULSE_CONFIG: `${dir}/bad.yaml` });
    expect(code).toBe(2);
    expect(err).toMatch(/^\[config\] .*bad\.yaml:2: fiscal_year_start_month: must be 1–12 \(1 = January\)\n$/);
  });

  it('rejects a bad --as-of with the expected form', async () => {
    const { code, err } = await cli(['start', '--as-of', '31/12/2017'], { DATABASE_URL: db.url });
    expect(code).toBe(2);
    expect(err).toBe("[local] --as-of '31/12/2017' is not a date\n  fix: write it as YYYY-MM-DD, e.g. --as-of 2017-12-31\n");
  });

  it('suggests the command meant by a typo', async () => {
    const { code, err } = await cli(['statsu'], { DATABASE_URL: db.url });
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'statsu'");
    expect(err).toContain('(Did you mean status?)');
  });

  it('kpi prints a KPI per period against the previous period and last year, and breaks it down', async () => {
    const { code, out } = await cli(['kpi', 'win_rate', '--period', 'quarter', '--count', '2', '--as-of', '2017-12-31', '--by', 'office', '--json'], {
      DATABASE_URL: db.url,
    });
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      rows: { period: { label: string }; current: { value: number }; change: number }[];
      breakdown: { key: string; value: number; n: number }[];
    };
    const q4 = closedBetween('2017-10-01', '2018-01-01');
    const q3 = closedBetween('2017-07-01', '2017-10-01');
    expect(report.rows.map((r) => r.period.label)).toEqual(['2017-Q3', '2017-Q4']);
    expect(report.rows[1]!.current.value).toBeCloseTo(q4.won / (q4.won + q4.lost), 12);
    expect(report.rows[1]!.change).toBeCloseTo(q4.won / (q4.won + q4.lost) - q3.won / (q3.won + q3.lost), 12);
    // Ranked by n, the closed deals behind each office's rate, largest first (issue 14).
    expect(report.breakdown.map((b) => b.key).sort()).toEqual(['Central', 'East', 'West']);
    const ns = report.breakdown.map((b) => b.n);
    expect(ns).toEqual([...ns].sort((a, b) => b - a));
    expect(ns.reduce((a, b) => a + b, 0)).toBe(q4.won + q4.lost);
  });

  it('scorecard reads each KPI over the configured quarter and weights the financial KPIs by AHP', async () => {
    const { code, out } = await cli(['scorecard', '--as-of', '2017-12-31', '--json'], { DATABASE_URL: db.url });
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      period: { label: string };
      card: { composite: number; perspectives: { perspective: string; kpis: { key: string; weight: number }[] }[] };
      kpis: { key: string; value: number; target: number }[];
      ahp: { financial: { cr: number; weights: Record<string, number> } };
    };
    expect(report.period.label).toBe('2017-Q4');
    const q4 = closedBetween('2017-10-01', '2018-01-01');
    expect(report.kpis.find((k) => k.key === 'win_rate')!.value).toBeCloseTo(q4.won / (q4.won + q4.lost), 12);
    expect(report.kpis.find((k) => k.key === 'win_rate')!.target).toBe(0.65);
    expect(report.ahp.financial.cr).toBeLessThan(0.1);
    // The most important KPI of the bundled matrix (won_revenue, first row) weighs most.
    const financial = report.card.perspectives.find((p) => p.perspective === 'financial')!;
    expect(financial.kpis.map((k) => k.key)).toEqual(['won_revenue', 'win_rate', 'avg_deal_size', 'marketing_roi']);
    expect(financial.kpis.map((k) => k.weight)).toEqual([...financial.kpis.map((k) => k.weight)].sort((a, b) => b - a));
    expect(report.card.composite).toBeGreaterThan(0);
    expect(report.card.composite).toBeLessThanOrEqual(100);
  });

  it('targets project the value at the deadline at the pace since the target was set', async () => {
    const { code, out } = await cli(['targets', '--as-of', '2017-12-31', '--json'], { DATABASE_URL: db.url });
    expect(code).toBe(0);
    const statuses = JSON.parse(out) as {
      key: string;
      start: { value: number };
      current: { value: number };
      progress: { projected: number; onTrack: boolean };
    }[];
    const win = statuses.find((s) => s.key === 'win_rate')!;
    const q2 = closedBetween('2017-04-01', '2017-07-01');
    const q4 = closedBetween('2017-10-01', '2018-01-01');
    const start = q2.won / (q2.won + q2.lost);
    const now = q4.won / (q4.won + q4.lost);
    expect(win.start.value).toBeCloseTo(start, 12);
    expect(win.current.value).toBeCloseTo(now, 12);
    // Readings at the ends of Q2 and of Q4 (London time), extrapolated to the end of 2018-03-31.
    const t0 = Date.parse('2017-06-30T23:00:00Z');
    const t1 = Date.parse('2017-12-31T23:59:59.999Z');
    const deadline = Date.parse('2018-04-01T00:00:00+01:00');
    expect(win.progress.projected).toBeCloseTo(now + ((now - start) / (t1 - t0)) * (deadline - t1), 9);
  });

  it('segments and cohorts answer from the Online Retail data', async () => {
    const seg = await cli(['segments', '--as-of', '2011-12-09', '--json'], { DATABASE_URL: db.url });
    const segments = JSON.parse(seg.out) as { customers: number; segments: { customers: number }[] };
    expect(segments.segments.reduce((a, s) => a + s.customers, 0)).toBe(segments.customers);
    const coh = await cli(['cohorts', '--json'], { DATABASE_URL: db.url });
    const cohorts = JSON.parse(coh.out) as { cohorts: { cohort: string; size: number }[] };
    expect(cohorts.cohorts[0]!.cohort).toBe('2010-12');
    expect(cohorts.cohorts.reduce((a, c) => a + c.size, 0)).toBe(segments.customers);
  });
});

const PIPELINE = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];

/** Won and lost deals closed in [from, to), counted from the raw file. */
function closedBetween(from: string, to: string): { won: number; lost: number } {
  const rows = PIPELINE.filter((d) => d.close_date! >= from && d.close_date! < to);
  return { won: rows.filter((d) => d.deal_stage === 'Won').length, lost: rows.filter((d) => d.deal_stage === 'Lost').length };
}
