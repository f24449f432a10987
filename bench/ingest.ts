// Ingestion benchmark: the full Online Retail file (541,909 lines) through crm-pulse's own import
// path, against a plain better-sqlite3 insert of the same rows in one transaction. Each side runs
// in its own process so that its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import Sqlite from 'better-sqlite3';
import { parse } from 'csv-parse';

const FILE = fileURLToPath(new URL('../data/demo/online-retail/online_retail.csv.gz', import.meta.url));

/** What one side measured. */
export interface SideResult {
  rows: number;
  ms: number;
  peakRssMb: number;
}

async function ours(dir: string): Promise<SideResult> {
  const { openDatabase } = await import('../src/store/open-database.ts');
  const { migrate } = await import('../src/store/migrate.ts');
  const { loadConfig } = await import('../src/config/load-config.ts');
  const { csvConnector } = await import('../src/ingest/connectors/csv.ts');
  const { syncSource } = await import('../src/ingest/sync-source.ts');
  const { systemClock } = await import('../src/lib/clock.ts');
  const { silentLogger } = await import('../src/lib/logger.ts');
  const db = await openDatabase(`file:${join(dir, 'ours.db')}`);
  await migrate(db);
  const { config, dir: base } = loadConfig(join(dir, 'none.yaml'), { explicit: false });
  const source = config.sources['online-retail']!;
  const t = performance.now();
  const [result] = await syncSource({ db, clock: systemClock, log: silentLogger() }, { key: 'online-retail', kind: 'csv', name: 'bench' }, csvConnector(source, base));
  const ms = performance.now() - t;
  await db.close();
  return { rows: result!.counts.read, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function baseline(dir: string): Promise<SideResult> {
  const db = new Sqlite(join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE lines (invoice_no TEXT, stock_code TEXT, description TEXT, quantity INTEGER,
    invoice_date TEXT, unit_price REAL, customer_id TEXT, country TEXT)`);
  const insert = db.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const t = performance.now();
  let rows = 0;
  db.exec('BEGIN');
  const parser = createReadStream(FILE).pipe(createGunzip()).pipe(parse({ from_line: 2 }));
  for await (const r of parser as AsyncIterable<string[]>) {
    insert.run(r[0], r[1], r[2], Number(r[3]), r[4], Number(r[5]), r[6] || null, r[7]);
    rows++;
  }
  db.exec('COMMIT');
  const ms = performance.now() - t;
  db.close();
  return { rows, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Runs both sides in child processes and returns the figures. */
export function runIngestBench(): { ours: SideResult; baseline: SideResult } {
  const self = fileURLToPath(import.meta.url);
  const side = (name: string): SideResult => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', self, name], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (out.status !== 0) throw new Error(`bench side ${name} failed:\n${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as SideResult;
  };
  return { baseline: side('baseline'), ours: side('ours') };
}

const mode = process.argv[2];
if (mode === 'ours' || mode === 'baseline') {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-'));
  const result = await (mode === 'ours' ? ours(dir) : baseline(dir));
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}
