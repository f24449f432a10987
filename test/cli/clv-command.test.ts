// `crm-pulse clv` on the real Online Retail data, as a user runs it: the fit's parameters and
// diagnostics, the segments adding up to the RFM command's customers, the JSON, and clear errors
// for a date with no repeat purchases yet and for a bad option.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

const notifications = `${tempFiles({})}/notifications.jsonl`;

const cli = (argv: string[], env: NodeJS.ProcessEnv) => runCliCaptured(argv, { CRM_PULSE_NOTIFICATIONS: notifications, ...env });

describe('crm-pulse clv', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = tempSqlite();
    expect((await cli(['ingest', 'online-retail'], { DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' })).code).toBe(0);
  }, 240_000);
  afterAll(async () => db.drop());

  it('prints the parameters, the fit diagnostics, the segments and the customers', async () => {
    const env = { DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' };
    // The figures themselves are checked against the raw file in test/answers/clv-commands.test.ts;
    // here the text must show what the JSON holds, and the JSON must add up with `segments`.
    type Fit = { params: Record<string, number>; customers: number; boundary: string[] };
    const json = JSON.parse((await cli(['clv', '--as-of', '2011-12-09', '--json'], env)).out) as {
      total: number;
      bgNbd: Fit;
      gammaGamma: Fit;
      spendFrequencyCorrelation: number;
      segments: { customers: number; clv: number }[];
      customers: unknown[];
    };
    const rfm = JSON.parse((await cli(['segments', '--as-of', '2011-12-09', '--json'], env)).out) as { customers: number };
    expect(json.customers).toHaveLength(rfm.customers);
    expect(json.segments.reduce((s, x) => s + x.customers, 0)).toBe(rfm.customers);
    expect(json.segments.reduce((s, x) => s + x.clv, 0)).toBeCloseTo(json.total, 4);
    expect(json.bgNbd.boundary).toEqual([]);
    const { code, out } = await cli(['clv', '--as-of', '2011-12-09', '--top', '3'], env);
    expect(code).toBe(0);
    const sig = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
    const { r, alpha, a, b } = json.bgNbd.params as { r: number; alpha: number; a: number; b: number };
    expect(out).toMatch(new RegExp(`^Predictive CLV as of 2011-12-09: ${rfm.customers} customers, next 12 months, 1\\.0% a month discount\n`));
    expect(out).toContain(`BG/NBD (Fader, Hardie & Lee 2005), time in weeks: r = ${sig(r!)}, alpha = ${sig(alpha!)}, a = ${sig(a!)}, b = ${sig(b!)}`);
    expect(out).toMatch(new RegExp(`log-likelihood -[\\d,.]+ over ${json.bgNbd.customers.toLocaleString('en-US')} customers, \\d+ simplex iterations\n`));
    expect(out).toContain(`over ${json.gammaGamma.customers.toLocaleString('en-US')} repeat customers`);
    expect(out).toContain(`Pearson r = ${json.spendFrequencyCorrelation.toFixed(3)} (the model assumes they are independent)`);
    expect(out).toContain(`clv_predicted: ${Math.round(json.total).toLocaleString('en-US')}`);
    expect(out).toMatch(/customers_at_risk: \d+/);
  }, 180_000);

  it('refuses a date before any repeat purchase, and a bad option, saying why', async () => {
    const env = { DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' };
    const early = await cli(['clv', '--as-of', '2010-12-01'], env);
    expect(early.code).not.toBe(0);
    expect(early.err).toMatch(/\[kpi\] \[clv\] BG\/NBD cannot be fitted: none of the \d+ customers made a repeat purchase/);
    const bad = await cli(['clv', '--months', 'soon'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("[cli] --months 'soon' is not a number ≥ 1");
  }, 300_000);
});
