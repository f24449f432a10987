import type { CrmObject, StoredValue } from '../domain/crm-objects.ts';
import type { RejectedInput } from '../store/sync-log.ts';

/** What a reference to another record does when no such record exists. */
export type UnknownRefPolicy =
  /** the row is rejected with the reason */
  | 'reject'
  /** the reference is left empty and the row is kept */
  | 'empty'
  /** a minimal record is created (a customer first seen on an invoice line, say) */
  | 'create';

/** A reference from a record to another record, by external id. */
export interface RefValue {
  readonly object: CrmObject;
  readonly key: string;
  /** another source's key, when the record lives there (the demo generator links to real data) */
  readonly source?: string;
  readonly unknown: UnknownRefPolicy;
  /** fields of the record to create under policy 'create' */
  readonly create?: Record<string, StoredValue>;
}

/** A record read from a source, before its references are resolved to rows. */
export interface PendingRecord {
  /** where it was read: the line of a file, or the position in an API result */
  readonly line: number;
  readonly externalId: string;
  /**
   * A hash of everything the record's values derive from (the source row and its mapping), so
   * that an unchanged row is recognised without comparing values.
   */
  readonly contentHash: number;
  /** plain fields; the runner fills in resolved references in place */
  readonly values: Record<string, StoredValue>;
  /** reference fields; null when the source gave none */
  readonly refs: Record<string, RefValue | null>;
}

/** A batch of what a connector read: records to store and rows it already rejected. */
export interface ReadBatch {
  readonly records: readonly PendingRecord[];
  readonly rejects: readonly RejectedInput[];
  /** external ids of records the source has archived or deleted: removed from the store */
  readonly removed?: readonly string[];
}

/** One thing a source syncs on its own: an object of a CRM, or one file of an export. */
export interface SyncUnit {
  readonly object: CrmObject;
  /** the file name or API object, shown in status and stored with rejected rows */
  readonly label: string;
}

/** Progress of a read, for progress bars. */
export type ProgressListener = (done: number, total: number) => void;

/** The result of reading a unit: batches to store, then the cursor to save once all are committed. */
export interface UnitRead {
  readonly batches: AsyncIterable<ReadBatch>;
  /** available after the batches are exhausted */
  cursor(): string | undefined;
  /** data-quality notes gathered while reading (values normalised, say) */
  notes(): string[];
  /**
   * How the unit's rejected rows are kept. `file` (the default): every run reads the whole unit,
   * so a successful run replaces its rejects. `record`: a run reads only what changed since the
   * cursor, so a record's reject stays until that record is read again and stored, or removed.
   */
  readonly rejectsBy?: 'file' | 'record';
}

/**
 * A CRM source. Each CRM is one file under `connectors/`; all pass one contract suite.
 * Connectors read and map only: resolving references and writing belong to the sync runner.
 */
export interface Connector {
  readonly kind: string;
  units(): readonly SyncUnit[];
  read(unit: SyncUnit, cursor: string | undefined, onProgress?: ProgressListener): Promise<UnitRead>;
}
