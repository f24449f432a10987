// Builds the scaled database the KPI benchmark reads: the bundled demo imported through
// crm-pulse's own path, then copied out to ≥1M deals and ≥5M order lines (tickets, surveys and
// spend ×10) with a seeded PRNG, so every build is the same. The file is cached under
// bench/.cache/ by SCALE_VERSION; bump it whenever what is built changes.
// Run alone with `npx tsx bench/scale-data.ts` to build (or find) it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { mulberry32 } from '../test/helpers/seeded-random.ts';

/** Version of what the generator builds; part of the cache file name. */
export const SCALE_VERSION = 2;
/** Copies of each Maven deal, the original included: 114 × 8,800 = 1,003,200 deals. */
const DEAL_COPIES = 114;
/** Copies of each Online Retail line (and customer, ticket, survey, spend row), the original included. */
const RETAIL_COPIES = 10;
const SEED = 20_170_301;
const ROWS_PER_TRANSACTION = 50_000;
const WEEK_MS = 7 * 86_400_000;
/** Where jittered dates must stay: [from, to) for the B2B (Maven) era and the B2C (retail) era. */
const B2B_SPAN = { from: Date.UTC(2016, 9, 1), to: Date.UTC(2018, 0, 1) };
const B2C_SPAN = { from: Date.UTC(2010, 11, 1), to: Date.UTC(2012, 0, 1) };

const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));

/** Row counts of the scaled database. */
export interface ScaledCounts {
  deals: number;
  orderLines: number;
  customers: number;
  tickets: number;
  surveyAnswers: number;
  marketingSpend: number;
}

/** The scaled database: its file, row counts and how long it took to build (when it was built). */
export interface ScaledDatabase {
  file: string;
  counts: ScaledCounts;
  buildMs: number;
  /** false when the cached file was reused */
  built: boolean;
}

/**
 * The cached scaled database, built first when missing (a few minutes; progress on stderr).
 * @example const { file, counts } = await scaledDatabase(); // counts.deals === 1_003_200
 */
export async function scaledDatabase(): Promise<ScaledDatabase> {
  const file = join(CACHE_DIR, `scaled-v${SCALE_VERSION}.db`);
  const meta = join(CACHE_DIR, `scaled-v${SCALE_VERSION}.json`);
  // The JSON is written last, so its presence means the database file is complete.
  if (existsSync(file) && existsSync(meta)) {
    const saved = JSON.parse(readFileSync(meta, 'utf8')) as { counts: ScaledCounts; buildMs: number };
    return { file, ...saved, built: false };
  }
  const started = performance.now();
  const work = join(CACHE_DIR, `build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const base = join(work, 'base.db');
  progress(`building scaled database v${SCALE_VERSION} in ${work}`);
  await importDemo(base);
  progress(`demo imported (${seconds(started)})`);
  const counts = scale(base, started);
  const buildMs = performance.now() - started;
  renameSync(base, file);
  rmSync(work, { recursive: true, force: true });
  writeFileSync(meta, `${JSON.stringify({ counts, buildMs }, null, 2)}\n`);
  progress(`scaled database ready: ${file} (${seconds(started)})`);
  return { file, counts, buildMs, built: true };
}

/** The bundled demo (Maven CRM, Online Retail, generated tickets/surveys/spend) through ingestDemo. */
async function importDemo(file: string): Promise<void> {
  const { createApp } = await import('../src/app.ts');
  const { readEnv } = await import('../src/config/env.ts');
  const { createLogger } = await import('../src/lib/logger.ts');
  const app = await createApp(readEnv({ DATABASE_URL: `file:${file}`, LOG_LEVEL: 'silent' }), createLogger({ level: 'silent' }));
  try {
    await app.ingestDemo();
  } finally {
    await app.close();
  }
}

/** Copies the demo rows in place and returns the final counts. */
function scale(file: string, started: number): ScaledCounts {
  const db = new Sqlite(file);
  // Built once and then only read: no journal, no fsync, no FK checks while loading.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  const rand = mulberry32(SEED);
  const tables = ['deals', 'order_lines', 'customers', 'tickets', 'survey_answers', 'marketing_spend'];
  // Secondary indexes are dropped while loading and rebuilt after: much faster than updating them per row.
  const indexes = db
    .prepare(`SELECT "sql" FROM sqlite_master WHERE type = 'index' AND "sql" IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`)
    .pluck()
    .all(...tables) as string[];
  for (const sql of indexes) db.exec(`DROP INDEX ${/INDEX\s+("[^"]+")/.exec(sql)![1]}`);

  copyDeals(db, rand);
  progress(`deals copied (${seconds(started)})`);
  const customerCopies = copyCustomers(db);
  copyOrderLines(db, rand, customerCopies);
  progress(`order lines copied (${seconds(started)})`);
  copyTickets(db, rand, customerCopies);
  copySurveys(db, rand, customerCopies);
  copySpend(db, rand);
  progress(`tickets, surveys and spend copied (${seconds(started)}); rebuilding ${indexes.length} indexes`);
  for (const sql of indexes) db.exec(sql);
  // The app opens SQLite in WAL mode; setting it here keeps that first open from rewriting the file.
  db.pragma('journal_mode = WAL');
  const count = (table: string) => db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
  const counts: ScaledCounts = {
    deals: count('deals'),
    orderLines: count('order_lines'),
    customers: count('customers'),
    tickets: count('tickets'),
    surveyAnswers: count('survey_answers'),
    marketingSpend: count('marketing_spend'),
  };
  db.close();
  return counts;
}

type Row = unknown[];

function copyDeals(db: Sqlite.Database, rand: () => number): void {
  const rows = db
    .prepare(
      `SELECT source_id, external_id, row_hash, name, stage, status, amount, product_id, owner_id, account_id,
      created_at, engaged_at, closed_at FROM deals ORDER BY id`,
    )
    .raw()
    .all() as Row[];
  const insert = db.prepare(`INSERT INTO deals (source_id, external_id, row_hash, name, stage, status, amount, product_id,
    owner_id, account_id, created_at, engaged_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const times = rows.map((r) => [parse(r[10]), parse(r[11]), parse(r[12])] as const);
  const spans = times.map((t) => shiftRange(t, B2B_SPAN));
  batches(db, DEAL_COPIES - 1, rows.length, (copy, n) => {
    const r = rows[n]!;
    const weeks = pick(rand, spans[n]!);
    const amount = r[6] === null ? null : Math.round((r[6] as number) * (0.8 + 0.4 * rand()) * 100) / 100;
    const [created, engaged, closed] = times[n]!.map((t) => shifted(t, weeks));
    insert.run(r[0], `${r[1] as string}~${copy}`, r[2], r[3], r[4], r[5], amount, r[7], r[8], r[9], created, engaged, closed);
  });
}

/** Creates RETAIL_COPIES − 1 copies of every customer; returns, per copy, original id → new id. */
function copyCustomers(db: Sqlite.Database): Map<number, number>[] {
  const rows = db
    .prepare('SELECT id, source_id, external_id, row_hash, name, email, country, account_id, created_at FROM customers ORDER BY id')
    .raw()
    .all() as Row[];
  const insert = db.prepare(`INSERT INTO customers (source_id, external_id, row_hash, name, email, country, account_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const maps: Map<number, number>[] = [new Map()];
  for (let copy = 1; copy < RETAIL_COPIES; copy++) maps.push(new Map());
  batches(db, RETAIL_COPIES - 1, rows.length, (copy, n) => {
    const r = rows[n]!;
    const id = insert.run(r[1], `${r[2] as string}~${copy}`, r[3], r[4], r[5], r[6], r[7], r[8]).lastInsertRowid;
    maps[copy]!.set(r[0] as number, Number(id));
  });
  return maps;
}

function copyOrderLines(db: Sqlite.Database, rand: () => number, customers: Map<number, number>[]): void {
  const rows = db
    .prepare(
      `SELECT source_id, external_id, row_hash, invoice_no, customer_id, stock_code, description, quantity, unit_price,
      amount, cancelled, country, ordered_at FROM order_lines ORDER BY id`,
    )
    .raw()
    .all() as Row[];
  const insert = db.prepare(`INSERT INTO order_lines (source_id, external_id, row_hash, invoice_no, customer_id, stock_code,
    description, quantity, unit_price, amount, cancelled, country, ordered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const times = rows.map((r) => parse(r[12]));
  // One shift per invoice and copy, so that an invoice's lines stay together.
  const invoiceWeeks = new Map<string, number>();
  batches(db, RETAIL_COPIES - 1, rows.length, (copy, n) => {
    const r = rows[n]!;
    const key = `${r[3] as string}~${copy}`;
    let weeks = invoiceWeeks.get(key);
    if (weeks === undefined) invoiceWeeks.set(key, (weeks = pick(rand, shiftRange([times[n]!], B2C_SPAN))));
    const customer = r[4] === null ? null : customers[copy]!.get(r[4] as number)!;
    insert.run(r[0], `${r[1] as string}~${copy}`, r[2], key, customer, r[5], r[6], r[7], r[8], r[9], r[10], r[11], shifted(times[n]!, weeks));
  });
}

function copyTickets(db: Sqlite.Database, rand: () => number, customers: Map<number, number>[]): void {
  const rows = db
    .prepare(
      `SELECT source_id, external_id, row_hash, subject, category, channel, priority, customer_id, account_id, owner_id,
      opened_at, first_response_at, resolved_at FROM tickets ORDER BY id`,
    )
    .raw()
    .all() as Row[];
  const insert = db.prepare(`INSERT INTO tickets (source_id, external_id, row_hash, subject, category, channel, priority,
    customer_id, account_id, owner_id, opened_at, first_response_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const times = rows.map((r) => [parse(r[10]), parse(r[11]), parse(r[12])] as const);
  batches(db, RETAIL_COPIES - 1, rows.length, (copy, n) => {
    const r = rows[n]!;
    const weeks = pick(rand, shiftRange(times[n]!, eraOf(times[n]![0]!)));
    const customer = r[7] === null ? null : customers[copy]!.get(r[7] as number)!;
    const [opened, responded, resolved] = times[n]!.map((t) => shifted(t, weeks));
    insert.run(r[0], `${r[1] as string}~${copy}`, r[2], r[3], r[4], r[5], r[6], customer, r[8], r[9], opened, responded, resolved);
  });
}

function copySurveys(db: Sqlite.Database, rand: () => number, customers: Map<number, number>[]): void {
  const rows = db
    .prepare('SELECT source_id, external_id, row_hash, kind, score, customer_id, account_id, answered_at, comment FROM survey_answers ORDER BY id')
    .raw()
    .all() as Row[];
  const insert = db.prepare(`INSERT INTO survey_answers (source_id, external_id, row_hash, kind, score, customer_id, account_id,
    answered_at, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const times = rows.map((r) => parse(r[7]));
  batches(db, RETAIL_COPIES - 1, rows.length, (copy, n) => {
    const r = rows[n]!;
    const weeks = pick(rand, shiftRange([times[n]!], eraOf(times[n]!)));
    const customer = r[5] === null ? null : customers[copy]!.get(r[5] as number)!;
    insert.run(r[0], `${r[1] as string}~${copy}`, r[2], r[3], r[4], customer, r[6], shifted(times[n]!, weeks), r[8]);
  });
}

function copySpend(db: Sqlite.Database, rand: () => number): void {
  const rows = db
    .prepare('SELECT source_id, external_id, row_hash, day, channel, campaign, spend, leads, attributed_revenue FROM marketing_spend ORDER BY id')
    .raw()
    .all() as Row[];
  const insert = db.prepare(`INSERT INTO marketing_spend (source_id, external_id, row_hash, day, channel, campaign, spend, leads,
    attributed_revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const times = rows.map((r) => parse(r[3]));
  batches(db, RETAIL_COPIES - 1, rows.length, (copy, n) => {
    const r = rows[n]!;
    const weeks = pick(rand, shiftRange([times[n]!], eraOf(times[n]!)));
    insert.run(r[0], `${r[1] as string}~${copy}`, r[2], shifted(times[n]!, weeks), r[4], r[5], r[6], r[7], r[8]);
  });
}

/** Calls `row(copy, n)` for copies 1…copies of rows 0…count − 1, committing every ROWS_PER_TRANSACTION rows. */
function batches(db: Sqlite.Database, copies: number, count: number, row: (copy: number, n: number) => void): void {
  let pending = 0;
  db.exec('BEGIN');
  for (let copy = 1; copy <= copies; copy++) {
    for (let n = 0; n < count; n++) {
      row(copy, n);
      if (++pending === ROWS_PER_TRANSACTION) {
        db.exec('COMMIT; BEGIN');
        pending = 0;
      }
    }
  }
  db.exec('COMMIT');
}

/** The whole-week shifts [min, max] that keep every given time inside span. */
function shiftRange(times: readonly (number | null)[], span: { from: number; to: number }): readonly [number, number] {
  const present = times.filter((t): t is number => t !== null);
  if (!present.length) return [0, 0];
  const min = Math.ceil((span.from - Math.min(...present)) / WEEK_MS);
  const max = Math.floor((span.to - 1 - Math.max(...present)) / WEEK_MS);
  return min <= max ? [min, max] : [0, 0];
}

function eraOf(time: number | null): { from: number; to: number } {
  return time !== null && time >= B2B_SPAN.from ? B2B_SPAN : B2C_SPAN;
}

function pick(rand: () => number, [min, max]: readonly [number, number]): number {
  return min + Math.floor(rand() * (max - min + 1));
}

function parse(value: unknown): number | null {
  return value === null ? null : Date.parse(value as string);
}

/** A time moved by whole weeks, in the text form crm-pulse stores on SQLite. */
function shifted(time: number | null, weeks: number): string | null {
  return time === null ? null : `${new Date(time + weeks * WEEK_MS).toISOString().slice(0, 23)}+00:00`;
}

function progress(message: string): void {
  process.stderr.write(`[bench] [scale-data] ${message}\n`);
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const db = await scaledDatabase();
  console.log(JSON.stringify(db));
}
