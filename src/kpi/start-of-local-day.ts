import { wallTimeIn, zonedToUtc } from '../lib/zoned-time.ts';

/** A calendar date with no time or zone. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const DAY_MS = 86_400_000;

/**
 * The first instant whose date in `timeZone` is `date` or later: local midnight, or, where the
 * clocks skip midnight (America/Sao_Paulo on 2018-11-04), the moment they jump past it.
 * @example startOfLocalDay({ year: 2017, month: 3, day: 27 }, 'Europe/London') // 2017-03-26T23:00:00.000Z
 */
export function startOfLocalDay(date: CivilDate, timeZone: string): Date {
  // Period arithmetic asks for the same few hundred days over and over (every answer shifts its
  // periods for comparisons): each is worked out once per zone. Bounded; a Date is handed out new.
  const key = `${timeZone} ${dateKey(date)}`;
  const known = DAYS.get(key);
  if (known !== undefined) return new Date(known);
  if (DAYS.size >= MAX_DAYS) DAYS.clear();
  const start = computeStart(date, timeZone);
  DAYS.set(key, start.getTime());
  return start;
}

const DAYS = new Map<string, number>();
const MAX_DAYS = 20_000;

function computeStart(date: CivilDate, timeZone: string): Date {
  const guess = zonedToUtc({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
  const w = wallTimeIn(guess, timeZone);
  if (w.year === date.year && w.month === date.month && w.day === date.day && w.hour + w.minute + w.second + w.millisecond === 0) {
    return guess;
  }
  // Midnight does not exist that day. zonedToUtc resolves the gap to one side or the other
  // depending on the offset's sign, so search for the boundary; offsets move by at most a day.
  const target = dateKey(date);
  let before = guess.getTime() - 2 * DAY_MS;
  let atOrAfter = guess.getTime() + 2 * DAY_MS;
  while (atOrAfter - before > 1) {
    const mid = Math.floor((before + atOrAfter) / 2);
    if (dateKey(wallTimeIn(new Date(mid), timeZone)) >= target) atOrAfter = mid;
    else before = mid;
  }
  return new Date(atOrAfter);
}

function dateKey(d: CivilDate): number {
  return d.year * 10_000 + d.month * 100 + d.day;
}
