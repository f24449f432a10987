import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Database } from '../store/open-database.ts';
import { createRecordWriter } from '../store/record-writer.ts';
import { createRefResolver, type RefResolver } from '../store/ref-resolver.ts';
import {
  clearRecordRejects,
  clearStaleRejects,
  ensureSource,
  finishRun,
  getCursor,
  saveRejects,
  setCursor,
  startRun,
  type RejectedInput,
  type RunCounts,
  type SyncStatus,
} from '../store/sync-log.ts';
import type { Connector, ProgressListener, SyncUnit } from './connector.ts';
import { resolveBatch } from './resolve-batch.ts';
import { failpoint } from '../lib/failpoint.ts';

/** Rejected rows saved per transaction. */
const REJECTS_PER_SAVE = 5000;

/** What the runner needs; passed in so tests and the CLI choose. */
export interface SyncDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly log: Logger;
  /** returns a progress listener for a unit, e.g. a terminal progress bar */
  readonly progress?: (source: string, unit: SyncUnit) => ProgressListener | undefined;
  /** counts each finished unit, e.g. for /metrics */
  readonly metrics?: SyncMetrics;
}

/** Where the runner reports each finished unit (lib/metrics.ts implements it for /metrics). */
export interface SyncMetrics {
  /** a unit finished with `status`, having written `rows` rows and rejected `rejected` */
  syncUnitFinished(source: string, status: SyncStatus, rows: number, rejected: number): void;
}

/** A source to sync, as the config names it. */
export interface SourceRef {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
}

/** How the sync of one unit ended. */
export interface UnitResult {
  readonly source: string;
  readonly object: string;
  readonly label: string;
  readonly runId: number;
  readonly status: SyncStatus;
  readonly counts: RunCounts;
  readonly notes: string[];
  readonly error?: string;
}

/**
 * Syncs every unit of a source: reads through the connector, resolves references, upserts in
 * batches, keeps rejected rows with their reasons, logs a run per unit and moves the cursor only
 * after all of the unit's rows are committed. A failing unit is recorded and the next one runs.
 * @example await syncSource({ db, clock, log }, { key: 'maven-crm', kind: 'csv', name: 'Maven' }, connector)
 */
export async function syncSource(deps: SyncDeps, source: SourceRef, connector: Connector): Promise<UnitResult[]> {
  const { db } = deps;
  const sourceId = await ensureSource(db, source);
  const resolver = createRefResolver(db);
  const results: UnitResult[] = [];
  for (const unit of connector.units()) {
    results.push(await syncUnit(deps, { ...source, id: sourceId }, connector, unit, resolver));
    const r = results.at(-1)!;
    deps.metrics?.syncUnitFinished(source.key, r.status, r.counts.written, r.counts.rejected);
    deps.log.info({ source: source.key, unit: r.label, status: r.status, ...r.counts, error: r.error }, 'sync unit finished');
  }
  return results;
}

async function syncUnit(deps: SyncDeps, source: SourceRef & { id: number }, connector: Connector, unit: SyncUnit, resolver: RefResolver): Promise<UnitResult> {
  const { db, clock } = deps;
  const runId = await startRun(db, { sourceId: source.id, object: unit.object, file: unit.label, startedAt: clock.now() });
  const counts: RunCounts = { read: 0, written: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0 };
  const writer = createRecordWriter(db, unit.object, source.id);
  const refNotes = new Map<string, number>();
  const at = { sourceId: source.id, runId, object: unit.object, file: unit.label };
  let changed = 0;
  let before = 0;
  let notes: string[] = [];
  let removed = 0;
  let writing: { promise: Promise<number>; rows: number; ids: string[] } | undefined;
  const pendingRejects: RejectedInput[] = [];
  let byRecord = false;
  try {
    before = await writer.count();
    const cursor = await getCursor(db, source.id, unit.label);
    const read = await connector.read(unit, cursor, deps.progress?.(source.key, unit));
    byRecord = read.rejectsBy === 'record';
    // One batch is written while the next is read, mapped and resolved; a batch counts as
    // written once its transaction has committed.
    const settle = async () => {
      if (!writing) return;
      changed += await writing.promise;
      counts.written += writing.rows;
      const stored = writing.ids;
      writing = undefined;
      if (stored.length) await clearRecordRejects(db, at, stored);
    };
    for await (const batch of read.batches) {
      counts.read += batch.records.length + batch.rejects.length;
      const { records: resolved, rejects: refRejects } = await resolveBatch(db, resolver, source.id, batch.records, refNotes, settle);
      const rejects = [...batch.rejects, ...refRejects];
      await settle();
      failpoint('sync:batch-committed');
      writing = { promise: writer.write(resolved), rows: resolved.length, ids: byRecord ? resolved.map((r) => r.externalId) : [] };
      if (batch.removed?.length) {
        // Removed after the batch's own writes, so that a record archived since it was read goes.
        await settle();
        removed += await writer.remove(batch.removed);
        resolver.forget(unit.object, source.id, batch.removed);
        if (byRecord) await clearRecordRejects(db, at, batch.removed);
      }
      // Rejects are saved in chunks: each save waits for the write lock the batch write holds.
      pendingRejects.push(...rejects);
      if (pendingRejects.length >= REJECTS_PER_SAVE) await saveRejects(db, { ...at, byRecord, now: clock.now() }, pendingRejects.splice(0));
      counts.rejected += rejects.length;
    }
    await settle();
    await saveRejects(db, { ...at, byRecord, now: clock.now() }, pendingRejects.splice(0));
    const after = await writer.count();
    Object.assign(counts, splitWritten(counts.written, changed, after - before + removed));
    notes = [
      ...read.notes(),
      ...[...refNotes].map(([what, n]) => what.replace('rows', `${n.toLocaleString('en-US')} rows`)),
      ...(removed ? [`${removed.toLocaleString('en-US')} records archived or deleted in the source were removed`] : []),
    ];
    await finishRun(db, runId, { status: 'succeeded', endedAt: clock.now(), counts, notes });
    await clearStaleRejects(db, at);
    const next = read.cursor();
    failpoint('sync:before-cursor');
    if (next !== undefined) await setCursor(db, source.id, unit.label, next, clock.now());
    return { source: source.key, object: unit.object, label: unit.label, runId, status: 'succeeded', counts, notes };
  } catch (error) {
    const message = (error as Error).message;
    // A write still in flight either commits (its rows count) or fails with the unit.
    const last = writing as { promise: Promise<number>; rows: number } | undefined;
    if (last) await last.promise.then((n) => ((changed += n), (counts.written += last.rows))).catch(() => undefined);
    // What was rejected before the failure is kept, so that nothing read is lost from view.
    await saveRejects(db, { ...at, byRecord, now: clock.now() }, pendingRejects).catch(() => undefined);
    const after = await writer.count().catch(() => before);
    Object.assign(counts, splitWritten(counts.written, changed, after - before + removed));
    await finishRun(db, runId, { status: 'failed', endedAt: clock.now(), counts, error: message, notes }).catch(() => undefined);
    return { source: source.key, object: unit.object, label: unit.label, runId, status: 'failed', counts, notes, error: message };
  } finally {
    await writer.close();
  }
}

function splitWritten(written: number, changed: number, inserted: number): Pick<RunCounts, 'inserted' | 'updated' | 'unchanged'> {
  return { inserted, updated: changed - inserted, unchanged: written - changed };
}
