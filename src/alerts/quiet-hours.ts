import type { AlertsConfig } from '../config/alerts-schema.ts';
import { wallTimeIn, zonedToUtc } from '../lib/zoned-time.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * When the quiet-hours window that contains `now` ends, or undefined outside every window.
 * Windows are wall-clock times in the config's time zone; one whose `to` is not after its `from`
 * runs past midnight, and `days` names the day it starts on. Overlapping windows chain: the
 * notification waits until none applies.
 * @example quietUntil(new Date('2024-03-02T22:00:00Z'), [{ from: '20:00', to: '08:00' }], 'UTC') // 2024-03-03T08:00Z
 */
export function quietUntil(now: Date, windows: AlertsConfig['quiet_hours'], timeZone: string): Date | undefined {
  let until: Date | undefined;
  let at = now;
  // Follow chained windows a bounded number of times (a window list that covers the whole week never ends).
  for (let hop = 0; hop < 16; hop++) {
    const end = windowEnd(at, windows, timeZone);
    if (!end || end <= at) break;
    until = end;
    at = end;
  }
  return until;
}

function windowEnd(now: Date, windows: AlertsConfig['quiet_hours'], tz: string): Date | undefined {
  const today = wallTimeIn(now, tz);
  let latest: Date | undefined;
  for (const back of [0, 1]) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back, 12));
    const dayName = DAYS[day.getUTCDay()]!;
    for (const w of windows) {
      if (w.days && !w.days.includes(dayName)) continue;
      const start = at(day, w.from, 0, tz);
      const overnight = w.to <= w.from;
      const end = at(day, w.to, overnight ? 1 : 0, tz);
      if (start <= now && now < end && (!latest || end > latest)) latest = end;
    }
  }
  return latest;
}

function at(day: Date, hhmm: string, plusDays: number, tz: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return zonedToUtc(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() + plusDays, hour: h, minute: m, second: 0, millisecond: 0 },
    tz,
  );
}
