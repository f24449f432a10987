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
  // Intl's formatToParts is slow (it was most of a /kpi answer's time-zone arithmetic); the offset
  // is the same all through a quarter hour unless a transition falls inside it, so it is looked up
  // once per zone and quarter hour, and Intl answers only for the quarter hours with a transition.
  const offset = quarterHourOffset(instant.getTime(), timeZone);
  if (offset === null) return intlWallTime(instant, timeZone);
  const d = new Date(instant.getTime() + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

const QUARTER_HOUR_MS = 15 * 60_000;
/** Per zone, the offset of each quarter hour looked up (null: a transition falls inside it). */
const quarterOffsets = new Map<string, Map<number, number | null>>();
let cachedQuarters = 0;

/**
 * The offset of `timeZone` all through the quarter hour holding `ms`, or null when it changes
 * inside it. Transitions fall on whole seconds and at most one in any quarter hour, so equal
 * offsets at its first and last whole second mean none falls inside.
 */
function quarterHourOffset(ms: number, timeZone: string): number | null {
  if (timeZone === 'UTC') return 0;
  const slot = Math.floor(ms / QUARTER_HOUR_MS);
  let zone = quarterOffsets.get(timeZone);
  if (!zone) quarterOffsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(slot);
  if (offset === undefined) {
    const first = intlOffsetMs(new Date(slot * QUARTER_HOUR_MS), timeZone);
    const last = intlOffsetMs(new Date((slot + 1) * QUARTER_HOUR_MS - 1000), timeZone);
    offset = first === last ? first : null;
    // Bounded: about 20 years of quarter hours for one zone, then it starts again.
    if (++cachedQuarters > 700_000) {
      quarterOffsets.clear();
      cachedQuarters = 0;
    }
    zone.set(slot, offset);
  }
  return offset;
}

/** The wall time of `instant` in `timeZone`, straight from Intl. */
function intlWallTime(instant: Date, timeZone: string): WallTime {
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

/** The offset of `timeZone` at `instant` (a whole second), from Intl. */
function intlOffsetMs(instant: Date, timeZone: string): number {
  const w = intlWallTime(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, instant.getUTCMilliseconds()) - instant.getTime();
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
