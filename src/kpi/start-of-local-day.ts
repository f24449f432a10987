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
  // Pure and asked for the same few days over and over (every rule's periods, every tick): kept.
  const key = `${timeZone}|${dateKey(date)}`;
  let ms = known.get(key);
  if (ms === undefined) {
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(key, (ms = boundary(date, timeZone)));
  }
  return new Date(ms);
}

/** Day starts already found, by zone and date: a few thousand at most in practice (e.g. ten years of days). */
const known = new Map<string, number>();
const MAX_KNOWN = 20_000;

function boundary(date: CivilDate, timeZone: string): number {
  const guess = zonedToUtc({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
  const w = wallTimeIn(guess, timeZone);
  if (w.year === date.year && w.month === date.month && w.day === date.day && w.hour + w.minute + w.second + w.millisecond === 0) {
    return guess.getTime();
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
  return atOrAfter;
}

function dateKey(d: CivilDate): number {
  return d.year * 10_000 + d.month * 100 + d.day;
}
