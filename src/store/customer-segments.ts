import type { Database } from './open-database.ts';
import { dbValue } from './record-writer.ts';

/** A customer's segment and value tier at a reference date. */
export interface SegmentAssignment {
  readonly customerId: number;
  readonly segment: string;
  readonly tier: string;
}

/** Rows per INSERT statement: 4 parameters each, well inside both engines' limits. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Replaces the stored customer segments with those at `asOf`, in one transaction, so that KPI
 * breakdowns by segment are a join. Readers see either the old or the new snapshot.
 * @example await saveCustomerSegments(db, await rfmAssignments(db, { asOf }), asOf)
 */
export async function saveCustomerSegments(db: Database, rows: readonly SegmentAssignment[], asOf: Date): Promise<void> {
  const at = dbValue(db.dialect, asOf);
  await db.sql.transaction(async (tx) => {
    await tx.run('DELETE FROM "customer_segments"');
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const cast = db.dialect === 'postgres' ? '::timestamp' : '';
      await tx.run(
        `INSERT INTO "customer_segments" ("customer_id", "segment", "tier", "as_of") VALUES ${chunk.map(() => `(?, ?, ?, ?${cast})`).join(', ')}`,
        chunk.flatMap((r) => [r.customerId, r.segment, r.tier, at]),
      );
    }
  });
}
