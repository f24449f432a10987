import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

// A new user's own pipeline: six deals, four won. Nothing of the bundled demo may mix into it.
const DEALS = `id,stage,amount,closed
D1,Won,1200,2024-03-04
D2,Won,800.50,2024-05-20
D3,Lost,400,2024-06-01
D4,Won,2500,2024-07-15
D5,Lost,90,2024-08-30
D6,Won,310,2024-11-02
`;
const OLD = `id,stage,amount,closed
X1,Won,99999,2024-03-04
`;
const source = (key: string, file: string) => `  ${key}:
    kind: csv
    files:
      - object: deals
        path: ${file}
        key: id
        columns:
          stage: stage
          status: { from: stage, map: { Won: won, Lost: lost }, other: open }
          amount: amount
          closed_at: closed
`;

describe("the user's own data, without the demo", () => {
  const dir = tempFiles({ 'deals.csv': DEALS, 'old.csv': OLD });
  const mine = join(dir, 'crm-pulse.yaml');
  const both = join(dir, 'both.yaml');
  writeFileSync(mine, `sources:\n${source('mine', 'deals.csv')}`);
  writeFileSync(both, `sources:\n${source('mine', 'deals.csv')}${source('old', 'old.csv')}`);
  const db = tempSqlite();
  const env = { DATABASE_URL: db.url, CRM_PULSE_NOTIFICATIONS: join(dir, 'notifications.jsonl') };
  afterAll(() => db.drop());

  it('start on an empty database syncs the configured source and never loads the demo', async () => {
    const start = await runCliCaptured(['-c', mine, 'start'], env);
    expect(start.code).toBe(0);
    expect(start.out).toContain('First run: syncing the sources of');
    expect(start.out).not.toContain('loading the bundled demo data');
    const status = JSON.parse((await runCliCaptured(['-c', mine, 'status', '--json'], env)).out) as {
      sources: { key: string }[];
      leftover: unknown[];
      totals: Record<string, number>;
    };
    expect(status.sources.map((s) => s.key)).toEqual(['mine']);
    expect(status.leftover).toEqual([]);
    expect(status.totals).toEqual({ deals: 6 });
    // Won revenue of 2024 equals the user's won deals, summed from the file itself.
    const rows = parse(DEALS, { columns: true }) as { stage: string; amount: string }[];
    const won = rows.filter((r) => r.stage === 'Won').reduce((sum, r) => sum + Number(r.amount), 0);
    const kpi = await runCliCaptured(['-c', mine, 'kpi', 'won_revenue', '--period', 'year', '--count', '1', '--as-of', '2024-12-31', '--json'], env);
    const report = JSON.parse(kpi.out) as { rows: { current: { value: number } }[] };
    expect(report.rows.at(-1)!.current.value).toBeCloseTo(won, 6);
  });

  it('status warns about data of a source no longer configured, and remove-source deletes it after confirmation', async () => {
    expect((await runCliCaptured(['-c', both, 'ingest', 'old'], env)).code).toBe(0);
    const warned = await runCliCaptured(['-c', mine, 'status'], env);
    expect(warned.out).toContain(
      '⚠ The database holds data of a source not in the config; every KPI still counts it:\n  old (csv): deals 1\n  Remove it with: crm-pulse remove-source old',
    );
    expect(warned.out).not.toMatch(/^old \(csv\)/m);
    // /kpi status, as Slack and the prompt answer it, warns too, in both languages.
    const askEnv = { ...env, CRM_PULSE_NOTIFICATIONS: join(dir, 'n.jsonl') };
    const en = await runCliCaptured(['-c', mine, 'ask', '--out', join(dir, 'out'), 'status'], askEnv);
    expect(en.out).toContain('The database holds data of sources not in the config, and every KPI still counts it: old (deals 1).');
    const zh = await runCliCaptured(['-c', mine, 'ask', '--locale', 'zh', '--out', join(dir, 'out'), 'status'], askEnv);
    expect(zh.out).toContain('数据库中有配置里已没有的数据源的数据，所有 KPI 仍在计入：old (deals 1)。');

    const declined = await runCliCaptured(['-c', mine, 'remove-source', 'old'], env, 'n\n');
    expect(declined.code).toBe(1);
    expect(declined.out).toContain('Source old (old): deals 1.\nDelete them from');
    expect(declined.out).toContain('Nothing was deleted.');
    expect(JSON.parse((await runCliCaptured(['-c', mine, 'status', '--json'], env)).out).totals).toEqual({ deals: 7 });

    const removed = await runCliCaptured(['-c', mine, 'remove-source', 'old', '--yes'], env);
    expect(removed.code).toBe(0);
    expect(removed.out).toContain('Removed source old: deals 1, 1 sync runs, 0 rejected rows.');
    const after = JSON.parse((await runCliCaptured(['-c', mine, 'status', '--json'], env)).out) as { leftover: unknown[]; totals: Record<string, number> };
    expect(after).toMatchObject({ leftover: [], totals: { deals: 6 } });

    const unknown = await runCliCaptured(['-c', mine, 'remove-source', 'nope', '--yes'], env);
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining("[cli] no data of a source 'nope'") });
  });
});
