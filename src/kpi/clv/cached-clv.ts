// Fitting BG/NBD and Gamma-Gamma costs seconds of CPU (Online Retail: 4,338 customers), and the
// same fit is asked for again and again: `/kpi clv_predicted` twice, a rule and the digest over
// the same week, clv_predicted and customers_at_risk from one fit. The fit only changes when the
// purchases before the cut change, so it is kept per (options, data version) in a small LRU.
import type { Database } from '../../store/open-database.ts';
import { purchaseFilter } from '../rfm.ts';
import { predictClv, type ClvOptions, type ClvReport } from './predict-clv.ts';

/** Fits kept per database; the oldest-used goes first (a report of 4,338 customers is about 1 MB). */
export const CLV_CACHE_SIZE = 8;

const caches = new WeakMap<Database, Map<string, Promise<ClvReport>>>();

/** How often the cache answered and how often it fitted, per database (for tests and the bench). */
export const clvCacheStats = new WeakMap<Database, { hits: number; fits: number }>();

/**
 * predictClv, fitted once per (as-of, source, horizon, discount, threshold, data version of the
 * purchases before the cut) and kept in memory, at most CLV_CACHE_SIZE fits per database. A fit
 * that fails is not kept, so the next call tries again (and says why again).
 * @example const report = await cachedClv(db, { asOf: new Date('2011-12-10T00:00:00Z') }); // fits
 * await cachedClv(db, { asOf: new Date('2011-12-10T00:00:00Z') }); // the same report, no fit
 */
export async function cachedClv(db: Database, options: ClvOptions): Promise<ClvReport> {
  const version = await purchasesVersion(db, options);
  const key = JSON.stringify([
    options.asOf.getTime(),
    options.sourceKey ?? null,
    options.months ?? 12,
    options.monthlyDiscountRate ?? 0.01,
    options.aliveBelow ?? 0.5,
    version,
  ]);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stats = clvCacheStats.get(db);
  if (!stats) clvCacheStats.set(db, (stats = { hits: 0, fits: 0 }));
  const found = cache.get(key);
  if (found) {
    stats.hits++;
    // Map order is insertion order: re-inserting marks it the most recently used.
    cache.delete(key);
    cache.set(key, found);
    return found;
  }
  stats.fits++;
  const pending = predictClv(db, options);
  cache.set(key, pending);
  while (cache.size > CLV_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  pending.catch(() => cache.delete(key));
  return pending;
}

/**
 * The data version of the purchases a fit reads: their count, largest row id, exact total (micro-
 * units), sum of customer ids and latest time. A sync that adds, deletes or edits a purchase (its
 * amount, customer or time) changes it; one that rewrites rows unchanged does not. One aggregate
 * over the purchase lines, far cheaper than the fit.
 */
async function purchasesVersion(db: Database, options: ClvOptions): Promise<string> {
  const purchases = await purchaseFilter(db, { sourceKey: options.sourceKey, before: options.asOf });
  const [row] = await db.sql.all<Record<string, unknown>>(
    `SELECT count(*) AS n, max(ol."id") AS id, sum(round(ol."amount" * 1000000)) AS micros, sum(ol."customer_id") AS customers, max(ol."ordered_at") AS last
     FROM "order_lines" ol WHERE ${purchases.where}`,
    purchases.params,
  );
  return [row?.n, row?.id, row?.micros, row?.customers, row?.last instanceof Date ? row.last.toISOString() : row?.last].map(String).join('|');
}
