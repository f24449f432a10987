import { cronMatches, type CronExpression } from './cron-expression.ts';
import { offsetMs, wallTimeIn, type WallTime } from './zoned-time.ts';

const MINUTE = 60_000;

/**
 * The instants in (from, to] at which a cron expression fires in `timeZone`, whole minutes in
 * order. Daylight-saving changes follow Vixie cron's rule: a wall time skipped when the clocks go
 * forward fires once, at the first minute after the gap; a wall time repeated when they go back
 * fires once, at its first pass, unless the hour field is `*` (then each real hour fires).
 * @example ticksBetween(parseCron('30 1 * * *'), 'Europe/London', new Date('2024-03-30T12:00Z'), new Date('2024-03-31T12:00Z')) // [2024-03-31T01:00Z]
 */
export function ticksBetween(cron: CronExpression, timeZone: string, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  let t = Math.floor(from.getTime() / MINUTE) * MINUTE + MINUTE;
  let previous = wallMinute(wallTimeIn(new Date(t - MINUTE), timeZone));
  for (; t <= to.getTime(); t += MINUTE) {
    const wall = wallTimeIn(new Date(t), timeZone);
    const current = wallMinute(wall);
    if (current - previous > 1) {
      // The clocks went forward: the wall minutes between never happened.
      let skipped = false;
      for (let m = previous + 1; m < current && !skipped; m++) skipped = matchesMinute(cron, m);
      if (skipped || matchesMinute(cron, current)) out.push(new Date(t));
    } else if (matchesMinute(cron, current)) {
      if (cron.everyHour || !repeatsEarlierWallTime(t, current, timeZone)) out.push(new Date(t));
    }
    previous = current;
  }
  return out;
}

/** The latest instant in (from, to] at which a cron expression fires in `timeZone`, if any. */
export function latestTick(cron: CronExpression, timeZone: string, from: Date, to: Date): Date | undefined {
  return ticksBetween(cron, timeZone, from, to).at(-1);
}

/** The latest multiple of `everyMs` since the epoch at or before `now`: the tick of an interval job. */
export function intervalTick(everyMs: number, now: Date): Date {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
}

/** Whether the clocks already showed this wall minute earlier: t is in the second pass of an hour repeated when they went back. */
function repeatsEarlierWallTime(t: number, current: number, timeZone: string): boolean {
  // Offsets change at most once in a few hours, so the offset three hours earlier is the one before any change.
  const shift = offsetMs(new Date(t - 3 * 3_600_000), timeZone) - offsetMs(new Date(t), timeZone);
  return shift > 0 && wallMinute(wallTimeIn(new Date(t - shift), timeZone)) === current;
}

function wallMinute(w: WallTime): number {
  return Math.floor(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) / MINUTE);
}

function matchesMinute(cron: CronExpression, minute: number): boolean {
  const d = new Date(minute * MINUTE);
  return cronMatches(cron, { month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes() });
}
