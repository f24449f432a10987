import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

// Amounts as exports write them for people. Before issue 14 every one of these rows was rejected.
const US = `id,stage,amount,closed
U1,Won,"1,200",2024-03-04
U2,Won,"$1,200.50",2024-03-05
U3,Won,USD 300,2024-03-06
U4,Lost,"$2,000",2024-03-07
U5,Won,"1,20",2024-03-08
U6,Won,€5,2024-03-09
`;
const EU = `id;stage;amount;closed
E1;Won;1.200,50;2024-03-04
E2;Won;1.234.567,25 €;2024-03-05
E3;closed won;99,5;2024-03-06
E4;Pending;10;2024-03-07
E5;closed won;1;2024-03-08
`;

const deals = (path: string, extra = '') => `
      - object: deals
        path: ${path}
        key: id${extra}
        columns:
          stage: stage
          status: { from: stage, map: { Won: won, Lost: lost }, other: open }
          amount: amount
          closed_at: closed`;

describe('CSV numbers written for people, and mappings that never change values silently', () => {
  const dir = tempFiles({ 'us.csv': US, 'eu.csv': EU, 'empty.csv': 'id,stage,amount,closed\n' });
  writeFileSync(join(dir, 'us.yaml'), `sources:\n  us:\n    kind: csv\n    currency: USD\n    files:${deals('us.csv')}\n`);
  writeFileSync(
    join(dir, 'eu.yaml'),
    `sources:\n  eu:\n    kind: csv\n    currency: EUR\n    files:${deals('eu.csv', "\n        delimiter: ';'\n        number_format: { decimal: ',' }")}\n`,
  );
  writeFileSync(join(dir, 'empty.yaml'), `sources:\n  empty:\n    kind: csv\n    files:${deals('empty.csv')}\n`);
  // One database per source, so that each KPI total is that file's alone.
  const dbs = { us: tempSqlite(), eu: tempSqlite(), empty: tempSqlite(), nocur: tempSqlite() };
  afterAll(() => Promise.all(Object.values(dbs).map((d) => d.drop())));
  let env = { DATABASE_URL: dbs.us.url };
  const wonRevenue = async (config: string) => {
    const out = await runCliCaptured(['-c', config, 'kpi', 'won_revenue', '--period', 'month', '--count', '1', '--as-of', '2024-03-31', '--json'], env);
    return (JSON.parse(out.out) as { rows: { current: { value: number } }[] }).rows.at(-1)!.current.value;
  };

  it('thousands separators and the source currency sign are read; a misplaced separator or another currency is rejected with the reason', async () => {
    const run = await runCliCaptured(['-c', join(dir, 'us.yaml'), 'ingest', 'us', '--json'], env);
    expect(run.code).toBe(0);
    const rejects = JSON.parse((await runCliCaptured(['-c', join(dir, 'us.yaml'), 'rejects', 'us', '--format', 'json'], env)).out) as {
      line: number;
      reason: string;
    }[];
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [
        6,
        "amount (column 'amount'): '1,20' has the thousands separator ',' in the wrong place (decimal mark '.'); set number_format for this file if it writes numbers another way",
      ],
      [7, "amount (column 'amount'): '€5' is not in the source's currency USD"],
    ]);
    // U1 + U2 + U3, the won deals whose amounts are readable: 1,200 + 1,200.50 + 300.
    expect(await wonRevenue(join(dir, 'us.yaml'))).toBeCloseTo(1200 + 1200.5 + 300, 6);
    // Money is written with the source's currency: in the CLI table and in /kpi answers in both languages.
    const amount = Math.round(1200 + 1200.5 + 300).toLocaleString('en-US');
    const table = await runCliCaptured(['-c', join(dir, 'us.yaml'), 'kpi', 'won_revenue', '--count', '1', '--as-of', '2024-03-31'], env);
    expect(table.out).toMatch(new RegExp(`2024-03\\s+\\$${amount}\\s`));
    for (const locale of ['en', 'zh']) {
      const answer = await runCliCaptured(
        ['-c', join(dir, 'us.yaml'), 'ask', '--locale', locale, '--as-of', '2024-03-31', '--out', join(dir, 'out'), 'won_revenue'],
        env,
      );
      expect(answer.out.split('\n')).toContain(`$${amount}`);
    }
  });

  it('a decimal comma with dots for thousands; values other turned into open are counted per value', async () => {
    env = { DATABASE_URL: dbs.eu.url };
    const run = await runCliCaptured(['-c', join(dir, 'eu.yaml'), 'ingest', 'eu', '--json'], env);
    const results = JSON.parse(run.out) as { notes: string[]; counts: { rejected: number } }[];
    expect(results[0]!.counts.rejected).toBe(0);
    expect(results[0]!.notes).toContain("status: 3 values not listed in map became 'open' ('closed won' 2; 'Pending' 1)");
    expect(await wonRevenue(join(dir, 'eu.yaml'))).toBeCloseTo(1200.5 + 1234567.25, 6);
    const table = await runCliCaptured(['-c', join(dir, 'eu.yaml'), 'kpi', 'won_revenue', '--count', '1', '--as-of', '2024-03-31'], env);
    expect(table.out).toContain(`€${Math.round(1200.5 + 1234567.25).toLocaleString('en-US')}`);
  });

  it('a file with a header and no rows is a warning, not a silent success', async () => {
    env = { DATABASE_URL: dbs.empty.url };
    const run = await runCliCaptured(['-c', join(dir, 'empty.yaml'), 'ingest', 'empty'], env);
    expect(run.out).toContain('note  empty deals: warning: the file has a header but no data rows; check that it is the right export');
  });

  it('a currency sign without a currency on the source says what to set', async () => {
    env = { DATABASE_URL: dbs.nocur.url };
    writeFileSync(join(dir, 'nocur.yaml'), `sources:\n  nocur:\n    kind: csv\n    files:${deals('us.csv')}\n`);
    await runCliCaptured(['-c', join(dir, 'nocur.yaml'), 'ingest', 'nocur'], env);
    const rejects = JSON.parse((await runCliCaptured(['-c', join(dir, 'nocur.yaml'), 'rejects', 'nocur', '--format', 'json'], env)).out) as {
      line: number;
      reason: string;
    }[];
    expect(rejects.find((r) => r.line === 3)!.reason).toBe(
      "amount (column 'amount'): '$1,200.50' carries a currency sign '$'; set currency: USD on the source so that it is read as money",
    );
  });
});
