// Ingestion benchmark: the full Online Retail file (541,909 lines) through crm-pulse's own import
// path, against plain better-sqlite3 inserts of the same rows in one transaction: into the same
// order_lines table (same indexes: the fair baseline) and into a bare table (the floor). Each side
// runs in its own process so that its peak RSS is its own; crm-pulse's runs the compiled code (bench/ingest-child.mjs).
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import Sqlite from 'better-sqlite3';
import { parse } from 'csv-parse';
import { benchRow, median, type BenchCaseResult } from './bench-row.ts';
import { START_ENV, START_NODE_FLAGS, START_SETTINGS } from './start-env.ts';

const FILE = fileURLToPath(new URL('../data/demo/online-retail/online_retail.csv.gz', import.meta.url));

/** What one side measured. */
export interface SideResult {
  rows: number;
  ms: number;
  peakRssMb: number;
}

/** Reads the file with csv-parse and hands each row to `insert`, all in one transaction. */
async function plainInsert(db: Sqlite.Database, insert: (r: string[], n: number) => void): Promise<SideResult> {
  const t = performance.now();
  let rows = 0;
  db.exec('BEGIN');
  const parser = createReadStream(FILE)
    .pipe(createGunzip())
    .pipe(parse({ from_line: 2 }));
  for await (const r of parser as AsyncIterable<string[]>) insert(r, rows++);
  db.exec('COMMIT');
  const ms = performance.now() - t;
  db.close();
  return { rows, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Baseline: the same rows inserted into crm-pulse's own order_lines table, with its indexes. */
async function sameTable(dir: string): Promise<SideResult> {
  const { openDatabase } = await import('../src/store/open-database.ts');
  const { migrate } = await import('../src/store/migrate.ts');
  const file = join(dir, 'same-table.db');
  const schema = await openDatabase(`file:${file}`);
  await migrate(schema);
  await schema.sql.run(`INSERT INTO "sources" ("key", "kind", "name", "created_at") VALUES ('bench', 'csv', 'bench', '2026-01-01T00:00:00.000+00:00')`);
  await schema.close();
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(`INSERT INTO "order_lines" ("source_id", "external_id", "row_hash", "invoice_no", "stock_code", "description",
    "quantity", "unit_price", "amount", "cancelled", "country", "ordered_at") VALUES (1, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return plainInsert(db, (r, n) =>
    insert.run(`${n}`, r[0], r[1], r[2], Number(r[3]), Number(r[5]), Number(r[3]) * Number(r[5]), r[0]!.startsWith('C') ? 1 : 0, r[7], r[4]),
  );
}

/** Floor: the raw columns into a table without indexes or keys. */
async function scratchTable(dir: string): Promise<SideResult> {
  const db = new Sqlite(join(dir, 'scratch.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE lines (invoice_no TEXT, stock_code TEXT, description TEXT, quantity INTEGER,
    invoice_date TEXT, unit_price REAL, customer_id TEXT, country TEXT)`);
  const insert = db.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  return plainInsert(db, (r) => insert.run(r[0], r[1], r[2], Number(r[3]), r[4], Number(r[5]), r[6] || null, r[7]));
}

const SIDES = { 'same-table': sameTable, scratch: scratchTable } as const;
/** A side of the comparison: crm-pulse's (bench/ingest-child.mjs, compiled) or a baseline. */
export type Side = 'ours' | keyof typeof SIDES;
const OURS = fileURLToPath(new URL('./ingest-child.mjs', import.meta.url));

/**
 * Runs each side `runs` times in fresh child processes, alternating, and returns every result;
 * the machine is shared, so one run is noise and the median is the figure.
 */
export function runIngestBench(runs = 3): Record<Side, SideResult[]> {
  const self = fileURLToPath(import.meta.url);
  if (!existsSync(fileURLToPath(new URL('../dist/ingest/sync-source.js', import.meta.url))))
    throw new Error('[bench] ingest measures the compiled code in dist/; run `npm run build` first');
  const side = (name: Side): SideResult => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-'));
    try {
      const out =
        name === 'ours'
          ? spawnSync(process.execPath, [...START_NODE_FLAGS, OURS, dir], { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, ...START_ENV } })
          : spawnSync(process.execPath, ['--import', 'tsx', self, name, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (out.status !== 0) throw new Error(`bench side ${name} failed:\n${out.stderr}`);
      return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as SideResult;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const results: Record<Side, SideResult[]> = { ours: [], 'same-table': [], scratch: [] };
  for (let i = 0; i < runs; i++) for (const name of ['ours', 'same-table', 'scratch'] as const) results[name].push(side(name));
  return results;
}

/** The case for `npm run bench`: the medians as table rows (time against each baseline) and the detail lines. */
export function ingestBenchCase(runs = 3): BenchCaseResult {
  const results = runIngestBench(runs);
  const med = (side: SideResult[]) => {
    const ms = median(side.map((r) => r.ms));
    return { rows: side[0]!.rows, ms, rate: Math.round(side[0]!.rows / (ms / 1000)), rss: Math.max(...side.map((r) => r.peakRssMb)) };
  };
  const ours = med(results.ours);
  const same = med(results['same-table']);
  const floor = med(results.scratch);
  const fmt = (n: number) => n.toLocaleString('en-US').padStart(9);
  const row = (name: string, r: ReturnType<typeof med>) =>
    `  ${name.padEnd(34)} ${fmt(r.rate)} rows/s  ${(r.ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${r.rss.toFixed(0)} MB`;
  const n = results.ours.length;
  const detail = [
    `ingest: Online Retail, ${ours.rows.toLocaleString('en-US')} lines of gzip CSV into a fresh SQLite database (median of ${n} run${n === 1 ? '' : 's'} each)`,
    row('crm-pulse import path', ours),
    `    compiled (node dist/ with ${START_SETTINGS}, as npm start runs it); budget ≤ 1.5× the same-table baseline and ≤ 300 MB`,
    '    stream, map, validate, de-duplicate, create customers, upsert by key with change detection, keep rejects',
    row('baseline: plain insert, same table', same),
    "    csv-parse, then better-sqlite3 INSERT into crm-pulse's order_lines (same indexes), one transaction",
    row('floor: plain insert, bare table', floor),
    '    csv-parse, then better-sqlite3 INSERT of the raw columns into a table without keys or indexes',
    `  ratio: crm-pulse ${(ours.ms / same.ms).toFixed(2)}x the same-table baseline, ${(ours.ms / floor.ms).toFixed(2)}x the floor`,
    `  runs (s): crm-pulse ${results.ours.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}; same table ${results['same-table'].map((r) => (r.ms / 1000).toFixed(2)).join(' ')}; floor ${results.scratch.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}`,
  ].join('\n');
  const measured = `import ${ours.rows.toLocaleString('en-US')} Online Retail lines (${ours.rate.toLocaleString('en-US')} rows/s)`;
  const rows = [
    benchRow({
      case: 'ingest',
      measured,
      unit: 's',
      value: ours.ms / 1000,
      baseline: 'plain INSERT, same table',
      baselineValue: same.ms / 1000,
      peakRssMb: ours.rss,
      baselinePeakRssMb: same.rss,
    }),
    benchRow({
      case: 'ingest',
      measured,
      unit: 's',
      value: ours.ms / 1000,
      baseline: 'floor: plain INSERT, bare table',
      baselineValue: floor.ms / 1000,
      peakRssMb: ours.rss,
      baselinePeakRssMb: floor.rss,
    }),
  ];
  return { rows, detail, raw: results };
}

const mode = process.argv[2];
if (mode && mode in SIDES) console.log(JSON.stringify(await SIDES[mode as keyof typeof SIDES](process.argv[3]!)));
