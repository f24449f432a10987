import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

/** Runs the CLI with captured output, as a user would from a terminal-less shell. */
async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const io = { env: { LOG_LEVEL: 'silent', ...env }, stdout, stderr, stdin: new PassThrough() } as unknown as CliIo;
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
    expect(out).toContain('created (migrations 0001_init)');
    expect(out).toContain('First run: loading the bundled demo data');
    expect(out).toMatch(/online-retail\s+data\/demo\/online-retail\/online_retail\.csv\.gz\s+succeeded\s+541,909\s+536,641\s+0\s+0\s+5,268/);
    expect(out).toContain('Clock: 2017-12-31 (the end of the data)');
    expect(out).toContain('npx crm-pulse status');
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
});
