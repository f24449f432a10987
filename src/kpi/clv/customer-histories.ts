// Each customer's repeat-buying summary from the order lines, aggregated in the database: the
// lifetimes convention (summary_data_from_transaction_data with freq='D') on the purchases the
// RFM analysis counts (rfm.ts purchaseFilter).
import type { Database } from '../../store/open-database.ts';
import { purchaseFilter } from '../rfm.ts';
import type { PurchaseHistory } from './purchase-history.ts';

/** The time unit of the histories: a week, as in the CDNOW analyses. */
export const WEEK_DAYS = 7;

/** A customer's history with who they are and what they have spent. */
export interface CustomerHistory extends PurchaseHistory {
  /** the customers table's row id */
  readonly id: number;
  /** the CRM's customer id (CustomerID in Online Retail) */
  readonly customer: string;
  /** everything bought before the reference date, the RFM monetary value */
  readonly pastValue: number;
  /** the mean value of a repeat purchase day (0 without repeat purchases) */
  readonly monetary: number;
}

interface Row {
  id: number;
  customer: string;
  first: string;
  last: string;
  days: number | string;
  micros: number | string;
  first_micros: number | string;
}

const DAY_MS = 86_400_000;

/**
 * Frequency (purchase days after the first), recency and age in weeks at `asOf`, the mean value
 * of the repeat purchase days, and the total spent, per customer who bought before `asOf`.
 * Purchase days are UTC calendar days; several invoices on one day are one purchase occasion.
 * @example const histories = await customerHistories(db, { asOf: new Date('2011-12-10T00:00:00Z') });
 */
export async function customerHistories(db: Database, options: { readonly asOf: Date; readonly sourceKey?: string }): Promise<CustomerHistory[]> {
  const purchases = await purchaseFilter(db, { sourceKey: options.sourceKey, before: options.asOf });
  // ordered_at is ISO text in UTC on SQLite and a UTC timestamp on PostgreSQL.
  const day = db.dialect === 'sqlite' ? `strftime('%Y-%m-%d', ol."ordered_at")` : `to_char(ol."ordered_at", 'YYYY-MM-DD')`;
  // Whole micro-units, as in rfm.ts, so the sums are exact and the same on both engines.
  const rows = await db.sql.all<Row>(
    `WITH days AS (
       SELECT ol."customer_id" AS cid, ${day} AS day, sum(round(ol."amount" * 1000000)) AS micros
       FROM "order_lines" ol WHERE ${purchases.where} GROUP BY ol."customer_id", ${day}
     ), firsts AS (SELECT cid, min(day) AS first FROM days GROUP BY cid)
     SELECT c."id" AS id, c."external_id" AS customer, f.first AS first, max(d.day) AS last, count(*) AS days,
       sum(d.micros) AS micros, sum(CASE WHEN d.day = f.first THEN d.micros ELSE 0 END) AS first_micros
     FROM days d JOIN firsts f ON f.cid = d.cid JOIN "customers" c ON c."id" = d.cid
     GROUP BY c."id", c."external_id", f.first
     ORDER BY c."id"`,
    purchases.params,
  );
  const week = WEEK_DAYS * DAY_MS;
  return rows.map((row) => {
    const first = Date.parse(`${row.first}T00:00:00Z`);
    const frequency = Number(row.days) - 1;
    const repeatMicros = Number(row.micros) - Number(row.first_micros);
    return {
      id: Number(row.id),
      customer: String(row.customer),
      frequency,
      recency: (Date.parse(`${row.last}T00:00:00Z`) - first) / week,
      T: (options.asOf.getTime() - first) / week,
      pastValue: Number(row.micros) / 1e6,
      monetary: frequency > 0 ? repeatMicros / frequency / 1e6 : 0,
    };
  });
}
