// RFM segmentation as practitioners compute it on the Online Retail data in pandas:
//   R = qcut(recency, 5, labels=[5,4,3,2,1])
//   F = qcut(frequency.rank(method='first'), 5, labels=[1,2,3,4,5])
//   M = qcut(monetary, 5, labels=[1,2,3,4,5])
// The database aggregates order lines to one row per customer; only those rows come back here,
// for the quantile scoring, which SQL cannot do the same way on both engines.
import { CrmPulseError } from '../lib/errors.ts';
import type { Database } from '../store/open-database.ts';
import { dbValue } from '../store/record-writer.ts';
import type { SqlParam } from '../store/sql-client.ts';

/** One of the ten segments of the standard R×F segment map, best engaged first. */
export type RfmSegmentName =
  /** R 5, F 4–5: bought recently and often */
  | 'Champions'
  /** R 3–4, F 4–5: buy often, a little less recently */
  | 'Loyal Customers'
  /** R 4–5, F 2–3: recent, coming back */
  | 'Potential Loyalists'
  /** R 5, F 1: first purchase was recent */
  | 'New Customers'
  /** R 4, F 1: fairly recent, bought little */
  | 'Promising'
  /** R 3, F 3: middling on both */
  | 'Need Attention'
  /** R 3, F 1–2: fading, bought little */
  | 'About to Sleep'
  /** R 1–2, F 3–4: used to buy often, not lately */
  | 'At Risk'
  /** R 1–2, F 5: the most frequent buyers, gone quiet */
  | "Can't Lose"
  /** R 1–2, F 1–2: long gone, bought little */
  | 'Hibernating';

/**
 * The value tier from the score sum R + F + M (3–15). No "no value" tier: the purchase filter
 * keeps only positive quantities and prices, so every scored customer has monetary > 0.
 */
export type RfmTierName =
  /** score sum 13–15 */
  | 'high'
  /** score sum 9–12 */
  | 'mid'
  /** score sum 5–8 */
  | 'low'
  /** score sum 3–4 (R ≤ 2, F and M at the bottom): gone quiet, bought rarely, spent little */
  | 'no value';

/** What to score: purchases strictly before `asOf`, of one source or all. */
export interface RfmOptions {
  /** the reference date; recency is counted back from it and later orders are ignored */
  readonly asOf: Date;
  readonly sourceKey?: string;
}

/** One customer's RFM figures and scores. */
export interface RfmScore {
  /** the customer's external id (CustomerID in Online Retail) */
  readonly customer: string;
  /** whole days from the last purchase to `asOf`, floored */
  readonly recency: number;
  /** distinct invoices */
  readonly frequency: number;
  /** sum of line amounts */
  readonly monetary: number;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly segment: RfmSegmentName;
  readonly tier: RfmTierName;
}

/** One segment's size and average figures. */
export interface RfmSegment {
  readonly name: RfmSegmentName;
  readonly customers: number;
  /** customers / all scored customers, 0–1 (0 when nobody is scored) */
  readonly share: number;
  /** averages over the segment's customers; 0 for an empty segment */
  readonly avgRecency: number;
  readonly avgFrequency: number;
  readonly avgMonetary: number;
}

/** One value tier's size and total monetary value. */
export interface RfmTier {
  readonly name: RfmTierName;
  readonly customers: number;
  readonly monetary: number;
}

/** The RFM picture at a date: all ten segments, the four tiers, and the quintile edges used. */
export interface RfmResult {
  /** the reference date recency counts from: the as-of date, or the day after the last purchase when the data ends before it */
  readonly asOf: Date;
  /** set when the data ends before the as-of date, so recency counts from the data's end, not the clock */
  readonly atDataEnd?: true;
  readonly customers: number;
  /** all ten segments, in the order of RfmSegmentName (best engaged first), empty ones included */
  readonly segments: readonly RfmSegment[];
  /** high, mid, low, no value */
  readonly tiers: readonly RfmTier[];
  /** the six quintile edges (min … max) of recency and monetary; empty when nobody is scored */
  readonly edges: { readonly recency: readonly number[]; readonly monetary: readonly number[] };
}

/** The segment map, in output order: [name, R range, F range]. */
const SEGMENTS: readonly (readonly [RfmSegmentName, readonly [number, number], readonly [number, number]])[] = [
  ['Champions', [5, 5], [4, 5]],
  ['Loyal Customers', [3, 4], [4, 5]],
  ['Potential Loyalists', [4, 5], [2, 3]],
  ['New Customers', [5, 5], [1, 1]],
  ['Promising', [4, 4], [1, 1]],
  ['Need Attention', [3, 3], [3, 3]],
  ['About to Sleep', [3, 3], [1, 2]],
  ['At Risk', [1, 2], [3, 4]],
  ["Can't Lose", [1, 2], [5, 5]],
  ['Hibernating', [1, 2], [1, 2]],
];

/** Tiers with the lowest score sum each takes, in output order. */
const TIERS: readonly (readonly [RfmTierName, number])[] = [
  ['high', 13],
  ['mid', 9],
  ['low', 5],
  ['no value', 3],
];

/**
 * The quantile fractions pandas' qcut(x, 5) asks for: np.linspace(0, 1, 6), so 0.6 is
 * 0.6000000000000001, then Series.quantile's ×100 ÷100 round trip through np.percentile.
 */
const QUANTILES = [0, 1, 2, 3, 4, 5].map((i) => (i === 5 ? 1 : (i * 0.2 * 100) / 100));

const DAY_MS = 86_400_000;

/**
 * The reference date of purchase analyses at `asOf`: the day after the last purchase when the
 * orders stopped before the (UTC) month of `asOf` began (the demo's 2017 clock over 2011 orders, a
 * source no longer synced), else `asOf` itself: a quiet week is data, a silent month is not.
 * @example await purchaseReference(db, { asOf: new Date('2017-12-31T00:00:00Z') }) // 2011-12-10T00:00:00Z
 */
export async function purchaseReference(db: Database, options: { readonly asOf: Date; readonly sourceKey?: string }): Promise<Date> {
  const purchases = await purchaseFilter(db, { sourceKey: options.sourceKey, before: options.asOf });
  const row = (
    await db.sql.all<{ last: string | Date | null }>(`SELECT max(ol."ordered_at") AS last FROM "order_lines" ol WHERE ${purchases.where}`, purchases.params)
  )[0];
  if (row?.last == null) return options.asOf;
  const last = new Date(row.last);
  const dayAfter = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1);
  const monthStart = Date.UTC(options.asOf.getUTCFullYear(), options.asOf.getUTCMonth(), 1);
  return dayAfter <= monthStart ? new Date(dayAfter) : options.asOf;
}

/**
 * The WHERE condition on `order_lines ol` shared by RFM and cohorts: the lines that count as a
 * purchase. Following the common practice on this data, a purchase line is non-cancelled, has a
 * customer (guest lines are out), and has Quantity > 0 and UnitPrice > 0 (returns, adjustments
 * and free items are out).
 * @example const { where, params } = await purchaseFilter(db, { before: asOf });
 */
export async function purchaseFilter(
  db: Database,
  options: { readonly sourceKey?: string; readonly before?: Date },
): Promise<{ where: string; params: SqlParam[] }> {
  const where = ['NOT ol."cancelled"', 'ol."customer_id" IS NOT NULL', 'ol."quantity" > 0', 'ol."unit_price" > 0'];
  const params: SqlParam[] = [];
  if (options.before) {
    where.push('ol."ordered_at" < ?');
    params.push(dbValue(db.dialect, options.before));
  }
  if (options.sourceKey !== undefined) {
    where.push('ol."source_id" = ?');
    params.push(await sourceId(db, options.sourceKey));
  }
  return { where: where.join(' AND '), params };
}

async function sourceId(db: Database, key: string): Promise<number> {
  const rows = await db.sql.all<{ id: number; key: string }>(`SELECT "id" AS id, "key" AS key FROM "sources" ORDER BY "key"`);
  const found = rows.find((r) => r.key === key);
  if (found) return Number(found.id);
  throw new CrmPulseError('usage', `[kpi] unknown source '${key}'; known: ${rows.map((r) => r.key).join(', ') || '(none synced yet)'}`, {
    hint: 'use a source key from crm-pulse.yaml that has been synced',
  });
}

/**
 * Every customer's RFM figures, scores, segment and tier at `options.asOf`.
 * @example const mine = (await rfmScores(db, { asOf })).find((s) => s.customer === '12347');
 */
export async function rfmScores(db: Database, options: RfmOptions): Promise<RfmScore[]> {
  return (await scoreCustomers(db, options)).scores;
}

/**
 * RFM segment sizes and averages, value tiers and quintile edges at `options.asOf`.
 * @example const { segments } = await rfmSegments(db, { asOf: new Date('2011-12-10T00:00:00Z') });
 */
export async function rfmSegments(db: Database, options: RfmOptions): Promise<RfmResult> {
  const { scores, edges, reference } = await scoreCustomers(db, options);
  const n = scores.length;
  const average = (list: readonly RfmScore[], pick: (s: RfmScore) => number) =>
    list.length === 0 ? 0 : list.reduce((sum, s) => sum + pick(s), 0) / list.length;
  const segments = SEGMENTS.map(([name]) => {
    const members = scores.filter((s) => s.segment === name);
    return {
      name,
      customers: members.length,
      share: n === 0 ? 0 : members.length / n,
      avgRecency: average(members, (s) => s.recency),
      avgFrequency: average(members, (s) => s.frequency),
      avgMonetary: average(members, (s) => s.monetary),
    };
  });
  const tiers = TIERS.map(([name]) => {
    const members = scores.filter((s) => s.tier === name);
    // Summed in micro-units, like the per-customer sums, so the total has no rounding drift.
    const micros = members.reduce((sum, s) => sum + Math.round(s.monetary * 1e6), 0);
    return { name, customers: members.length, monetary: micros / 1e6 };
  });
  return { asOf: reference, ...(reference < options.asOf ? { atDataEnd: true as const } : {}), customers: n, segments, tiers, edges };
}

interface CustomerRow {
  id: number;
  customer: string;
  last: string | Date;
  frequency: number | string;
  micros: number | string;
}

async function scoreCustomers(db: Database, options: RfmOptions) {
  const purchases = await purchaseFilter(db, { sourceKey: options.sourceKey, before: options.asOf });
  // Amounts are stored rounded to 1e-6, so summing whole micro-units is exact on both engines:
  // a float sum's last bits depend on row order and could move a customer across an M edge.
  const rows = await db.sql.all<CustomerRow>(
    `SELECT c."id" AS id, c."external_id" AS customer, max(ol."ordered_at") AS last,
       count(DISTINCT ol."invoice_no") AS frequency, sum(round(ol."amount" * 1000000)) AS micros
     FROM "order_lines" ol JOIN "customers" c ON c."id" = ol."customer_id"
     WHERE ${purchases.where}
     GROUP BY c."id", c."external_id"`,
    purchases.params,
  );
  // pandas' groupby sorts by CustomerID, so rank(method='first') breaks frequency ties in
  // ascending customer id order; the row id settles equal ids of different sources.
  rows.sort((a, b) => compareIds(String(a.customer), String(b.customer)) || Number(a.id) - Number(b.id));
  // A clock past the data (the demo's 2017 over 2011 orders) would give every customer years of
  // recency: recency counts from the day after the last purchase instead (issue 14).
  const latest = Math.max(...rows.map((r) => new Date(r.last).getTime()));
  const last = new Date(latest);
  const dayAfter = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1);
  const reference = rows.length > 0 && dayAfter < options.asOf.getTime() ? new Date(dayAfter) : options.asOf;
  const customers = rows.map((row) => ({
    customer: String(row.customer),
    recency: Math.floor((reference.getTime() - new Date(row.last).getTime()) / DAY_MS),
    frequency: Number(row.frequency),
    monetary: Number(row.micros) / 1e6,
  }));
  const rank = new Array<number>(customers.length);
  customers
    .map((c, i) => ({ frequency: c.frequency, i }))
    .sort((a, b) => a.frequency - b.frequency || a.i - b.i)
    .forEach(({ i }, position) => (rank[i] = position + 1));
  const edges = {
    recency: quintileEdges(customers.map((c) => c.recency)),
    monetary: quintileEdges(customers.map((c) => c.monetary)),
  };
  const rankEdges = quintileEdges(rank);
  const scores: RfmScore[] = customers.map((c, i) => {
    const r = 6 - bin(edges.recency, c.recency);
    const f = bin(rankEdges, rank[i]!);
    const m = bin(edges.monetary, c.monetary);
    return { ...c, r, f, m, segment: segmentOf(r, f), tier: TIERS.find(([, min]) => r + f + m >= min)![0] };
  });
  return { scores, edges, reference, ids: customers.map((_, i) => Number(rows[i]!.id)) };
}

/** Each scored customer's row id with its segment and tier, for storing as a breakdown dimension. */
export async function rfmAssignments(db: Database, options: RfmOptions): Promise<{ customerId: number; segment: RfmSegmentName; tier: RfmTierName }[]> {
  const { scores, ids } = await scoreCustomers(db, options);
  return scores.map((s, i) => ({ customerId: ids[i]!, segment: s.segment, tier: s.tier }));
}

/** Numeric ids (CustomerID 12346) by value and before any other ids, which go by text. */
function compareIds(a: string, b: string): number {
  const numeric = /^\d+(\.\d+)?$/;
  const an = numeric.test(a);
  const bn = numeric.test(b);
  if (an && bn) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** numpy's default ('linear') quantiles at QUANTILES, with numpy's own lerp for exact edges. */
function quintileEdges(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const last = sorted.length - 1;
  return QUANTILES.map((q) => {
    const h = last * q;
    const lo = Math.min(Math.floor(h), last);
    const t = h - lo;
    const a = sorted[lo]!;
    const b = sorted[Math.min(lo + 1, last)]!;
    // numpy interpolates from the nearer end (numpy.lib._function_base_impl._lerp).
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  });
}

/**
 * The 1-based right-closed bin of `x` among six edges, the lowest edge included (pandas
 * cut(include_lowest=True)). Where edges repeat pandas' qcut raises; this puts x in the lowest
 * matching bin instead, so small stores still get scores.
 */
function bin(edges: readonly number[], x: number): number {
  let i = 1;
  while (i < 5 && x > edges[i]!) i++;
  return i;
}

function segmentOf(r: number, f: number): RfmSegmentName {
  const hit = SEGMENTS.find(([, [r0, r1], [f0, f1]]) => r >= r0 && r <= r1 && f >= f0 && f <= f1);
  // The map covers all 25 (R, F) pairs; reaching here would be a bug in SEGMENTS.
  if (!hit) throw new Error(`[kpi] no RFM segment for R=${r} F=${f}`);
  return hit[0];
}
