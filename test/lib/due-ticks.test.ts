import { describe, expect, it } from 'vitest';
import { parseCron } from '../../src/lib/cron-expression.ts';
import { intervalTick, latestTick, ticksBetween } from '../../src/lib/due-ticks.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().slice(0, 16));
const ticks = (expr: string, tz: string, from: string, to: string) => iso(ticksBetween(parseCron(expr), tz, new Date(from), new Date(to)));

describe('ticksBetween: which cron ticks fall between two instants, in a time zone', () => {
  it('fires a daily job at its local time on both sides of the spring change in Europe/London', () => {
    expect(ticks('0 9 * * *', 'Europe/London', '2024-03-29T12:00Z', '2024-04-01T12:00Z')).toEqual(['2024-03-30T09:00', '2024-03-31T08:00', '2024-04-01T08:00']);
  });
  it('runs a job whose wall time is skipped on 2024-03-31 (01:30 London) once, right after the gap', () => {
    expect(ticks('30 1 * * *', 'Europe/London', '2024-03-29T12:00Z', '2024-04-01T12:00Z')).toEqual([
      '2024-03-30T01:30',
      '2024-03-31T01:00',
      '2024-04-01T00:30',
    ]);
  });
  it('runs a job whose wall time repeats on 2024-10-27 (01:30 London) once, at its first pass', () => {
    expect(ticks('30 1 * * *', 'Europe/London', '2024-10-26T12:00Z', '2024-10-28T12:00Z')).toEqual(['2024-10-27T00:30', '2024-10-28T01:30']);
  });
  it('keeps an every-hour job on real time through both changes: no hour lost or doubled', () => {
    expect(ticks('0 * * * *', 'Europe/London', '2024-03-30T23:30Z', '2024-03-31T03:30Z')).toEqual([
      '2024-03-31T00:00',
      '2024-03-31T01:00',
      '2024-03-31T02:00',
      '2024-03-31T03:00',
    ]);
    expect(ticks('*/30 * * * *', 'Europe/London', '2024-10-27T00:00Z', '2024-10-27T02:00Z')).toEqual([
      '2024-10-27T00:30',
      '2024-10-27T01:00',
      '2024-10-27T01:30',
      '2024-10-27T02:00',
    ]);
  });
  it('follows a second time zone across its own changes (America/New_York, 2024-03-10 and 2024-11-03)', () => {
    expect(ticks('30 2 * * *', 'America/New_York', '2024-03-09T12:00Z', '2024-03-11T12:00Z')).toEqual(['2024-03-10T07:00', '2024-03-11T06:30']);
    expect(ticks('30 1 * * *', 'America/New_York', '2024-11-02T12:00Z', '2024-11-04T12:00Z')).toEqual(['2024-11-03T05:30', '2024-11-04T06:30']);
  });
  it('honours weekdays in local time: Monday 07:00 in Asia/Shanghai is Sunday 23:00 UTC', () => {
    expect(ticks('0 7 * * mon', 'Asia/Shanghai', '2024-01-01T00:00Z', '2024-01-15T00:00Z')).toEqual(['2024-01-07T23:00', '2024-01-14T23:00']);
  });
  it('excludes the start instant and includes the end one', () => {
    expect(ticks('0 * * * *', 'UTC', '2024-01-01T10:00Z', '2024-01-01T11:00Z')).toEqual(['2024-01-01T11:00']);
  });
  it('gives the latest tick only, for a catch-up after downtime', () => {
    expect(latestTick(parseCron('0 * * * *'), 'Europe/London', new Date('2024-03-30T00:00Z'), new Date('2024-03-31T05:59Z'))?.toISOString()).toBe(
      '2024-03-31T05:00:00.000Z',
    );
    expect(latestTick(parseCron('0 9 * * *'), 'UTC', new Date('2024-03-30T09:00Z'), new Date('2024-03-31T08:59Z'))).toBeUndefined();
  });
  it('places interval ticks on multiples of the interval', () => {
    expect(intervalTick(5_000, new Date('2024-01-01T00:00:07.300Z')).toISOString()).toBe('2024-01-01T00:00:05.000Z');
  });
});

describe('parseCron', () => {
  it('reads lists, ranges, steps and names, and Sunday as 0 or 7', () => {
    const c = parseCron('0,30 8-18/2 * jan-mar 7');
    expect([...c.minutes]).toEqual([0, 30]);
    expect([...c.hours]).toEqual([8, 10, 12, 14, 16, 18]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.weekdays]).toEqual([0]);
  });
  it('says which field is wrong', () => {
    expect(() => parseCron('0 * * *')).toThrow("'0 * * *' has 4 fields; write five: minute hour day-of-month month day-of-week, e.g. '0 * * * *'");
    expect(() => parseCron('61 * * * *')).toThrow("'61 * * * *': minute '61' is not a value from 0 to 59");
    expect(() => parseCron('0 * * * fun')).toThrow("'0 * * * fun': day of week 'fun' is not a value from 0 to 7");
  });
});
