import type { CrmObject } from './crm-objects.ts';

/** The latest run of one unit (file or API object) of a source. */
export interface UnitStatus {
  readonly object: string;
  readonly file: string | null;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly read: number;
  readonly written: number;
  readonly rejected: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** read = written + rejected */
  readonly accounted: boolean;
  readonly error: string | null;
  readonly notes: string[];
}

/** Rejected rows of a source, grouped, with a few examples to show people. */
export interface RejectSummary {
  readonly total: number;
  readonly byKind: Record<string, number>;
  readonly examples: { file: string; line: number; kind: string; reason: string; raw: string }[];
}

/** Everything `status` shows about one source. */
export interface SourceStatus {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  /** rows stored per canonical object */
  readonly records: Partial<Record<CrmObject, number>>;
  /** latest run per unit */
  readonly units: UnitStatus[];
  /** totals over the latest runs */
  readonly lines: { read: number; written: number; rejected: number; accounted: boolean };
  readonly lastSyncAt: string | null;
  readonly rejects: RejectSummary;
  /** facts a person checks first: deals by status, guest orders, cancellations */
  readonly facts: Record<string, number>;
}

/** Records stored by a source the config no longer names: every KPI still counts them. */
export interface LeftoverSource {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  readonly records: Partial<Record<CrmObject, number>>;
}

/** The status of the whole store. */
export interface StatusReport {
  readonly database: string;
  /** the configured sources, in the config's order (one never synced has no units), else every stored source */
  readonly sources: SourceStatus[];
  /** stored sources the config does not name */
  readonly leftover: LeftoverSource[];
  readonly totals: Partial<Record<CrmObject, number>>;
}
