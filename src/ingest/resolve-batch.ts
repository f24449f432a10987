import type { CrmObject } from '../domain/crm-objects.ts';
import { hash53Numbers } from '../lib/hash53.ts';
import type { Database } from '../store/open-database.ts';
import type { ResolvedRecord } from '../store/record-writer.ts';
import type { NewRef, RefResolver } from '../store/ref-resolver.ts';
import type { RejectedInput } from '../store/sync-log.ts';
import type { PendingRecord, RefValue } from './connector.ts';

/** A batch after reference resolution: records to write and rows rejected for their references. */
export interface ResolvedBatch {
  readonly records: ResolvedRecord[];
  readonly rejects: RejectedInput[];
}

/**
 * Resolves the references of a batch of records to row ids with a few batched look-ups, creates
 * referenced records where the mapping says so, and rejects rows whose references match nothing.
 * Counts empty and unknown references into `notes`. `beforeCreate` is awaited before records are
 * created: the runner waits there for the batch write in flight, whose transaction holds the lock
 * a create needs (waiting on the promise, not in SQLite's busy handler, which sleeps in steps of
 * up to 100 ms and blocks the thread).
 */
export async function resolveBatch(
  db: Database,
  resolver: RefResolver,
  sourceId: number,
  records: readonly PendingRecord[],
  notes: Map<string, number>,
  beforeCreate?: () => Promise<void>,
): Promise<ResolvedBatch> {
  // 0. The ids of the other sources the references name, so that each row needs no await.
  const others = new Map<string, number | undefined>();
  for (const record of records) {
    for (const field in record.refs) {
      const other = record.refs[field]?.source;
      if (other !== undefined && !others.has(other)) others.set(other, await sourceIdOf(db, other));
    }
  }
  const target = (ref: RefValue) => (ref.source === undefined ? sourceId : others.get(ref.source));
  // 1. Collect keys not yet cached, per referenced object and source, with what to create.
  const wanted = new Map<string, { object: CrmObject; sourceId: number; keys: Set<string>; create: Map<string, NewRef> }>();
  for (const record of records) {
    for (const field in record.refs) {
      const ref = record.refs[field]!;
      if (ref === null) continue;
      const sid = target(ref);
      if (sid === undefined || resolver.cached(ref.object, sid, ref.key) !== undefined) continue;
      const group = `${ref.object}\u0000${sid}`;
      let w = wanted.get(group);
      if (!w) wanted.set(group, (w = { object: ref.object, sourceId: sid, keys: new Set(), create: new Map() }));
      w.keys.add(ref.key);
      if (ref.unknown === 'create' && !w.create.has(ref.key)) w.create.set(ref.key, { externalId: ref.key, fields: ref.create ?? {} });
    }
  }
  // 2. Look them up in batches; create the missing ones the mapping allows.
  for (const w of wanted.values()) {
    await resolver.load(w.object, w.sourceId, [...w.keys]);
    const missing = [...w.create.values()].filter((n) => resolver.cached(w.object, w.sourceId, n.externalId) === undefined);
    if (missing.length && beforeCreate) await beforeCreate();
    await resolver.create(w.object, w.sourceId, missing);
  }
  // 3. Fill in ids, reject what cannot be resolved.
  const out: ResolvedBatch = { records: [], rejects: [] };
  for (const record of records) {
    const reason = fill(record, target, resolver, notes);
    if (reason) out.rejects.push({ line: record.line, kind: 'reference', reason, raw: JSON.stringify(record.values), externalId: record.externalId });
    else out.records.push({ externalId: record.externalId, rowHash: rowHash(record), values: record.values });
  }
  return out;
}

function fill(record: PendingRecord, target: (ref: RefValue) => number | undefined, resolver: RefResolver, notes: Map<string, number>): string | undefined {
  for (const field in record.refs) {
    const ref = record.refs[field]!;
    if (ref === null) {
      record.values[field] = null;
      bump(notes, `${field}: rows without one (kept, left empty)`);
      continue;
    }
    const sid = target(ref);
    if (sid === undefined) return `${field} refers to source '${ref.source}', which has not been imported`;
    const id = resolver.cached(ref.object, sid, ref.key);
    if (id === undefined && ref.unknown !== 'empty') {
      return `${field} '${ref.key}' matches no ${ref.object} record; import it first or set unknown: empty`;
    }
    if (id === undefined) bump(notes, `${field}: rows naming an unknown ${ref.object} record (kept, left empty)`);
    record.values[field] = id ?? null;
  }
  return undefined;
}

/** The stored row hash: the source content, plus the ids its references resolved to. */
function rowHash(record: PendingRecord): string {
  const ids: (number | null)[] = [];
  for (const field in record.refs) ids.push(record.values[field] as number | null);
  return (ids.length ? hash53Numbers(ids, record.contentHash % 2 ** 32) : record.contentHash).toString(36);
}

const sourceIds = new WeakMap<Database, Map<string, number | undefined>>();

async function sourceIdOf(db: Database, key: string): Promise<number | undefined> {
  let ids = sourceIds.get(db);
  if (!ids) sourceIds.set(db, (ids = new Map()));
  if (!ids.has(key)) ids.set(key, (await db.prisma.source.findUnique({ where: { key } }))?.id);
  return ids.get(key);
}

function bump(notes: Map<string, number>, key: string): void {
  notes.set(key, (notes.get(key) ?? 0) + 1);
}
