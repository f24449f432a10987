import type { Database } from './open-database.ts';
import type { SqlParam } from './sql-client.ts';
import { sqliteDate } from './record-writer.ts';

/** Outcome of one sync run. */
export type SyncStatus =
  /** still going */
  | 'running'
  /** its process stopped (killed, crashed) before it finished: found when the next run of the same unit started */
  | 'abandoned'
  /** every row was read and is stored or rejected */
  | 'succeeded'
  /** the run stopped early; rows committed before the failure stay, the cursor did not move */
  | 'failed';

/** Row counts of a run. read = written + rejected; written = inserted + updated + unchanged. */
export interface RunCounts {
  read: number;
  written: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Why a row was rejected, in a word people can group by. */
export type RejectKind =
  /** an exact copy of an earlier row, or a key already used */
  | 'duplicate'
  /** a value of the wrong type or outside its range */
  | 'invalid'
  /** a required value is empty */
  | 'missing'
  /** a reference to a record that does not exist */
  | 'reference'
  /** the row could not be parsed or decoded */
  | 'unreadable'
  /** the row has the wrong number of fields */
  | 'shape';

/** An input row that was not stored, and why. */
export interface RejectedInput {
  readonly line: number;
  readonly kind: RejectKind;
  readonly reason: string;
  readonly raw: string;
  /** the record's id in the source, when known: an API record's reject is kept under it */
  readonly externalId?: string;
}

/** Creates the source if it is new and returns its id; name and kind follow the config. */
export async function ensureSource(db: Database, source: { key: string; kind: string; name: string }): Promise<number> {
  const row = await db.prisma.source.upsert({
    where: { key: source.key },
    create: source,
    update: { kind: source.kind, name: source.name },
  });
  return row.id;
}

/**
 * Records the start of a run and returns its id. Earlier runs of the same unit (source, object,
 * file) still marked running were left by a process that stopped before finishing them (a unit's
 * syncs never overlap: one job lease per source): they are marked abandoned, so status stops
 * showing them as running.
 */
export async function startRun(db: Database, run: { sourceId: number; object: string; file?: string; startedAt: Date }): Promise<number> {
  await db.prisma.syncRun.updateMany({
    where: { sourceId: run.sourceId, object: run.object, file: run.file ?? null, status: 'running' },
    data: {
      status: 'abandoned',
      endedAt: run.startedAt,
      error: '[ingest] abandoned: the process running it stopped before it finished; a later run started over from the saved cursor',
    },
  });
  const row = await db.prisma.syncRun.create({
    data: { sourceId: run.sourceId, object: run.object, file: run.file ?? null, startedAt: run.startedAt, status: 'running' },
  });
  return row.id;
}

/** Records how a run ended. */
export async function finishRun(
  db: Database,
  runId: number,
  end: { status: SyncStatus; endedAt: Date; counts: RunCounts; error?: string; notes?: readonly string[] },
): Promise<void> {
  const c = end.counts;
  await db.prisma.syncRun.update({
    where: { id: runId },
    data: {
      status: end.status,
      endedAt: end.endedAt,
      rowsRead: c.read,
      rowsWritten: c.written,
      rowsRejected: c.rejected,
      rowsInserted: c.inserted,
      rowsUpdated: c.updated,
      rowsUnchanged: c.unchanged,
      error: end.error ?? null,
      notes: end.notes && end.notes.length > 0 ? JSON.stringify(end.notes) : null,
    },
  });
}

/**
 * Stores rejected rows, keyed by source, object, file and line, so that re-importing a file
 * replaces their reasons instead of piling up copies. With `byRecord`, a reject that names its
 * record is kept under `<file>/<external id>` and line 0 instead: an API record has no stable line,
 * and its reject must outlive runs that do not read it again.
 */
export async function saveRejects(
  db: Database,
  at: { sourceId: number; runId: number; object: string; file: string; now: Date; byRecord?: boolean },
  rejects: readonly RejectedInput[],
): Promise<void> {
  if (rejects.length === 0) return;
  const created = db.dialect === 'sqlite' ? sqliteDate(at.now) : at.now.toISOString();
  const sql = `INSERT INTO "rejected_rows" ("source_id", "run_id", "object", "file", "line", "kind", "reason", "raw", "created_at")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT ("source_id", "object", "file", "line") DO UPDATE SET "run_id" = excluded."run_id",
      "kind" = excluded."kind", "reason" = excluded."reason", "raw" = excluded."raw", "created_at" = excluded."created_at"`;
  await db.sql.transaction(async (tx) => {
    for (const r of rejects) {
      const [file, line] = at.byRecord && r.externalId !== undefined ? [recordRejectFile(at.file, r.externalId), 0] : [at.file, r.line];
      const params: SqlParam[] = [at.sourceId, at.runId, at.object, file, line, r.kind, r.reason, r.raw, created];
      await tx.run(sql, params);
    }
  });
}

/** Removes rejects of a file that the latest complete run no longer produced (the file was fixed). */
export async function clearStaleRejects(db: Database, at: { sourceId: number; runId: number; object: string; file: string }): Promise<number> {
  return db.sql.run(`DELETE FROM "rejected_rows" WHERE "source_id" = ? AND "object" = ? AND "file" = ? AND "run_id" <> ?`, [
    at.sourceId,
    at.object,
    at.file,
    at.runId,
  ]);
}

/** Where a record's reject is kept when rejects are kept by record: `deals/1234`. */
export function recordRejectFile(file: string, externalId: string): string {
  return `${file}/${externalId}`;
}

/** Removes earlier runs' rejects of these records, which are now stored or removed. */
export async function clearRecordRejects(
  db: Database,
  at: { sourceId: number; runId: number; object: string; file: string },
  externalIds: readonly string[],
): Promise<number> {
  let n = 0;
  for (let i = 0; i < externalIds.length; i += 500) {
    const files = externalIds.slice(i, i + 500).map((id) => recordRejectFile(at.file, id));
    n += await db.sql.run(
      `DELETE FROM "rejected_rows" WHERE "source_id" = ? AND "object" = ? AND "run_id" <> ? AND "file" IN (${files.map(() => '?').join(', ')})`,
      [at.sourceId, at.object, at.runId, ...files],
    );
  }
  return n;
}

/** The stored sync cursor of a source's object, if any. */
export async function getCursor(db: Database, sourceId: number, object: string): Promise<string | undefined> {
  const row = await db.prisma.syncCursor.findUnique({ where: { sourceId_object: { sourceId, object } } });
  return row?.cursor;
}

/** Moves a sync cursor. Call only after the rows it covers are committed. */
export async function setCursor(db: Database, sourceId: number, object: string, cursor: string, now: Date): Promise<void> {
  await db.prisma.syncCursor.upsert({
    where: { sourceId_object: { sourceId, object } },
    create: { sourceId, object, cursor, updatedAt: now },
    update: { cursor, updatedAt: now },
  });
}
