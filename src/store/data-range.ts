import type { Database } from './open-database.ts';

/** The time column that dates each kind of record, for "how recent is the data". */
const TIME_COLUMNS: readonly [table: string, column: string][] = [
  ['deals', 'closed_at'],
  ['deals', 'engaged_at'],
  ['order_lines', 'ordered_at'],
  ['tickets', 'opened_at'],
  ['survey_answers', 'answered_at'],
  ['marketing_spend', 'day'],
];

/**
 * The latest record time in the store, or undefined for an empty store. Local mode sets its
 * clock here, so that "this week" means the last week of the demo data.
 */
export async function latestRecordTime(db: Database): Promise<Date | undefined> {
  let latest: Date | undefined;
  for (const [table, column] of TIME_COLUMNS) {
    const rows = await db.sql.all<{ t: string | Date | null }>(`SELECT max("${column}") AS t FROM "${table}"`);
    const t = rows[0]?.t;
    if (t == null) continue;
    const d = t instanceof Date ? t : new Date(t);
    if (!latest || d > latest) latest = d;
  }
  return latest;
}

/** Whether any source has been synced into this database yet. */
export async function hasAnySource(db: Database): Promise<boolean> {
  return (await db.prisma.source.count()) > 0;
}
