import { CRM_OBJECTS, type CrmObject, type StoredValue } from '../domain/crm-objects.ts';
import type { Database } from './open-database.ts';
import { dbValue } from './record-writer.ts';

/** A record to create when a reference names one that does not exist yet. */
export interface NewRef {
  readonly externalId: string;
  readonly fields: Record<string, StoredValue>;
}

/** Finds row ids of referenced records by source and external id, caching what it found. */
export interface RefResolver {
  /** The id if it is cached; no database round trip. */
  cached(object: CrmObject, sourceId: number, externalId: string): number | undefined;
  /** Looks up many keys in a few queries and caches the ones found. */
  load(object: CrmObject, sourceId: number, externalIds: readonly string[]): Promise<void>;
  /** Creates minimal records (name defaults to the external id) and caches their ids. */
  create(object: CrmObject, sourceId: number, records: readonly NewRef[]): Promise<void>;
  /** Drops cached ids of records that were removed. */
  forget(object: CrmObject, sourceId: number, externalIds: readonly string[]): void;
}

/** Keys per look-up query; well inside SQLite's and PostgreSQL's parameter limits. */
const KEYS_PER_QUERY = 500;

/**
 * Creates a resolver over `db`. Only distinct keys reach the database, so a file with 5M lines
 * and 1M customers costs 1M keys looked up in batches, never a table loaded into memory.
 * @example await resolver.load('owners', 1, ['Moses Frase']); resolver.cached('owners', 1, 'Moses Frase')
 */
export function createRefResolver(db: Database): RefResolver {
  const cache = new Map<string, number>();
  const k = (object: string, sourceId: number, externalId: string) => `${object}\u0000${sourceId}\u0000${externalId}`;
  return {
    cached: (object, sourceId, externalId) => cache.get(k(object, sourceId, externalId)),
    forget(object, sourceId, externalIds) {
      for (const id of externalIds) cache.delete(k(object, sourceId, id));
    },
    async load(object, sourceId, externalIds) {
      for (let i = 0; i < externalIds.length; i += KEYS_PER_QUERY) {
        const keys = externalIds.slice(i, i + KEYS_PER_QUERY);
        const rows = await db.sql.all<{ id: number; external_id: string }>(
          `SELECT "id", "external_id" FROM "${object}" WHERE "source_id" = ? AND "external_id" IN (${keys.map(() => '?').join(', ')})`,
          [sourceId, ...keys],
        );
        for (const row of rows) cache.set(k(object, sourceId, row.external_id), Number(row.id));
      }
    },
    async create(object, sourceId, records) {
      if (records.length === 0) return;
      await db.sql.transaction(async (tx) => {
        for (const r of records) {
          const values: Record<string, StoredValue> = { ...r.fields };
          if (CRM_OBJECTS[object].name?.required && values.name == null) values.name = r.externalId;
          const names = Object.keys(values);
          // row_hash 'created' never equals a real hash, so the record's own import later fills it in.
          const cols = ['source_id', 'external_id', 'row_hash', ...names].map((n) => `"${n}"`).join(', ');
          const params = [sourceId, r.externalId, 'created', ...names.map((n) => dbValue(db.dialect, values[n] ?? null))];
          const rows = await tx.all<{ id: number }>(
            `INSERT INTO "${object}" (${cols}) VALUES (${params.map(() => '?').join(', ')})
             ON CONFLICT ("source_id", "external_id") DO UPDATE SET "external_id" = excluded."external_id" RETURNING "id"`,
            params as never,
          );
          cache.set(k(object, sourceId, r.externalId), Number(rows[0]!.id));
        }
      });
    },
  };
}
