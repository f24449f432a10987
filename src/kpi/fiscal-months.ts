// Month keys (months counted from January of year 0) and day numbers (days from 1970-01-01): the
// arithmetic periods.ts builds periods on, and the fiscal year that shifts quarters and years.
import type { Calendar } from '../domain/period.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { CivilDate } from './start-of-local-day.ts';

const DAY_MS = 86_400_000;

/** The English month names, January first. */
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The calendar's first fiscal month (1 = January), checked to be 1–12. */
export function fiscalStart(cal: Calendar): number {
  const s = cal.fiscalYearStartMonth;
  if (!Number.isInteger(s) || s < 1 || s > 12) {
    throw new CrmPulseError('usage', `[period] fiscalYearStartMonth must be 1–12 (1 = January); got ${s}`);
  }
  return s;
}

/** How many months month key `month` is into its fiscal year (0 for its first month). */
export function monthsIntoFiscalYear(month: number, cal: Calendar): number {
  return mod(month - (fiscalStart(cal) - 1), 12);
}

/**
 * The name of the fiscal year holding month key `month`. US convention: a fiscal year is named by
 * the calendar year it ends in (April 2017–March 2018 is FY2018).
 */
export function fiscalYearOf(month: number, cal: Calendar): number {
  return Math.floor((month - monthsIntoFiscalYear(month, cal) + 11) / 12);
}

/** The month key of the first month of the fiscal year named `name`. */
export function fiscalYearStartKey(name: number, cal: Calendar): number {
  const s = fiscalStart(cal);
  return (s === 1 ? name : name - 1) * 12 + s - 1;
}

/** Month keys `from` to `to` as text: `Apr–Jun 2017`, or `Apr 2017–Mar 2018` across years. */
export function monthSpan(from: number, to: number): string {
  const name = (m: number) => MONTHS[mod(m, 12)]!.slice(0, 3);
  const [y1, y2] = [Math.floor(from / 12), Math.floor(to / 12)];
  return y1 === y2 ? `${name(from)}–${name(to)} ${y2}` : `${name(from)} ${y1}–${name(to)} ${y2}`;
}

/** The day number of a calendar date: days from 1970-01-01. */
export function dayNumber(d: CivilDate): number {
  return Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
}

/** The calendar date of day number `dn`. */
export function civil(dn: number): CivilDate {
  const d = new Date(dn * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `a` modulo `n`, never negative. */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
