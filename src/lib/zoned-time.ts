/** Wall-clock parts of a date-time, as written in a file or shown to a person. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall time that `instant` shows in `timeZone`. */
export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
    millisecond: instant.getUTCMilliseconds(),
  };
}

/**
 * The instant at which the clocks of `timeZone` show `wall`. In a DST gap the wall time does
 * not exist and the instant one offset later is returned; in an overlap, the earlier one.
 * @example zonedToUtc({ year: 2024, month: 7, day: 1, hour: 9, minute: 0, second: 0, millisecond: 0 }, 'Europe/London')
 */
export function zonedToUtc(wall: WallTime, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  if (timeZone === 'UTC') return new Date(asUtc);
  // Time zones change offset on whole hours, and an import reads many rows of the same hour, so
  // the offset is cached per zone and wall-clock hour; Intl is slow.
  const slot = `${timeZone} ${Math.floor(asUtc / 3_600_000)}`;
  let offset = offsetCache.get(slot);
  if (offset === undefined) {
    // Two passes converge on the offset in force at that wall time (see Temporal's disambiguation).
    const first = asUtc - offsetMs(new Date(asUtc), timeZone);
    offset = asUtc - (asUtc - offsetMs(new Date(first), timeZone));
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(slot, offset);
  }
  return new Date(asUtc - offset);
}

const offsetCache = new Map<string, number>();

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
export function offsetMs(instant: Date, timeZone: string): number {
  const w = wallTimeIn(instant, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, instant.getUTCMilliseconds());
  return wallAsUtc - instant.getTime();
}

/**
 * An instant as the clocks of `timeZone` show it, to the minute.
 * @example localTimeText(new Date('2017-09-30T23:00:00Z'), 'Europe/London') // '2017-10-01 00:00'
 */
export function localTimeText(instant: Date, timeZone: string): string {
  const w = wallTimeIn(instant, timeZone);
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}
