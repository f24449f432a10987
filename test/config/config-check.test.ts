import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite } from '../helpers/databases.ts';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const name = (file: string) => relative(process.cwd(), `${testdata}${file}`);
const UNKNOWN_FIX = '  fix: use a key that crm-pulse kpi lists, or define the KPI under kpis:';

// Files that the schema accepts but the checks against the KPIs refuse; before issue 14 `config
// check` passed each of them and only `start` (or a later command) failed, some without a line.
const EXPECTED: Record<string, (file: string) => string> = {
  'check-rule-unknown-kpi.yaml': (f) =>
    `[config] ${f}:5: alerts.rules.low_win_rate.kpi: unknown KPI 'win_rates'; did you mean 'win_rate'?\n  fix: correct the alert rules at those lines`,
  'check-scorecard-unknown-kpi.yaml': (f) => `[kpi] ${f}:5: scorecard.perspectives.customer.kpis[1]: unknown KPI 'npss'; did you mean 'nps'?\n${UNKNOWN_FIX}`,
  'check-ahp-not-reciprocal.yaml': (f) =>
    `[kpi] ${f}:7: scorecard.perspectives.customer.pairwise: 'csat' vs 'nps' is 2 but 'nps' vs 'csat' is 2; one must be the reciprocal of the other\n  fix: set 'nps' vs 'csat' to 1/2 = 0.5`,
  'check-target-unknown-kpi.yaml': (f) => `[config] ${f}:3: targets.npss: unknown KPI 'npss'; did you mean 'nps'?\n${UNKNOWN_FIX}`,
  'check-digest-unknown-kpi.yaml': (f) => `[config] ${f}:5: digests[0].kpis[1]: unknown KPI 'winrate'; did you mean 'win_rate'?\n${UNKNOWN_FIX}`,
  'check-kpi-bad-formula.yaml': (f) =>
    `[kpi] ${f}:10: kpis.close_rate.formula: 'wins' is not a metric of this KPI; known: won, lost\n  fix: use a name defined under metrics:, or add that metric`,
};

describe('config check runs exactly the checks start runs, each error with file, line, path and fix', () => {
  const db = tempSqlite();
  afterAll(() => db.drop());

  it('has an expectation for every check-*.yaml', () => {
    expect(
      readdirSync(testdata)
        .filter((f) => f.startsWith('check-'))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const [file, message] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const check = await runCliCaptured(['-c', name(file), 'config', 'check'], { DATABASE_URL: db.url });
      expect(check).toEqual({ code: 2, out: '', err: `${message(name(file))}\n` });
      const start = await runCliCaptured(['-c', name(file), 'start'], { DATABASE_URL: db.url });
      expect(start).toEqual(check);
    });
  }
  it('passes the bundled config', async () => {
    const check = await runCliCaptured(['-c', 'crm-pulse.example.yaml', 'config', 'check'], {});
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/crm-pulse\.example\.yaml: ok \(2 sources\)\n$/);
  });
});
