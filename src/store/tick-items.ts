import type { Database } from './open-database.ts';
import { numberPlaceholders } from './sql-client.ts';
import { pgValue, sqliteDate } from './record-writer.ts';
import type { WriteTx } from './write-transaction.ts';

/** One piece of a tick's work to add: its key within the tick and what it covers (JSON). */
export interface NewTickItem {
  readonly item: string;
  readonly payload: string;
}

/** A claim on one item: who holds it, and the epoch (fencing token) it was claimed with. */
export interface ItemClaim {
  readonly id: number;
  readonly job: string;
  readonly tick: Date;
  readonly item: string;
  readonly payload: string;
  /** the instant the tick judges at */
  readonly at: Date;
  readonly holder: string;
  readonly epoch: number;
}

/** How a tick's items stand: in all, done, and claimed by a replica whose claim has not expired. */
export interface TickItemCounts {
  readonly total: number;
  readonly done: number;
  readonly claimed: number;
}

const date = (db: Pick<Database, 'dialect'>, d: Date) => (db.dialect === 'sqlite' ? sqliteDate(d) : (pgValue(d) as string));

/**
 * Adds a tick's items, all at once and idempotently (unique on job, tick, item): a second call,
 * by this replica or another, adds nothing, and items already done stay done.
 */
export async function addTickItems(db: Database, job: string, tick: Date, at: Date, items: readonly NewTickItem[]): Promise<number> {
  return db.sql.transaction(async (tx) => {
    let added = 0;
    for (const i of items) {
      added += await tx.run(
        `INSERT INTO "tick_items" ("job", "tick", "item", "payload", "at", "state", "epoch") VALUES (?, ?, ?, ?, ?, 'pending', 0)
         ON CONFLICT ("job", "tick", "item") DO NOTHING`,
        [job, date(db, tick), i.item, i.payload, date(db, at)],
      );
    }
    return added;
  });
}

/**
 * Claims one item of a tick for `holder` until `now + ttlMs`, in one statement: a pending item, or
 * one whose claim expired (its replica died or stalled). Every claim raises the item's epoch, so the
 * replica that held it before can no longer write its results (see fenceTickItem). On PostgreSQL,
 * `FOR UPDATE SKIP LOCKED` lets replicas claim side by side without waiting on each other's rows;
 * SQLite has one writer, so the statement alone is enough. Returns undefined when nothing is claimable.
 */
export async function claimTickItem(db: Database, job: string, tick: Date, holder: string, now: Date, ttlMs: number): Promise<ItemClaim | undefined> {
  const lock = db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
  const claimable = `("state" = 'pending' OR ("state" = 'claimed' AND "expires_at" <= ?))`;
  const rows = await db.sql.all<{ id: number; item: string; payload: string; at: string | Date; epoch: number }>(
    `UPDATE "tick_items" SET "state" = 'claimed', "holder" = ?, "epoch" = "epoch" + 1, "expires_at" = ?
     WHERE "id" = (SELECT "id" FROM "tick_items" WHERE "job" = ? AND "tick" = ? AND ${claimable} ORDER BY "id" LIMIT 1 ${lock})
       AND ${claimable}
     RETURNING "id", "item", "payload", "at", "epoch"`,
    [holder, date(db, new Date(now.getTime() + ttlMs)), job, date(db, tick), date(db, now), date(db, now)],
  );
  const row = rows[0];
  return row ? { id: Number(row.id), job, tick, item: row.item, payload: row.payload, at: readDate(row.at), holder, epoch: Number(row.epoch) } : undefined;
}

/** Extends a held claim while its item is worked on; false when it was lost (taken over: a newer epoch). */
export async function renewTickItem(db: Database, claim: ItemClaim, now: Date, ttlMs: number): Promise<boolean> {
  const changed = await db.sql.run(`UPDATE "tick_items" SET "expires_at" = ? WHERE "id" = ? AND "holder" = ? AND "epoch" = ? AND "state" = 'claimed'`, [
    date(db, new Date(now.getTime() + ttlMs)),
    claim.id,
    claim.holder,
    claim.epoch,
  ]);
  return changed > 0;
}

/**
 * The fence, inside the transaction that writes an item's results: whether `claim` is still the
 * item's current claim (same holder and epoch, not done). On PostgreSQL the check locks the item's
 * row until the transaction ends, so no replica can take the item over between the check and the
 * commit (its claim skips the locked row); on SQLite the write transaction already excludes every
 * other writer. A false answer means another replica took the item over: write nothing.
 */
export async function holdsTickItem(tx: WriteTx, dialect: Database['dialect'], claim: ItemClaim): Promise<boolean> {
  const sql = `UPDATE "tick_items" SET "state" = 'claimed' WHERE "id" = ? AND "holder" = ? AND "epoch" = ? AND "state" = 'claimed'`;
  return (await tx.$executeRawUnsafe(dialect === 'postgres' ? numberPlaceholders(sql) : sql, claim.id, claim.holder, claim.epoch)) > 0;
}

/** Marks a held item done with what it found, in the transaction that wrote its results (after holdsTickItem). */
export async function finishTickItem(tx: WriteTx, dialect: Database['dialect'], claim: ItemClaim, result: string, now: Date): Promise<void> {
  const sql = `UPDATE "tick_items" SET "state" = 'done', "done_at" = ?, "result" = ? WHERE "id" = ? AND "holder" = ? AND "epoch" = ?`;
  await tx.$executeRawUnsafe(dialect === 'postgres' ? numberPlaceholders(sql) : sql, date({ dialect }, now), result, claim.id, claim.holder, claim.epoch);
}

/** How a tick's items stand at `now`. */
export async function tickItemCounts(db: Database, job: string, tick: Date, now: Date): Promise<TickItemCounts> {
  const rows = await db.sql.all<{ total: number | string; done: number | string | null; claimed: number | string | null }>(
    `SELECT COUNT(*) AS "total",
            SUM(CASE WHEN "state" = 'done' THEN 1 ELSE 0 END) AS "done",
            SUM(CASE WHEN "state" = 'claimed' AND "expires_at" > ? THEN 1 ELSE 0 END) AS "claimed"
     FROM "tick_items" WHERE "job" = ? AND "tick" = ?`,
    [date(db, now), job, date(db, tick)],
  );
  const r = rows[0]!;
  return { total: Number(r.total), done: Number(r.done ?? 0), claimed: Number(r.claimed ?? 0) };
}

/** A done item: its key, who did it with which epoch, and what it found. */
export interface DoneTickItem {
  readonly item: string;
  readonly holder: string;
  readonly epoch: number;
  readonly result: string;
}

/** The done items of a tick, in the order they were added. */
export async function doneTickItems(db: Database, job: string, tick: Date): Promise<DoneTickItem[]> {
  const rows = await db.sql.all<DoneTickItem>(
    `SELECT "item", "holder", "epoch", "result" FROM "tick_items" WHERE "job" = ? AND "tick" = ? AND "state" = 'done' ORDER BY "id"`,
    [job, date(db, tick)],
  );
  return rows.map((r) => ({ ...r, epoch: Number(r.epoch) }));
}

function readDate(v: string | Date): Date {
  if (v instanceof Date) return v;
  // PostgreSQL timestamp(3) text is UTC wall time without a zone.
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
