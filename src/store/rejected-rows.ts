import type { Database } from './open-database.ts';

/** One rejected input row, as kept: where it was, why, and its raw text. */
export interface RejectedRowRecord {
  readonly object: string;
  readonly file: string;
  /** the line in the file; 0 for an API record (its id is in `file`) */
  readonly line: number;
  readonly kind: string;
  readonly reason: string;
  readonly raw: string;
}

/**
 * Every rejected row of a source, by file and line; `kind` keeps one kind only. Undefined when
 * no source has that key.
 * @example await rejectedRows(db, 'maven-crm') // [{ file: 'sales_pipeline.csv', line: 12, kind: 'invalid', … }]
 */
export async function rejectedRows(db: Database, sourceKey: string, options: { kind?: string } = {}): Promise<RejectedRowRecord[] | undefined> {
  const source = await db.prisma.source.findUnique({ where: { key: sourceKey } });
  if (!source) return undefined;
  const rows = await db.sql.all<RejectedRowRecord>(
    `SELECT "object", "file", "line", "kind", "reason", "raw" FROM "rejected_rows"
     WHERE "source_id" = ?${options.kind ? ' AND "kind" = ?' : ''} ORDER BY "file", "line", "id"`,
    options.kind ? [source.id, options.kind] : [source.id],
  );
  return rows.map((r) => ({ ...r, line: Number(r.line) }));
}
