import { describe, expect, it } from 'vitest';
import type { Calendar, Period } from '../../src/domain/period.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import {
  formatRange,
  lastPeriods,
  parsePeriod,
  periodContaining,
  periodsBetween,
  previousPeriod,
  samePeriodLastYear,
  shiftPeriod,
} from '../../src/kpi/periods.ts';

// Every expectation below was worked out from the calendar (and cross-checked with `date -d`):
// UK clocks change on the last Sundays of March and October at 01:00 UTC, US clocks on the second
// Sunday of March and the first Sunday of November at 02:00 local time.
const london: Calendar = { timeZone: 'Europe/London', fiscalYearStartMonth: 1 };
const newYork: Calendar = { timeZone: 'America/New_York', fiscalYearStartMonth: 1 };
const saoPaulo: Calendar = { timeZone: 'America/Sao_Paulo', fiscalYearStartMonth: 1 };
const shanghai: Calendar = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 1 };
const utc: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const fyApril: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 4 };
const fyJuly: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 7 };
const fyNovember: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 11 };

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
/** A period as plain strings, so a failure shows the instants. */
const shown = (p: Period) => ({ label: p.label, start: p.start.toISOString(), end: p.end.toISOString() });
const span = (label: string, start: string, end: string) => ({ label, start: `${start}.000Z`, end: `${end}.000Z` });
const hours = (p: Period) => (p.end.getTime() - p.start.getTime()) / HOUR;
const labels = (ps: Period[]) => ps.map((p) => p.label);

/** The full message of the CrmPulseError `fn` throws, so tests compare it verbatim. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CrmPulseError);
    expect((e as CrmPulseError).code).toBe('usage');
    return (e as Error).message;
  }
  throw new Error('expected a CrmPulseError');
}

describe('periodContaining: days are cut at local midnight', () => {
  it('gives the London spring-forward day 23 hours', () => {
    const p = periodContaining(at('2017-03-26T12:00:00Z'), 'day', london);
    expect(shown(p)).toEqual(span('2017-03-26', '2017-03-26T00:00:00', '2017-03-26T23:00:00'));
    expect(hours(p)).toBe(23);
    // 23:30 UTC is already 00:30 BST on the 27th.
    expect(shown(periodContaining(at('2017-03-26T23:30:00Z'), 'day', london))).toEqual(span('2017-03-27', '2017-03-26T23:00:00', '2017-03-27T23:00:00'));
  });
  it('gives the London fall-back day 25 hours', () => {
    const p = periodContaining(at('2017-10-28T23:30:00Z'), 'day', london);
    expect(shown(p)).toEqual(span('2017-10-29', '2017-10-28T23:00:00', '2017-10-30T00:00:00'));
    expect(hours(p)).toBe(25);
  });
  it('follows America/New_York DST', () => {
    const spring = periodContaining(at('2017-03-12T15:00:00Z'), 'day', newYork);
    expect(shown(spring)).toEqual(span('2017-03-12', '2017-03-12T05:00:00', '2017-03-13T04:00:00'));
    expect(hours(spring)).toBe(23);
    const fall = periodContaining(at('2017-11-05T15:00:00Z'), 'day', newYork);
    expect(shown(fall)).toEqual(span('2017-11-05', '2017-11-05T04:00:00', '2017-11-06T05:00:00'));
    expect(hours(fall)).toBe(25);
    // 04:59 UTC is still 23:59 EST on the 11th.
    expect(periodContaining(at('2017-03-12T04:59:00Z'), 'day', newYork).label).toBe('2017-03-11');
  });
  it('starts a day whose midnight is skipped when the clocks jump (America/Sao_Paulo 2018-11-04)', () => {
    // Clocks went from 00:00 -03 to 01:00 -02, so the day began at 01:00 -02 = 03:00 UTC.
    expect(shown(periodContaining(at('2018-11-04T12:00:00Z'), 'day', saoPaulo))).toEqual(span('2018-11-04', '2018-11-04T03:00:00', '2018-11-05T02:00:00'));
    expect(shown(periodContaining(at('2018-11-04T02:30:00Z'), 'day', saoPaulo))).toEqual(span('2018-11-03', '2018-11-03T03:00:00', '2018-11-04T03:00:00'));
  });
  it('uses the calendar time zone, not UTC', () => {
    expect(shown(periodContaining(at('2017-03-08T23:30:00Z'), 'day', shanghai))).toEqual(span('2017-03-09', '2017-03-08T16:00:00', '2017-03-09T16:00:00'));
  });
  it('rejects an invalid instant and an invalid fiscal start month', () => {
    expect(messageOf(() => periodContaining(new Date('nope'), 'day', utc))).toBe('[period] not a valid instant: Invalid Date');
    expect(messageOf(() => periodContaining(at('2017-03-08T00:00:00Z'), 'year', { timeZone: 'UTC', fiscalYearStartMonth: 13 }))).toBe(
      '[period] fiscalYearStartMonth must be 1–12 (1 = January); got 13',
    );
  });
});

describe('periodContaining: ISO weeks', () => {
  it('spans the London DST change: 167 hours', () => {
    const p = periodContaining(at('2017-03-22T12:00:00Z'), 'week', london);
    expect(shown(p)).toEqual(span('2017-W12', '2017-03-20T00:00:00', '2017-03-26T23:00:00'));
    expect(hours(p)).toBe(167);
  });
  it('spans the New York DST change', () => {
    expect(shown(periodContaining(at('2017-03-08T12:00:00Z'), 'week', newYork))).toEqual(span('2017-W10', '2017-03-06T05:00:00', '2017-03-13T04:00:00'));
    // Sunday 5 March 22:00 EST is 03:00 UTC on Monday, still in week 9 in New York.
    expect(periodContaining(at('2017-03-06T03:00:00Z'), 'week', newYork).label).toBe('2017-W09');
  });
  it('puts 2017-01-01, a Sunday, in 2016-W52', () => {
    expect(shown(periodContaining(at('2017-01-01T12:00:00Z'), 'week', london))).toEqual(span('2016-W52', '2016-12-26T00:00:00', '2017-01-02T00:00:00'));
  });
  it('names weeks by the ISO week-numbering year, with week 53 in 2015, 2020 and 2026', () => {
    const w53 = span('2020-W53', '2020-12-28T00:00:00', '2021-01-04T00:00:00');
    expect(shown(periodContaining(at('2020-12-28T00:00:00Z'), 'week', utc))).toEqual(w53);
    expect(shown(periodContaining(at('2020-12-31T12:00:00Z'), 'week', utc))).toEqual(w53);
    expect(shown(periodContaining(at('2021-01-03T23:59:59.999Z'), 'week', utc))).toEqual(w53);
    expect(shown(periodContaining(at('2019-12-30T00:00:00Z'), 'week', utc))).toEqual(span('2020-W01', '2019-12-30T00:00:00', '2020-01-06T00:00:00'));
    expect(shown(periodContaining(at('2016-01-01T00:00:00Z'), 'week', utc))).toEqual(span('2015-W53', '2015-12-28T00:00:00', '2016-01-04T00:00:00'));
    expect(shown(periodContaining(at('2027-01-01T00:00:00Z'), 'week', utc))).toEqual(span('2026-W53', '2026-12-28T00:00:00', '2027-01-04T00:00:00'));
  });
});

describe('periodContaining: months, quarters and years', () => {
  it('cuts months at local midnight', () => {
    expect(shown(periodContaining(at('2017-03-15T00:00:00Z'), 'month', london))).toEqual(span('2017-03', '2017-03-01T00:00:00', '2017-03-31T23:00:00'));
    expect(shown(periodContaining(at('2017-11-15T00:00:00Z'), 'month', newYork))).toEqual(span('2017-11', '2017-11-01T04:00:00', '2017-12-01T05:00:00'));
  });
  it('uses calendar quarters and years when the fiscal year starts in January', () => {
    expect(shown(periodContaining(at('2017-05-15T00:00:00Z'), 'quarter', london))).toEqual(span('2017-Q2', '2017-03-31T23:00:00', '2017-06-30T23:00:00'));
    expect(shown(periodContaining(at('2017-05-15T00:00:00Z'), 'year', london))).toEqual(span('2017', '2017-01-01T00:00:00', '2018-01-01T00:00:00'));
  });
  it('names a fiscal year starting in April by the year it ends in', () => {
    expect(shown(periodContaining(at('2017-05-15T00:00:00Z'), 'quarter', fyApril))).toEqual(span('FY2018-Q1', '2017-04-01T00:00:00', '2017-07-01T00:00:00'));
    expect(shown(periodContaining(at('2017-05-15T00:00:00Z'), 'year', fyApril))).toEqual(span('FY2018', '2017-04-01T00:00:00', '2018-04-01T00:00:00'));
    expect(shown(periodContaining(at('2018-02-10T00:00:00Z'), 'quarter', fyApril))).toEqual(span('FY2018-Q4', '2018-01-01T00:00:00', '2018-04-01T00:00:00'));
    expect(shown(periodContaining(at('2017-03-31T23:59:59.999Z'), 'quarter', fyApril))).toEqual(
      span('FY2017-Q4', '2017-01-01T00:00:00', '2017-04-01T00:00:00'),
    );
    expect(shown(periodContaining(at('2017-03-31T23:59:59.999Z'), 'year', fyApril))).toEqual(span('FY2017', '2016-04-01T00:00:00', '2017-04-01T00:00:00'));
    const inLondon = { ...london, fiscalYearStartMonth: 4 };
    expect(shown(periodContaining(at('2017-05-15T00:00:00Z'), 'year', inLondon))).toEqual(span('FY2018', '2017-03-31T23:00:00', '2018-03-31T23:00:00'));
  });
  it('names a fiscal year starting in July by the year it ends in', () => {
    const q = (iso: string) => shown(periodContaining(at(iso), 'quarter', fyJuly));
    expect(q('2017-07-01T00:00:00Z')).toEqual(span('FY2018-Q1', '2017-07-01T00:00:00', '2017-10-01T00:00:00'));
    expect(q('2017-12-31T23:00:00Z')).toEqual(span('FY2018-Q2', '2017-10-01T00:00:00', '2018-01-01T00:00:00'));
    expect(q('2018-01-01T00:00:00Z')).toEqual(span('FY2018-Q3', '2018-01-01T00:00:00', '2018-04-01T00:00:00'));
    expect(q('2018-06-30T12:00:00Z')).toEqual(span('FY2018-Q4', '2018-04-01T00:00:00', '2018-07-01T00:00:00'));
    expect(q('2017-06-30T12:00:00Z')).toEqual(span('FY2017-Q4', '2017-04-01T00:00:00', '2017-07-01T00:00:00'));
    expect(shown(periodContaining(at('2017-12-31T00:00:00Z'), 'year', fyJuly))).toEqual(span('FY2018', '2017-07-01T00:00:00', '2018-07-01T00:00:00'));
  });
});

describe('shiftPeriod and previousPeriod', () => {
  const of = (iso: string, grain: Period['grain'], cal: Calendar) => periodContaining(at(iso), grain, cal);
  it('crosses year ends for every grain', () => {
    expect(shown(shiftPeriod(of('2016-12-31T12:00:00Z', 'day', london), 1, london))).toEqual(span('2017-01-01', '2017-01-01T00:00:00', '2017-01-02T00:00:00'));
    expect(previousPeriod(of('2017-01-01T12:00:00Z', 'day', london), london).label).toBe('2016-12-31');
    expect(shown(shiftPeriod(of('2020-12-31T00:00:00Z', 'week', utc), 1, utc))).toEqual(span('2021-W01', '2021-01-04T00:00:00', '2021-01-11T00:00:00'));
    expect(previousPeriod(of('2021-01-04T00:00:00Z', 'week', utc), utc).label).toBe('2020-W53');
    expect(labels([1, 2].map((n) => shiftPeriod(of('2015-12-21T00:00:00Z', 'week', utc), n, utc)))).toEqual(['2015-W53', '2016-W01']);
    expect(shiftPeriod(of('2017-12-15T00:00:00Z', 'month', utc), 1, utc).label).toBe('2018-01');
    expect(previousPeriod(of('2017-01-15T00:00:00Z', 'month', utc), utc).label).toBe('2016-12');
    expect(shiftPeriod(of('2017-03-15T00:00:00Z', 'month', utc), 13, utc).label).toBe('2018-04');
    expect(shiftPeriod(of('2017-03-15T00:00:00Z', 'month', utc), -15, utc).label).toBe('2015-12');
    expect(shiftPeriod(of('2017-11-15T00:00:00Z', 'quarter', utc), 1, utc).label).toBe('2018-Q1');
    expect(shown(shiftPeriod(of('2018-02-15T00:00:00Z', 'quarter', fyApril), 1, fyApril))).toEqual(
      span('FY2019-Q1', '2018-04-01T00:00:00', '2018-07-01T00:00:00'),
    );
    expect(shown(previousPeriod(of('2017-05-15T00:00:00Z', 'quarter', fyApril), fyApril))).toEqual(
      span('FY2017-Q4', '2017-01-01T00:00:00', '2017-04-01T00:00:00'),
    );
    expect(shiftPeriod(of('2017-05-15T00:00:00Z', 'year', utc), -2, utc).label).toBe('2015');
    expect(shown(shiftPeriod(of('2017-05-15T00:00:00Z', 'year', fyApril), 1, fyApril))).toEqual(span('FY2019', '2018-04-01T00:00:00', '2019-04-01T00:00:00'));
  });
  it('keeps local midnights across a DST change', () => {
    expect(shown(shiftPeriod(of('2017-03-22T12:00:00Z', 'week', london), 1, london))).toEqual(span('2017-W13', '2017-03-26T23:00:00', '2017-04-02T23:00:00'));
    expect(hours(previousPeriod(of('2017-03-27T12:00:00Z', 'day', london), london))).toBe(23);
    expect(shiftPeriod(of('2017-03-22T12:00:00Z', 'day', london), 0, london).label).toBe('2017-03-22');
  });
  it('refuses a fractional shift and one past the supported years', () => {
    const day = of('2017-03-22T12:00:00Z', 'day', utc);
    expect(messageOf(() => shiftPeriod(day, 0.5, utc))).toBe('[period] can only shift by a whole number of periods; got 0.5');
    expect(messageOf(() => shiftPeriod(of('2017-03-22T12:00:00Z', 'year', utc), 8000, utc))).toBe(
      '[period] that year falls outside the supported years 1000–9999',
    );
  });
});

describe('samePeriodLastYear', () => {
  const last = (text: string, cal: Calendar) => shown(samePeriodLastYear(parsePeriod(text, at('2017-01-01T00:00:00Z'), cal), cal));
  it('takes the same date, and 28 February for 29 February', () => {
    expect(last('2016-02-29', london)).toEqual(span('2015-02-28', '2015-02-28T00:00:00', '2015-03-01T00:00:00'));
    expect(last('2017-03-05', london)).toEqual(span('2016-03-05', '2016-03-05T00:00:00', '2016-03-06T00:00:00'));
    // The 23-hour day 2017-03-26 maps to an ordinary day: UK clocks changed on 27 March in 2016.
    expect(last('2017-03-26', london)).toEqual(span('2016-03-26', '2016-03-26T00:00:00', '2016-03-27T00:00:00'));
  });
  it('takes the ISO week with the same number, week 53 falling back to week 52', () => {
    expect(last('2020-W53', utc)).toEqual(span('2019-W52', '2019-12-23T00:00:00', '2019-12-30T00:00:00'));
    expect(last('2026-W53', utc)).toEqual(span('2025-W52', '2025-12-22T00:00:00', '2025-12-29T00:00:00'));
    expect(last('2016-W52', utc)).toEqual(span('2015-W52', '2015-12-21T00:00:00', '2015-12-28T00:00:00'));
    expect(last('2021-W10', utc)).toEqual(span('2020-W10', '2020-03-02T00:00:00', '2020-03-09T00:00:00'));
    expect(last('2016-W01', utc)).toEqual(span('2015-W01', '2014-12-29T00:00:00', '2015-01-05T00:00:00'));
  });
  it('goes back 12 months for months, quarters and years', () => {
    expect(last('2017-03', utc)).toEqual(span('2016-03', '2016-03-01T00:00:00', '2016-04-01T00:00:00'));
    expect(last('2017-Q1', utc)).toEqual(span('2016-Q1', '2016-01-01T00:00:00', '2016-04-01T00:00:00'));
    expect(last('FY2018-Q1', fyApril)).toEqual(span('FY2017-Q1', '2016-04-01T00:00:00', '2016-07-01T00:00:00'));
    expect(last('FY2018', fyJuly)).toEqual(span('FY2017', '2016-07-01T00:00:00', '2017-07-01T00:00:00'));
  });
});

describe('periodsBetween', () => {
  it('lists every period overlapping [from, to) in order', () => {
    const weeks = periodsBetween(at('2017-03-01T00:00:00Z'), at('2017-04-01T00:00:00Z'), 'week', london);
    expect(labels(weeks)).toEqual(['2017-W09', '2017-W10', '2017-W11', '2017-W12', '2017-W13']);
    expect(weeks[0]!.start.toISOString()).toBe('2017-02-27T00:00:00.000Z');
    expect(weeks[4]!.end.toISOString()).toBe('2017-04-02T23:00:00.000Z');
    expect(labels(periodsBetween(at('2017-02-15T00:00:00Z'), at('2017-08-01T00:00:00Z'), 'quarter', fyApril))).toEqual(['FY2017-Q4', 'FY2018-Q1', 'FY2018-Q2']);
  });
  it('excludes the period that starts exactly at `to`, and is empty when from = to', () => {
    expect(labels(periodsBetween(at('2017-03-01T00:00:00Z'), at('2017-03-04T00:00:00Z'), 'day', utc))).toEqual(['2017-03-01', '2017-03-02', '2017-03-03']);
    expect(periodsBetween(at('2017-03-01T00:00:00Z'), at('2017-03-01T00:00:00Z'), 'day', utc)).toEqual([]);
  });
  it('tiles a London year without gaps: one 23-hour and one 25-hour day', () => {
    const days = periodsBetween(at('2017-01-01T00:00:00Z'), at('2018-01-01T00:00:00Z'), 'day', london);
    expect(days).toHaveLength(365);
    expect(days.every((d, i) => i === 0 || d.start.getTime() === days[i - 1]!.end.getTime())).toBe(true);
    expect(days.filter((d) => hours(d) !== 24).map((d) => [d.label, hours(d)])).toEqual([
      ['2017-03-26', 23],
      ['2017-10-29', 25],
    ]);
  });
  it('tiles the Sao Paulo days around the skipped and the repeated midnight', () => {
    const days = periodsBetween(at('2018-11-03T12:00:00Z'), at('2018-11-05T12:00:00Z'), 'day', saoPaulo);
    expect(days.map(shown)).toEqual([
      span('2018-11-03', '2018-11-03T03:00:00', '2018-11-04T03:00:00'),
      span('2018-11-04', '2018-11-04T03:00:00', '2018-11-05T02:00:00'),
      span('2018-11-05', '2018-11-05T02:00:00', '2018-11-06T02:00:00'),
    ]);
    // On 2019-02-17 the clocks went from 00:00 -02 back to 23:00 -03, so the 16th had 25 hours.
    expect(shown(periodContaining(at('2019-02-17T02:30:00Z'), 'day', saoPaulo))).toEqual(span('2019-02-16', '2019-02-16T02:00:00', '2019-02-17T03:00:00'));
  });
  it('allows 5,000 periods and refuses 5,001', () => {
    expect(periodsBetween(at('2000-01-01T00:00:00Z'), at('2013-09-09T00:00:00Z'), 'day', utc)).toHaveLength(5000);
    expect(messageOf(() => periodsBetween(at('2000-01-01T00:00:00Z'), at('2013-09-09T00:00:00.001Z'), 'day', utc))).toBe(
      '[period] 2000-01-01T00:00:00.000Z to 2013-09-09T00:00:00.001Z spans 5001 days; at most 5000 periods are listed at once\n  fix: choose a longer grain or a shorter range',
    );
  });
  it('refuses a range that ends before it starts', () => {
    expect(messageOf(() => periodsBetween(at('2017-03-04T00:00:00Z'), at('2017-03-01T00:00:00Z'), 'day', utc))).toBe(
      '[period] range end 2017-03-01T00:00:00.000Z is before its start 2017-03-04T00:00:00.000Z\n  fix: give the earlier instant first',
    );
  });
});

describe('lastPeriods', () => {
  it('ends with the period holding asOf, oldest first', () => {
    expect(labels(lastPeriods(at('2017-01-15T00:00:00Z'), 'month', 3, utc))).toEqual(['2016-11', '2016-12', '2017-01']);
    expect(labels(lastPeriods(at('2021-01-06T00:00:00Z'), 'week', 3, utc))).toEqual(['2020-W52', '2020-W53', '2021-W01']);
    expect(labels(lastPeriods(at('2017-05-15T00:00:00Z'), 'quarter', 2, fyApril))).toEqual(['FY2017-Q4', 'FY2018-Q1']);
    expect(lastPeriods(at('2017-01-15T00:00:00Z'), 'day', 0, utc)).toEqual([]);
    expect(lastPeriods(at('2017-01-15T00:00:00Z'), 'day', 5000, utc)).toHaveLength(5000);
  });
  it('refuses a count that is negative, fractional or above 5,000', () => {
    for (const n of [-1, 1.5, 5001]) {
      expect(messageOf(() => lastPeriods(at('2017-01-15T00:00:00Z'), 'day', n, utc))).toBe(
        `[period] cannot list ${n} periods\n  fix: ask for a whole number from 0 to 5000`,
      );
    }
  });
});

describe('parsePeriod', () => {
  const asOf = at('2017-03-08T12:00:00Z'); // a Wednesday
  const today = span('2017-03-08', '2017-03-08T00:00:00', '2017-03-09T00:00:00');
  const yesterday = span('2017-03-07', '2017-03-07T00:00:00', '2017-03-08T00:00:00');
  const thisWeek = span('2017-W10', '2017-03-06T00:00:00', '2017-03-13T00:00:00');
  const lastWeek = span('2017-W09', '2017-02-27T00:00:00', '2017-03-06T00:00:00');
  const thisMonth = span('2017-03', '2017-03-01T00:00:00', '2017-03-31T23:00:00');
  const lastMonth = span('2017-02', '2017-02-01T00:00:00', '2017-03-01T00:00:00');
  const thisQuarter = span('2017-Q1', '2017-01-01T00:00:00', '2017-03-31T23:00:00');
  const lastQuarter = span('2016-Q4', '2016-09-30T23:00:00', '2017-01-01T00:00:00');
  const thisYear = span('2017', '2017-01-01T00:00:00', '2018-01-01T00:00:00');
  const lastYear = span('2016', '2016-01-01T00:00:00', '2017-01-01T00:00:00');
  const forms: [string, ReturnType<typeof span>][] = [
    ['today', today],
    ['今天', today],
    ['yesterday', yesterday],
    ['昨天', yesterday],
    ['this week', thisWeek],
    ['本周', thisWeek],
    ['last week', lastWeek],
    ['上周', lastWeek],
    ['this month', thisMonth],
    ['本月', thisMonth],
    ['last month', lastMonth],
    ['上月', lastMonth],
    ['this quarter', thisQuarter],
    ['本季度', thisQuarter],
    ['last quarter', lastQuarter],
    ['上季度', lastQuarter],
    ['this year', thisYear],
    ['今年', thisYear],
    ['last year', lastYear],
    ['去年', lastYear],
    ['2017-03-05', span('2017-03-05', '2017-03-05T00:00:00', '2017-03-06T00:00:00')],
    ['2016-02-29', span('2016-02-29', '2016-02-29T00:00:00', '2016-03-01T00:00:00')],
    ['2017-W09', lastWeek],
    ['2020-W53', span('2020-W53', '2020-12-28T00:00:00', '2021-01-04T00:00:00')],
    ['2017-03', thisMonth],
    ['2017-Q1', thisQuarter],
    ['2017', thisYear],
    // With a January fiscal year, FY2017 is the calendar year 2017.
    ['FY2017', thisYear],
    ['FY2017-Q1', thisQuarter],
  ];
  for (const [text, expected] of forms) {
    it(`reads '${text}'`, () => expect(shown(parsePeriod(text, asOf, london))).toEqual(expected));
  }
  it('ignores case, surrounding and repeated spaces, and accepts one-digit numbers', () => {
    expect(shown(parsePeriod('  LAST   Week ', asOf, london))).toEqual(lastWeek);
    expect(shown(parsePeriod('\t今年 ', asOf, london))).toEqual(thisYear);
    expect(shown(parsePeriod('2017-w09', asOf, london))).toEqual(lastWeek);
    expect(shown(parsePeriod('2017-W9', asOf, london))).toEqual(lastWeek);
    expect(shown(parsePeriod('2017-3', asOf, london))).toEqual(thisMonth);
    expect(parsePeriod('2017-3-5', asOf, london).label).toBe('2017-03-05');
    expect(shown(parsePeriod('fy2018-q1', asOf, fyApril))).toEqual(span('FY2018-Q1', '2017-04-01T00:00:00', '2017-07-01T00:00:00'));
    expect(shown(parsePeriod(' '.repeat(60) + '2017', asOf, london))).toEqual(thisYear);
  });
  it('reads fiscal labels and relative fiscal periods', () => {
    expect(shown(parsePeriod('FY2018', asOf, fyApril))).toEqual(span('FY2018', '2017-04-01T00:00:00', '2018-04-01T00:00:00'));
    expect(shown(parsePeriod('FY2018-Q4', asOf, fyApril))).toEqual(span('FY2018-Q4', '2018-01-01T00:00:00', '2018-04-01T00:00:00'));
    expect(shown(parsePeriod('FY2018-Q1', asOf, fyJuly))).toEqual(span('FY2018-Q1', '2017-07-01T00:00:00', '2017-10-01T00:00:00'));
    expect(shown(parsePeriod('this quarter', asOf, fyApril))).toEqual(span('FY2017-Q4', '2017-01-01T00:00:00', '2017-04-01T00:00:00'));
    expect(shown(parsePeriod('上季度', asOf, fyApril))).toEqual(span('FY2017-Q3', '2016-10-01T00:00:00', '2017-01-01T00:00:00'));
    expect(shown(parsePeriod('this year', asOf, fyApril))).toEqual(span('FY2017', '2016-04-01T00:00:00', '2017-04-01T00:00:00'));
    expect(shown(parsePeriod('去年', asOf, fyApril))).toEqual(span('FY2016', '2015-04-01T00:00:00', '2016-04-01T00:00:00'));
  });
  it('reads relative periods in the calendar time zone and across the year end', () => {
    const lateEvening = at('2017-03-08T23:30:00Z'); // 07:30 on the 9th in Shanghai
    expect(shown(parsePeriod('today', lateEvening, shanghai))).toEqual(span('2017-03-09', '2017-03-08T16:00:00', '2017-03-09T16:00:00'));
    expect(parsePeriod('昨天', lateEvening, shanghai).label).toBe('2017-03-08');
    const newYearsDay = at('2017-01-01T12:00:00Z');
    const read = (text: string) => parsePeriod(text, newYearsDay, london).label;
    expect(['yesterday', 'this week', 'last week', 'last month', 'this quarter', 'last quarter', 'last year'].map(read)).toEqual([
      '2016-12-31',
      '2016-W52',
      '2016-W51',
      '2016-12',
      '2017-Q1',
      '2016-Q4',
      '2016',
    ]);
  });

  const ACCEPTED =
    '\n  fix: use today, yesterday, this|last week|month|quarter|year, 今天, 昨天, 本周, 上周, 本月, 上月, 本季度, 上季度, 今年, 去年, ' +
    'or a label: 2017-03-05, 2017-W09, 2017-03, 2017-Q1, 2017, FY2018, FY2018-Q1';
  const errors: [string, Calendar, string][] = [
    ['xyz', london, `[period] unknown period 'xyz'${ACCEPTED}`],
    [' last 7 days ', london, `[period] unknown period 'last 7 days'${ACCEPTED}`],
    ['FY2018-03', london, `[period] unknown period 'FY2018-03'${ACCEPTED}`],
    ['2017-Q1-05', london, `[period] unknown period '2017-Q1-05'${ACCEPTED}`],
    ['  ', london, `[period] no period given${ACCEPTED}`],
    ['x'.repeat(65), london, `[period] period text is too long (65 characters; at most 64)${ACCEPTED}`],
    ['2017-02-30', london, "[period] '2017-02-30' is not a date: February 2017 has 28 days"],
    ['2017-02-29', london, "[period] '2017-02-29' is not a date: February 2017 has 28 days"],
    ['2016-02-30', london, "[period] '2016-02-30' is not a date: February 2016 has 29 days"],
    ['2017-04-31', london, "[period] '2017-04-31' is not a date: April 2017 has 30 days"],
    ['2017-13-01', london, "[period] '2017-13-01' is not a date: months run 01–12"],
    ['2017-13', london, "[period] '2017-13' is not a month: months run 01–12"],
    ['2017-00', london, "[period] '2017-00' is not a month: months run 01–12"],
    ['2017-W54', london, "[period] '2017-W54' is not a week: 2017 has ISO weeks W01–W52"],
    ['2017-W53', london, "[period] '2017-W53' is not a week: 2017 has ISO weeks W01–W52"],
    ['2020-W00', london, "[period] '2020-W00' is not a week: 2020 has ISO weeks W01–W53"],
    ['2017-Q5', london, "[period] '2017-Q5' is not a quarter: quarters run Q1–Q4"],
    ['FY2018-Q0', fyApril, "[period] 'FY2018-Q0' is not a quarter: quarters run Q1–Q4"],
    ['0999', london, "[period] '0999' is outside the supported years 1000–9999"],
    [
      '2017-Q1',
      fyApril,
      "[period] '2017-Q1' is a calendar quarter, but quarters here follow the fiscal year starting in April\n  fix: name fiscal quarters by the year they end in, e.g. FY2017-Q4 (Jan–Mar 2017)",
    ],
    [
      '2017-Q3',
      fyJuly,
      "[period] '2017-Q3' is a calendar quarter, but quarters here follow the fiscal year starting in July\n  fix: name fiscal quarters by the year they end in, e.g. FY2018-Q1 (Jul–Sep 2017)",
    ],
    [
      '2017',
      fyApril,
      "[period] '2017' is a calendar year, but years here follow the fiscal year starting in April\n  fix: name fiscal years by the year they end in, e.g. FY2017 (Apr 2016–Mar 2017)",
    ],
  ];
  for (const [text, cal, message] of errors) {
    it(`refuses '${text.length > 20 ? `${text.slice(0, 20)}…` : text}' (fiscal year from month ${cal.fiscalYearStartMonth})`, () => {
      expect(messageOf(() => parsePeriod(text, asOf, cal))).toBe(message);
    });
  }
});

describe('formatRange', () => {
  const asOf = at('2017-03-08T12:00:00Z');
  const text = (label: string, cal: Calendar) => formatRange(parsePeriod(label, asOf, cal), cal);
  it('writes days and weeks with weekday names', () => {
    expect(text('2017-03-05', london)).toBe('Sun 5 Mar 2017');
    expect(text('2017-W09', london)).toBe('Mon 27 Feb – Sun 5 Mar 2017');
    expect(text('2020-W53', utc)).toBe('Mon 28 Dec 2020 – Sun 3 Jan 2021');
    // Sunday 22:00 in New York is Monday 03:00 UTC; the text follows the calendar's zone.
    expect(formatRange(periodContaining(at('2017-03-06T03:00:00Z'), 'day', newYork), newYork)).toBe('Sun 5 Mar 2017');
  });
  it('writes months, quarters and years', () => {
    expect(text('2017-03', london)).toBe('March 2017');
    expect(text('2017-Q1', london)).toBe('Q1 2017');
    expect(text('2017', london)).toBe('2017');
    expect(text('FY2018-Q1', fyApril)).toBe('FY2018 Q1 (Apr–Jun 2017)');
    expect(text('FY2018-Q4', fyApril)).toBe('FY2018 Q4 (Jan–Mar 2018)');
    expect(text('FY2018-Q1', fyNovember)).toBe('FY2018 Q1 (Nov 2017–Jan 2018)');
    expect(text('FY2018', fyApril)).toBe('FY2018 (Apr 2017–Mar 2018)');
  });
});
