import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/open-database.ts';
import { statusReport } from '../../src/store/status-report.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { importYaml, tempFiles } from '../helpers/import.ts';
import { agentDealsSource } from '../helpers/csv-sources.ts';

const OWNERS = 'agent,manager,office\nAnn,Mia,East\nBob,Mia,West\n';
// Line numbers count the header as line 1.
const DEALS = [
  'id,stage,agent,amount,closed',
  'D1,Won,Ann,100,2017-03-01', // 2 stored
  'D2,Lost,Bob,,2017-03-02', // 3 stored, no amount
  'D3,Won,Ann,12x,2017-03-03', // 4 rejected: not a number
  'D4,Won,Zed,50,2017-03-04', // 5 rejected: unknown owner
  'D5,Won,Ann,70,2017-02-30', // 6 rejected: no such date
  ',Won,Ann,70,2017-03-05', // 7 rejected: empty key
  'D1,Won,Ann,100,2017-03-01', // 8 rejected: exact duplicate of line 2
  'D1,Lost,Ann,100,2017-03-01', // 9 rejected: duplicate key
  'D6,Won,Ann,70', // 10 rejected: 4 fields
  'D8,Prospecting,Ann,,', // 11 stored, open
  'D9,W"on,Ann,1,2017-03-01', // 12 rejected: broken quote
  'D10,Won,Ann,1e3,2017-03-01T10:00:00+02:00', // 13 stored, 08:00 UTC
].join('\n');

const CONFIG = (deals = 'deals.csv', dealsOptions = '') => `
${agentDealsSource({ deals, dealsOptions })}`;

describe.each(ENGINES)('CSV import on $engine', ({ create }) => {
  let test: MigratedDb;
  let db: Database;
  beforeAll(async () => {
    test = await migratedDb(create);
    db = test.db;
  });
  afterAll(async () => {
    await test?.close();
  });

  it('stores good rows, rejects bad ones with file, line and reason, and the counts reconcile', async () => {
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': DEALS });
    const [owners, deals] = await importYaml(db, CONFIG(), dir);
    expect(owners!.counts).toEqual({ read: 2, written: 2, rejected: 0, inserted: 2, updated: 0, unchanged: 0 });
    expect(deals!.status).toBe('succeeded');
    expect(deals!.counts).toEqual({ read: 12, written: 4, rejected: 8, inserted: 4, updated: 0, unchanged: 0 });
    const rejects = await db.sql.all<{ line: number; kind: string; reason: string }>(
      `SELECT "line", "kind", "reason" FROM "rejected_rows" WHERE "file" = ? ORDER BY "line"`,
      [join(dir, 'deals.csv')],
    );
    expect(rejects.map((r) => [Number(r.line), r.kind, r.reason])).toEqual([
      [4, 'invalid', "amount (column 'amount'): '12x' is not a number"],
      [5, 'reference', "owner 'Zed' matches no owners record; import it first or set unknown: empty"],
      [6, 'invalid', "closed_at (column 'closed'): '2017-02-30' is not a real date or time"],
      [7, 'missing', "key column 'id' is empty"],
      [8, 'duplicate', 'exact duplicate of line 2'],
      [9, 'duplicate', "duplicate key 'D1' (first on line 2)"],
      [10, 'shape', 'has 4 fields, the header has 5'],
      [12, 'unreadable', 'a quote inside an unquoted field at line 12'],
    ]);
    const stored = await db.sql.all<{ external_id: string; status: string; amount: number | null; owner: string; closed_at: unknown }>(
      `SELECT d."external_id", d."status", d."amount", o."name" AS owner, d."closed_at" FROM "deals" d JOIN "owners" o ON o."id" = d."owner_id" ORDER BY d."external_id"`,
    );
    const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
    expect(stored.map((d) => [d.external_id, d.status, d.amount === null ? null : Number(d.amount), d.owner, iso(d.closed_at)])).toEqual([
      ['D1', 'won', 100, 'Ann', '2017-03-01T00:00:00.000Z'],
      ['D10', 'won', 1000, 'Ann', '2017-03-01T08:00:00.000Z'],
      ['D2', 'lost', null, 'Bob', '2017-03-02T00:00:00.000Z'],
      ['D8', 'open', null, 'Ann', null],
    ]);
    const open = await db.sql.all<{ n: number }>(`SELECT count(*) AS n FROM "deals" WHERE "status" = 'open' AND "closed_at" IS NULL`);
    expect(Number(open[0]!.n)).toBe(1);
  });

  it('re-importing the same file changes nothing', async () => {
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': DEALS });
    const [, deals] = await importYaml(db, CONFIG(), dir);
    expect(deals!.counts).toEqual({ read: 12, written: 4, rejected: 8, inserted: 0, updated: 0, unchanged: 4 });
  });

  it('re-importing a corrected file updates changed rows and drops rejects that were fixed', async () => {
    const fixed = DEALS.replace('D3,Won,Ann,12x', 'D3,Won,Ann,12').replace('D2,Lost,Bob,,', 'D2,Lost,Bob,5,');
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': DEALS });
    await importYaml(db, CONFIG(), dir);
    writeFileSync(join(dir, 'deals.csv'), fixed);
    const [, deals] = await importYaml(db, CONFIG(), dir);
    expect(deals!.counts).toEqual({ read: 12, written: 5, rejected: 7, inserted: 1, updated: 1, unchanged: 3 });
    const amounts = await db.sql.all<{ external_id: string; amount: number }>(
      `SELECT "external_id", "amount" FROM "deals" WHERE "external_id" IN ('D2', 'D3') ORDER BY "external_id"`,
    );
    expect(amounts.map((a) => [a.external_id, Number(a.amount)])).toEqual([
      ['D2', 5],
      ['D3', 12],
    ]);
    const left = await db.sql.all<{ line: number }>(`SELECT "line" FROM "rejected_rows" WHERE "file" = ? ORDER BY "line"`, [join(dir, 'deals.csv')]);
    expect(left.map((r) => Number(r.line))).toEqual([5, 6, 7, 8, 9, 10, 12]);
  });

  it('reads gzip files the same as plain ones', async () => {
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv.gz': gzipSync(DEALS) });
    const [, deals] = await importYaml(db, CONFIG('deals.csv.gz'), dir);
    expect(deals!.counts.read).toBe(12);
    expect(deals!.counts.written).toBe(4);
    expect(deals!.counts.rejected).toBe(8);
  });

  it('fails a file with the wrong delimiter with the fix, and keeps going with the next file', async () => {
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': DEALS.replace(/,/g, ';') });
    const [owners, deals] = await importYaml(db, CONFIG(), dir);
    expect(owners!.status).toBe('succeeded');
    expect(deals!.status).toBe('failed');
    expect(deals!.error).toBe(
      `[csv] ${join(dir, 'deals.csv')}:1: the header is one column 'id;stage;agent;amount;closed'; the file looks ';'-delimited\n  fix: set delimiter: ';' for this file in the config`,
    );
    const [, semicolon] = await importYaml(db, CONFIG('deals.csv', "        delimiter: ';'\n"), dir);
    expect(semicolon!.counts.written).toBe(4);
  });

  it('names a missing file and a mapped column the header lacks', async () => {
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': DEALS.replace('amount', 'value') });
    const [, missing] = await importYaml(db, CONFIG('nope.csv'), dir);
    expect(missing!.error).toBe(
      `[csv] ${join(dir, 'nope.csv')}: file not found\n  fix: check the path in the config (relative paths start at the config file)`,
    );
    const [, column] = await importYaml(db, CONFIG(), dir);
    expect(column!.error).toBe(
      `[csv] ${join(dir, 'deals.csv')}:1: columns.amount names column 'amount', which the header lacks; header: id, stage, agent, value, closed\n  fix: correct the column name in the config, or check that this is the right file`,
    );
  });

  it('rejects rows that are not valid UTF-8, and reads them with encoding: latin1', async () => {
    const latin1 = Buffer.from('agent,manager,office\nRen\xe9,Mia,East\n', 'latin1');
    const config = (encoding: string) => `
sources:
  enc:
    kind: csv
    files:
      - object: owners
        path: owners.csv
        key: agent
        encoding: ${encoding}
        columns: { name: agent, office: office }
`;
    const dir = tempFiles({ 'owners.csv': latin1 });
    const [utf8] = await importYaml(db, config('utf8'), dir, 'enc');
    expect(utf8!.counts).toMatchObject({ read: 1, rejected: 1 });
    const [latin] = await importYaml(db, config('latin1'), dir, 'enc');
    expect(latin!.counts).toMatchObject({ read: 1, written: 1, rejected: 0 });
    const names = await db.sql.all<{ name: string }>(`SELECT o."name" FROM "owners" o JOIN "sources" s ON s."id" = o."source_id" WHERE s."key" = 'enc'`);
    expect(names.map((n) => n.name)).toEqual(['René']);
    const report = await statusReport(db);
    expect(report.sources.find((s) => s.key === 'enc')!.rejects.total).toBe(0);
  });

  it('keeps what was committed when a file breaks off mid-way, fails the run, and leaves the cursor alone', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `T${i},Won,Ann,${i},2017-03-01`);
    const whole = gzipSync(['id,stage,agent,amount,closed', ...lines].join('\n'));
    const dir = tempFiles({ 'owners.csv': OWNERS, 'big.csv.gz': whole.subarray(0, Math.floor(whole.length * 0.8)) });
    const [, deals] = await importYaml(db, CONFIG('big.csv.gz'), dir);
    expect(deals!.status).toBe('failed');
    expect(deals!.error).toBe(
      `[csv] ${join(dir, 'big.csv.gz')}: reading stopped: unexpected end of file\n  fix: the file may be truncated or not a CSV file; rows before this point are kept`,
    );
    // The batches read before the break were committed, each row once; the rest never arrived.
    expect(deals!.counts.written).toBeGreaterThan(0);
    expect(deals!.counts.written).toBeLessThan(12_000);
    expect(deals!.counts.written).toBe(deals!.counts.read);
    expect(await db.sql.all(`SELECT 1 FROM "deals" WHERE "external_id" LIKE 'T%'`)).toHaveLength(deals!.counts.written);
    const cursor = await db.sql.all(`SELECT "cursor" FROM "sync_cursors" WHERE "object" = ?`, [join(dir, 'big.csv.gz')]);
    expect(cursor).toEqual([]);
    const runs = await db.sql.all<{ status: string; rows_written: number }>(`SELECT "status", "rows_written" FROM "sync_runs" WHERE "file" = ?`, [
      join(dir, 'big.csv.gz'),
    ]);
    expect(runs.map((r) => [r.status, Number(r.rows_written)])).toEqual([['failed', deals!.counts.written]]);
  });
});
