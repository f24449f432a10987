// ISO 8601 week dates: weeks run Monday to Sunday, and week 1 is the week holding the year's
// first Thursday (https://en.wikipedia.org/wiki/ISO_week_date). Days are counted from 1970-01-01.

const DAY_MS = 86_400_000;

/** An ISO week: its week-numbering year (the year of its Thursday) and its number, 1–53. */
export interface IsoWeek {
  readonly year: number;
  readonly week: number;
}

/** The weekday of day `dayNumber` (days since 1970-01-01, a Thursday): 0 = Monday … 6 = Sunday. */
export function isoWeekday(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** The ISO week holding day `dayNumber`; 2021-01-03 is in 2020-W53, 2019-12-30 in 2020-W01. */
export function isoWeekOf(dayNumber: number): IsoWeek {
  const thursday = dayNumber - isoWeekday(dayNumber) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  return { year, week: Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1 };
}

/** The Monday (days since 1970-01-01) that starts ISO week `week` of `year`; week 1 holds 4 January. */
export function isoWeekStart(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  return jan4 - isoWeekday(jan4) + (week - 1) * 7;
}

/** How many ISO weeks `year` has, 52 or 53; 28 December is always in the last one. */
export function isoWeeksInYear(year: number): number {
  return isoWeekOf(Date.UTC(year, 11, 28) / DAY_MS).week;
}
