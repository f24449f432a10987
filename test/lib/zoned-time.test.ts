// wallTimeIn caches each zone's offset per quarter hour; these instants, thousands of them around
// DST changes in zones with whole-hour, half-hour (Lord Howe) and 45-minute (Kathmandu, Chatham)
// offsets, must show exactly what Intl itself shows, as must localTimeText and zonedToUtc's round trip.
import { describe, expect, it } from 'vitest';
import { localTimeText, wallTimeIn, zonedToUtc } from '../../src/lib/zoned-time.ts';

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'Asia/Shanghai', 'UTC'];

/** What Intl shows, read independently of crm-pulse. */
const intl = new Map<string, Intl.DateTimeFormat>();
function intlParts(instant: Date, timeZone: string): number[] {
  const f =
    intl.get(timeZone) ??
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  intl.set(timeZone, f);
  const p = Object.fromEntries(
    f
      .formatToParts(instant)
      .filter((x) => x.type !== 'literal')
      .map((x) => [x.type, Number(x.value)]),
  );
  return [p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!, instant.getUTCMilliseconds()];
}

/** Instants every 7 minutes 13.25 seconds through the weeks around each 2024 and 2025 transition. */
function instants(): Date[] {
  const out: Date[] = [];
  const windows = ['2024-03-30', '2024-04-06', '2024-09-28', '2024-10-26', '2024-11-02', '2025-03-08', '2025-03-29', '2025-04-05', '2025-10-04'];
  for (const w of windows) {
    const start = Date.parse(`${w}T00:00:00Z`) - 2 * 86_400_000;
    for (let t = start; t < start + 5 * 86_400_000; t += 433_250) out.push(new Date(t));
  }
  return out;
}

describe('wallTimeIn', () => {
  it('shows what Intl shows, to the millisecond, across DST changes in every kind of zone', () => {
    let checked = 0;
    for (const zone of ZONES) {
      for (const instant of instants()) {
        const w = wallTimeIn(instant, zone);
        expect([w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond], `${instant.toISOString()} ${zone}`).toEqual(intlParts(instant, zone));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40_000);
  });

  it('shows the wall time on both sides of the exact transition instant (London, 2024-10-27 01:00 UTC)', () => {
    expect(localTimeText(new Date('2024-10-27T00:59:59Z'), 'Europe/London')).toBe('2024-10-27 01:59');
    expect(localTimeText(new Date('2024-10-27T01:00:00Z'), 'Europe/London')).toBe('2024-10-27 01:00');
    expect(localTimeText(new Date('2024-04-06T15:00:00Z'), 'Australia/Lord_Howe')).toBe('2024-04-07 01:30');
  });

  it('round-trips through zonedToUtc outside DST gaps and overlaps', () => {
    for (const zone of ZONES) {
      for (const instant of instants().filter((_, i) => i % 17 === 0)) {
        const back = zonedToUtc(wallTimeIn(instant, zone), zone);
        const w = wallTimeIn(back, zone);
        expect(intlParts(back, zone), `${instant.toISOString()} ${zone}`).toEqual([w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond]);
      }
    }
  });
});
