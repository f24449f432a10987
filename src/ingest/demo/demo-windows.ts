import { B2B_SOURCE, B2C_SOURCE, type DateRange, type DemoAnchors } from '../../store/demo-anchors.ts';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;

/** The span one side of the demo covers, in epoch milliseconds, whole UTC days. */
export interface DemoWindow {
  /** midnight of the first day of the source's data */
  readonly from: number;
  /** midnight after its last day: nothing generated is dated at or after it */
  readonly to: number;
  /** midnight of 1 January of the last day's year: tickets cover the last calendar year of the data */
  readonly ticketsFrom: number;
}

/** The windows of both sides; null where the source is not imported or has nothing to link to. */
export interface DemoWindows {
  readonly b2b: DemoWindow | null;
  readonly b2c: DemoWindow | null;
}

/**
 * Derives the generator's windows from the real data's ranges, so that generated records never
 * fall outside the data they link to.
 * @example demoWindows(anchors).b2c?.ticketsFrom === Date.UTC(2011, 0, 1)
 */
export function demoWindows(anchors: DemoAnchors): DemoWindows {
  const hasAccounts = anchors.accounts.some((a) => a.owner !== null && a.deals > 0);
  const hasCustomers = anchors.customers.some((c) => c.firstOrderAt !== null && c.invoices > 0);
  return {
    b2b: hasAccounts ? window(anchors.ranges[B2B_SOURCE]) : null,
    b2c: hasCustomers ? window(anchors.ranges[B2C_SOURCE]) : null,
  };
}

function window(range: DateRange | null): DemoWindow | null {
  if (range === null) return null;
  const from = startOfDay(range.from.getTime());
  const to = startOfDay(range.to.getTime()) + DAY_MS;
  const year = new Date(to - 1).getUTCFullYear();
  return { from, to, ticketsFrom: Math.max(from, Date.UTC(year, 0, 1)) };
}

/** Midnight UTC of the day `ms` falls in. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** 'YYYY-MM-DD' of a UTC day. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
