import { CRM_OBJECT_NAMES, type CrmObject } from '../domain/crm-objects.ts';
import type { Database } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

/** What removing a source deleted. */
export interface RemovedSource {
  readonly key: string;
  readonly name: string;
  /** records deleted per canonical object */
  readonly records: Partial<Record<CrmObject, number>>;
  readonly rejectedRows: number;
  readonly runs: number;
}

/**
 * Deletes one source and everything it stored: records, sync runs and cursors, rejected rows.
 * Records of other sources that pointed at its records keep their rows with the link cleared
 * (the schema's ON DELETE SET NULL). Returns undefined when no source has that key.
 * @example await removeSource(db, 'maven-crm') // { records: { deals: 8800, … }, … }
 */
export async function removeSource(db: Database, key: string): Promise<RemovedSource | undefined> {
  return writeTransaction(
    db,
    async (tx) => {
      const source = await tx.source.findUnique({ where: { key } });
      if (!source) return undefined;
      const records: Partial<Record<CrmObject, number>> = {};
      for (const object of CRM_OBJECT_NAMES) {
        const rows = await tx.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM "${object}" WHERE "source_id" = ${source.id}`);
        const n = Number(rows[0]?.n ?? 0);
        if (n > 0) records[object] = n;
      }
      const rejectedRows = await tx.rejectedRow.count({ where: { sourceId: source.id } });
      const runs = await tx.syncRun.count({ where: { sourceId: source.id } });
      // One statement: the foreign keys cascade to every table that belongs to the source.
      await tx.source.delete({ where: { id: source.id } });
      return { key, name: source.name, records, rejectedRows, runs };
    },
    { timeout: 600_000 },
  );
}
