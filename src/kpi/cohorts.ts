// Monthly acquisition cohorts and their retention, counted in the database: SQL groups the
// customers by (cohort month, activity month); only that small grid comes back here.
import type { Database } from '../store/open-database.ts';
import type { SqlParam } from '../store/sql-client.ts';
import { purchaseFilter } from './rfm.ts';

/** Which cohorts to build. */
export interface CohortOptions {
  readonly sourceKey?: string;
  /** the first cohort month shown: cohorts starting before the month of `from` are left out */
  readonly from?: Date;
  /** the end of observation: purchases at or after `to` are ignored, as if the data stopped there */
  readonly to?: Date;
}

/** One cohort: its customers, and how many of them bought in each month from the first. */
export interface CohortRow {
  /** the UTC calendar month of the customers' first purchase, e.g. 2010-12 */
  readonly cohort: string;
  /** customers whose first purchase fell in that month */
  readonly size: number;
  /** counts[k]: cohort customers who bought in month cohort + k; counts[0] = size */
  readonly counts: readonly number[];
  /** percents[k] = 100 × counts[k] / size */
  readonly percents: readonly number[];
}

/** The retention triangle: one row per cohort, oldest first, each running to the last month with purchases. */
export interface CohortMatrix {
  readonly cohorts: readonly CohortRow[];
  /**
   * the last month when the observation ends inside it (the data, or `to`): its counts are to
   * date, through `through` (YYYY-MM-DD, UTC), and must not be read as a collapse
   */
  readonly partial?: { readonly month: string; readonly through: string };
}

/**
 * Monthly cohort retention. A customer's cohort is the UTC calendar month of their first
 * purchase ever (before `to`), with purchases as RFM counts them (purchaseFilter in rfm.ts); UTC
 * months match London's for shop hours, the data's home zone.
 * @example const { cohorts } = await cohortRetention(db, { sourceKey: 'online-retail' });
 */
export async function cohortRetention(db: Database, options: CohortOptions = {}): Promise<CohortMatrix> {
  const purchases = await purchaseFilter(db, { sourceKey: options.sourceKey, before: options.to });
  // ordered_at is ISO text in UTC on SQLite and a UTC timestamp(3) on PostgreSQL.
  const month = db.dialect === 'sqlite' ? `strftime('%Y-%m', ol."ordered_at")` : `to_char(ol."ordered_at", 'YYYY-MM')`;
  const params = [...purchases.params];
  let fromCondition = '';
  if (options.from) {
    fromCondition = 'WHERE f.cohort >= ?';
    params.push(options.from.toISOString().slice(0, 7));
  }
  const rows = await db.sql.all<{ cohort: string; month: string; customers: number | string }>(
    `WITH active AS (
       SELECT DISTINCT ol."customer_id" AS customer, ${month} AS month
       FROM "order_lines" ol WHERE ${purchases.where}
     ), firsts AS (
       SELECT customer, min(month) AS cohort FROM active GROUP BY customer
     )
     SELECT f.cohort AS cohort, a.month AS month, count(DISTINCT a.customer) AS customers
     FROM active a JOIN firsts f ON f.customer = a.customer
     ${fromCondition}
     GROUP BY f.cohort, a.month
     ORDER BY f.cohort, a.month`,
    params,
  );
  if (rows.length === 0) return { cohorts: [] };
  const partial = await partialMonth(db, purchases, options.to);
  const last = Math.max(...rows.map((r) => monthIndex(r.month)));
  const byCohort = new Map<string, number[]>();
  for (const row of rows) {
    const start = monthIndex(row.cohort);
    let counts = byCohort.get(row.cohort);
    if (!counts) byCohort.set(row.cohort, (counts = new Array<number>(last - start + 1).fill(0)));
    counts[monthIndex(row.month) - start] = Number(row.customers);
  }
  const cohorts = [...byCohort].map(([cohort, counts]) => {
    const size = counts[0]!;
    return { cohort, size, counts, percents: counts.map((n) => (100 * n) / size) };
  });
  return { cohorts, ...(partial ? { partial } : {}) };
}

/** The month the observation ends in, when it ends before that month does: the day after the last purchase, or `to`. */
async function partialMonth(db: Database, purchases: { where: string; params: SqlParam[] }, to: Date | undefined): Promise<CohortMatrix['partial']> {
  const [row] = await db.sql.all<{ t: string | Date | null }>(
    `SELECT max(ol."ordered_at") AS t FROM "order_lines" ol WHERE ${purchases.where}`,
    purchases.params,
  );
  if (row?.t == null) return undefined;
  const last = row.t instanceof Date ? row.t : new Date(row.t);
  const dayAfterLast = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1);
  const end = new Date(Math.min(dayAfterLast, to?.getTime() ?? Infinity));
  const final = new Date(end.getTime() - 1);
  if (end.getTime() === Date.UTC(final.getUTCFullYear(), final.getUTCMonth() + 1, 1)) return undefined;
  return { month: final.toISOString().slice(0, 7), through: final.toISOString().slice(0, 10) };
}

/** Months since year 0 of a 'YYYY-MM' label, so that offsets are a subtraction. */
function monthIndex(label: string): number {
  return Number(label.slice(0, 4)) * 12 + Number(label.slice(5, 7)) - 1;
}
