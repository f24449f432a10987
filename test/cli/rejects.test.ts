import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

// Nine bad rows among twelve: amounts that are no numbers and dates that are no dates.
const DEALS = [
  'id,stage,amount,closed',
  'D1,Won,1200,2024-03-04',
  'D2,Won,12 hundred,2024-03-05',
  'D3,Lost,400,2024-13-01',
  'D4,Won,abc,2024-03-06',
  'D5,Won,100,not a date',
  'D6,Lost,1e999,2024-03-07',
  'D7,Won,"7,,7",2024-03-08',
  'D8,Won,300,2024-02-30',
  'D9,Lost,x1,2024-03-09',
  'D10,Won,50,yesterday',
  'D11,Won,60,2024-03-10',
  'D12,Won,70,2024-03-11',
].join('\n');

describe('every rejected row can be seen', () => {
  const dir = tempFiles({ 'deals.csv': `${DEALS}\n` });
  const config = join(dir, 'crm-pulse.yaml');
  writeFileSync(
    config,
    `timezone: Asia/Shanghai
sources:
  mine:
    kind: csv
    files:
      - object: deals
        path: deals.csv
        key: id
        columns:
          stage: stage
          status: { from: stage, map: { Won: won, Lost: lost }, other: open }
          amount: amount
          closed_at: closed
`,
  );
  const db = tempSqlite();
  const env = { DATABASE_URL: db.url };
  afterAll(() => db.drop());

  it('status shows examples and points to rejects, which lists all of them with line, reason and raw text', async () => {
    expect((await runCliCaptured(['-c', config, 'ingest', 'mine'], env)).code).toBe(0);
    // The bad lines, found from the file itself: 1-based line numbers, the header being line 1.
    const records = parse(`${DEALS}\n`, { columns: true }) as { id: string; amount: string; closed: string }[];
    const bad = records.flatMap((r, i) => {
      const amountOk = /^\d+(\.\d+)?$/.test(r.amount) && Number.isFinite(Number(r.amount));
      const [y, m, d] = r.closed.split('-').map(Number);
      const date = new Date(Date.UTC(y!, m! - 1, d!));
      const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(r.closed) && date.getUTCMonth() === m! - 1 && date.getUTCDate() === d;
      return amountOk && dateOk ? [] : [{ line: i + 2, id: r.id }];
    });
    expect(bad).toHaveLength(9);

    const status = await runCliCaptured(['-c', config, 'status'], env);
    expect(status.out).toContain('rejected rows: 9 (invalid 9)');
    // Sync times in the config's time zone, as every other time, not in UTC ISO.
    expect(status.out).toMatch(/last sync: \d{4}-\d\d-\d\d \d\d:\d\d Asia\/Shanghai /);
    expect(status.out).not.toMatch(/\d\dT\d\d:\d\d:\d\d/);
    expect(status.out).toContain('… 6 more; every one: crm-pulse rejects mine (--format csv|json, --out <file>)');

    const csv = await runCliCaptured(['-c', config, 'rejects', 'mine', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const rows = parse(csv.out, { columns: true }) as { object: string; file: string; line: string; kind: string; reason: string; raw: string }[];
    expect(rows.map((r) => Number(r.line))).toEqual(bad.map((b) => b.line));
    const lines = DEALS.split('\n');
    for (const r of rows) {
      expect(r).toMatchObject({ object: 'deals', file: join(dir, 'deals.csv'), kind: 'invalid' });
      expect(r.raw).toContain(lines[Number(r.line) - 1]!.split(',')[0]!);
      expect(r.reason).not.toBe('');
    }
    expect(rows.find((r) => r.line === '3')!.reason).toContain("'12 hundred' is not a number");

    const json = await runCliCaptured(['-c', config, 'rejects', 'mine', '--format', 'json', '--out', join(dir, 'rejects.json')], env);
    expect(json.out).toBe(`9 rejected rows of mine written to ${join(dir, 'rejects.json')}\n`);
    const exported = JSON.parse(readFileSync(join(dir, 'rejects.json'), 'utf8')) as { line: number; reason: string }[];
    expect(exported.map((r) => r.line)).toEqual(bad.map((b) => b.line));

    const text = await runCliCaptured(['-c', config, 'rejects', 'mine'], env);
    expect(text.out.split('\n')[0]).toBe('mine: 9 rejected rows');
    const unknown = await runCliCaptured(['-c', config, 'rejects', 'nope'], env);
    expect(unknown).toMatchObject({ code: 2, err: "[cli] no source 'nope' in the database\n  fix: crm-pulse status lists the sources\n" });
  });
});
