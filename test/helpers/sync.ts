import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Connector } from '../../src/ingest/connector.ts';
import { syncSource, type UnitResult } from '../../src/ingest/sync-source.ts';
import { fixedClock, type Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';

/** The clock of connector tests: well after every fixture's modification times. */
export const TEST_NOW = new Date('2026-01-01T00:00:00Z');

/** A sleep that returns at once and records how long it was asked to wait. */
export function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

/** A logger whose JSON lines are kept in `lines`, at every level. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level: 'trace' }, stream), lines };
}

/** Syncs `connector` as source `key` through the real runner. */
export async function runSync(db: Database, key: string, connector: Connector, options: { clock?: Clock; log?: Logger } = {}): Promise<UnitResult[]> {
  return syncSource(
    { db, clock: options.clock ?? fixedClock(TEST_NOW), log: options.log ?? silentLogger() },
    { key, kind: connector.kind, name: key },
    connector,
  );
}

/** The unit result for `label`, failing the test when there is none. */
export function unit(results: readonly UnitResult[], label: string): UnitResult {
  const r = results.find((x) => x.label === label);
  if (!r) throw new Error(`no unit '${label}' in ${results.map((x) => x.label).join(', ')}`);
  return r;
}

/** A stored deal, with its owner's name, as the KPIs see it. */
export interface StoredDeal {
  id: string;
  name: string | null;
  stage: string;
  status: string;
  amount: number | null;
  owner: string | null;
  closed: string | null;
}

/** The deals of source `key`, by external id. */
export async function storedDeals(db: Database, key: string): Promise<StoredDeal[]> {
  const rows = await db.sql.all<{
    id: string;
    name: string | null;
    stage: string;
    status: string;
    amount: number | null;
    owner: string | null;
    closed: unknown;
  }>(
    `SELECT d."external_id" AS id, d."name" AS name, d."stage" AS stage, d."status" AS status, d."amount" AS amount, o."name" AS owner, d."closed_at" AS closed
     FROM "deals" d JOIN "sources" s ON s."id" = d."source_id" LEFT JOIN "owners" o ON o."id" = d."owner_id"
     WHERE s."key" = ? ORDER BY d."external_id"`,
    [key],
  );
  return rows.map((r) => ({ ...r, amount: r.amount === null ? null : Number(r.amount), closed: dayOf(r.closed) }));
}

/** Row ids of the source's deals by external id, to tell an update in place from a re-insert. */
export async function dealRowIds(db: Database, key: string): Promise<Record<string, number>> {
  const rows = await db.sql.all<{ id: number; external_id: string }>(
    `SELECT d."id", d."external_id" FROM "deals" d JOIN "sources" s ON s."id" = d."source_id" WHERE s."key" = ?`,
    [key],
  );
  return Object.fromEntries(rows.map((r) => [r.external_id, Number(r.id)]));
}

/** A stored rejected row. */
export interface StoredReject {
  file: string;
  line: number;
  kind: string;
  reason: string;
  raw: string;
}

/** The rejected rows of source `key`. */
export async function storedRejects(db: Database, key: string): Promise<StoredReject[]> {
  const rows = await db.sql.all<StoredReject>(
    `SELECT r."file", r."line", r."kind", r."reason", r."raw" FROM "rejected_rows" r JOIN "sources" s ON s."id" = r."source_id" WHERE s."key" = ? ORDER BY r."file", r."line"`,
    [key],
  );
  return rows.map((r) => ({ ...r, line: Number(r.line) }));
}

/** The saved cursor of a unit of source `key`. */
export async function storedCursor(db: Database, key: string, label: string): Promise<string | undefined> {
  const rows = await db.sql.all<{ cursor: string }>(
    `SELECT c."cursor" FROM "sync_cursors" c JOIN "sources" s ON s."id" = c."source_id" WHERE s."key" = ? AND c."object" = ?`,
    [key, label],
  );
  return rows[0]?.cursor;
}

function dayOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  // SQLite holds '2024-02-28T00:00:00.000+00:00'; PostgreSQL's driver gives a Date.
  return (v instanceof Date ? v : new Date(String(v))).toISOString().slice(0, 10);
}
