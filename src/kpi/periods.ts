import type { Calendar, Grain, Period } from '../domain/period.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { wallTimeIn } from '../lib/zoned-time.ts';
import { isoWeekday, isoWeekOf, isoWeeksInYear, isoWeekStart } from './iso-week.ts';
import { civil, dayNumber, fiscalStart, fiscalYearOf, fiscalYearStartKey, mod, monthSpan, monthsIntoFiscalYear, MONTHS } from './fiscal-months.ts';
import { PERIOD_WORDS } from './period-words.ts';
import { startOfLocalDay, type CivilDate } from './start-of-local-day.ts';

/** The most periods one call returns; more is almost always a grain picked by mistake. */
export const MAX_PERIODS = 5000;

/** The longest period text parsePeriod reads; every accepted form is far shorter. */
export const MAX_PERIOD_TEXT = 64;

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const ACCEPTED =
  'use today, yesterday, this|last week|month|quarter|year, 今天, 昨天, 本周, 上周, 本月, 上月, 本季度, 上季度, 今年, 去年, ' +
  'or a label: 2017-03-05, 2017-W09, 2017-03, 2017-Q1, 2017, FY2018, FY2018-Q1';

// A period is known by a key that shifting only adds to: for days and weeks, its first day counted
// from 1970-01-01; for months, quarters and years, its first month counted from January of year 0.
const STEP: Record<Grain, number> = { day: 1, week: 7, month: 1, quarter: 3, year: 12 };

/**
 * The period of `grain` holding `instant`, cut at local midnights in `cal.timeZone`.
 * @example periodContaining(new Date('2017-03-05T12:00:00Z'), 'week', { timeZone: 'Europe/London', fiscalYearStartMonth: 1 })
 * // { grain: 'week', start: 2017-02-27T00:00:00.000Z, end: 2017-03-06T00:00:00.000Z, label: '2017-W09' }
 */
export function periodContaining(instant: Date, grain: Grain, cal: Calendar): Period {
  return periodAt(grain, keyContaining(instant, grain, cal), cal);
}

/**
 * The period `n` periods after `p` (before it when `n` is negative).
 * @example shiftPeriod(periodContaining(new Date('2017-12-15'), 'month', cal), 1, cal).label // '2018-01'
 */
export function shiftPeriod(p: Period, n: number, cal: Calendar): Period {
  if (!Number.isSafeInteger(n)) throw usage(`[period] can only shift by a whole number of periods; got ${n}`);
  if (p.range) {
    const first = keyContaining(p.start, 'day', cal);
    const days = keyContaining(new Date(p.end.getTime() - 1), 'day', cal) - first + 1;
    return rangeOfDays(first + n * days, first + n * days + days - 1, cal);
  }
  return periodAt(p.grain, keyContaining(p.start, p.grain, cal) + n * STEP[p.grain], cal);
}

/** The period just before `p`. */
export function previousPeriod(p: Period, cal: Calendar): Period {
  return shiftPeriod(p, -1, cal);
}

/**
 * The period a year before `p`: the same date (29 February → 28 February), the ISO week with the
 * same number (week 53 → week 52 when the year before has none), or 12 months earlier.
 * @example samePeriodLastYear(parsePeriod('2020-W53', now, cal), cal).label // '2019-W52'
 */
export function samePeriodLastYear(p: Period, cal: Calendar): Period {
  if (p.range) {
    const yearBefore = (dn: number) => {
      const d = civil(dn);
      return dayNumber({ year: d.year - 1, month: d.month, day: d.month === 2 && d.day === 29 ? 28 : d.day });
    };
    return rangeOfDays(yearBefore(keyContaining(p.start, 'day', cal)), yearBefore(keyContaining(new Date(p.end.getTime() - 1), 'day', cal)), cal);
  }
  const key = keyContaining(p.start, p.grain, cal);
  if (p.grain === 'day') {
    const d = civil(key);
    return periodAt('day', dayNumber({ year: d.year - 1, month: d.month, day: d.month === 2 && d.day === 29 ? 28 : d.day }), cal);
  }
  if (p.grain === 'week') {
    const { year, week } = isoWeekOf(key);
    return periodAt('week', isoWeekStart(year - 1, Math.min(week, isoWeeksInYear(year - 1))), cal);
  }
  return periodAt(p.grain, key - 12, cal);
}

/**
 * The days from `from` to `to` (both included, local days of `cal`) as one period.
 * @example rangePeriod(new Date('2010-12-01T12:00:00Z'), new Date('2011-12-09T12:00:00Z'), cal).label // '2010-12-01..2011-12-09'
 */
export function rangePeriod(from: Date, to: Date, cal: Calendar): Period {
  const [a, b] = [keyContaining(from, 'day', cal), keyContaining(to, 'day', cal)];
  if (b < a) throw usage(`[period] the range ends (${labelOf('day', b, cal)}) before it starts (${labelOf('day', a, cal)})`, 'give the earlier date first');
  if (b - a + 1 > MAX_PERIODS) throw usage(`[period] a range of ${b - a + 1} days is too long; at most ${MAX_PERIODS} days`);
  return rangeOfDays(a, b, cal);
}

function rangeOfDays(first: number, last: number, cal: Calendar): Period {
  const [a, b] = [periodAt('day', first, cal), periodAt('day', last, cal)];
  return { grain: 'day', start: a.start, end: b.end, label: `${a.label}..${b.label}`, range: true };
}

/**
 * Every period of `grain` overlapping [from, to), oldest first; at most MAX_PERIODS of them.
 * @example periodsBetween(new Date('2017-01-15T00:00:00Z'), new Date('2017-03-01T00:00:00Z'), 'month', cal).map((p) => p.label) // ['2017-01', '2017-02']
 */
export function periodsBetween(from: Date, to: Date, grain: Grain, cal: Calendar): Period[] {
  const first = keyContaining(from, grain, cal);
  checkInstant(to);
  if (to.getTime() < from.getTime()) {
    throw usage(`[period] range end ${to.toISOString()} is before its start ${from.toISOString()}`, 'give the earlier instant first');
  }
  if (to.getTime() === from.getTime()) return [];
  const count = (keyContaining(new Date(to.getTime() - 1), grain, cal) - first) / STEP[grain] + 1;
  if (count > MAX_PERIODS) {
    throw usage(
      `[period] ${from.toISOString()} to ${to.toISOString()} spans ${count} ${grain}s; at most ${MAX_PERIODS} periods are listed at once`,
      'choose a longer grain or a shorter range',
    );
  }
  return run(grain, first, count, cal);
}

/**
 * The `n` periods of `grain` ending with the one holding `asOf`, oldest first.
 * @example lastPeriods(new Date('2017-01-15T00:00:00Z'), 'month', 3, cal).map((p) => p.label) // ['2016-11', '2016-12', '2017-01']
 */
export function lastPeriods(asOf: Date, grain: Grain, n: number, cal: Calendar): Period[] {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_PERIODS) {
    throw usage(`[period] cannot list ${n} periods`, `ask for a whole number from 0 to ${MAX_PERIODS}`);
  }
  return run(grain, keyContaining(asOf, grain, cal) - (n - 1) * STEP[grain], n, cal);
}

/**
 * Reads a period as people type it in /kpi, relative to `asOf` in `cal.timeZone`: a relative word
 * of PERIOD_WORDS (`today`, `yesterday`, `this|last week|month|quarter|year`, their synonyms and
 * Simplified Chinese forms: `上周`, `上个月`), or a label (`2017-03-05`, `2017-W09`, `2017-03`, `2017-Q1`, `2017`, `FY2018`, `FY2018-Q1`).
 * Case and surrounding spaces do not matter.
 * @example parsePeriod('last week', new Date('2017-03-08T12:00:00Z'), cal).label // '2017-W09'
 */
export function parsePeriod(text: string, asOf: Date, cal: Calendar): Period {
  if (text.length > MAX_PERIOD_TEXT) {
    throw usage(`[period] period text is too long (${text.length} characters; at most ${MAX_PERIOD_TEXT})`, ACCEPTED);
  }
  const shown = text.trim().replace(/\s+/g, ' ');
  const t = shown.toLowerCase();
  if (t === '') throw usage('[period] no period given', ACCEPTED);
  const relative = PERIOD_WORDS.get(t);
  if (relative) {
    const [grain, offset] = relative;
    return periodAt(grain, keyContaining(asOf, grain, cal) + offset * STEP[grain], cal);
  }
  const p = parseLabel(t, shown, cal);
  if (!p) throw usage(`[period] unknown period '${shown}'`, ACCEPTED);
  return p;
}

/**
 * English text for `p` in `cal.timeZone`: `Sun 5 Mar 2017`, `Mon 27 Feb – Sun 5 Mar 2017`,
 * `March 2017`, `Q1 2017` or `FY2018 Q1 (Apr–Jun 2017)`, `2017` or `FY2018 (Apr 2017–Mar 2018)`.
 * @example formatRange(parsePeriod('2017-W09', now, cal), cal) // 'Mon 27 Feb – Sun 5 Mar 2017'
 */
export function formatRange(p: Period, cal: Calendar): string {
  if (p.range) {
    const [a, b] = [keyContaining(p.start, 'day', cal), keyContaining(new Date(p.end.getTime() - 1), 'day', cal)];
    return `${dayText(a, civil(a).year !== civil(b).year)} – ${dayText(b, true)}`;
  }
  const key = keyContaining(p.start, p.grain, cal);
  switch (p.grain) {
    case 'day':
      return dayText(key, true);
    case 'week':
      return `${dayText(key, civil(key).year !== civil(key + 6).year)} – ${dayText(key + 6, true)}`;
    case 'month':
      return `${MONTHS[mod(key, 12)]} ${Math.floor(key / 12)}`;
    case 'quarter': {
      const q = monthsIntoFiscalYear(key, cal) / 3 + 1;
      if (fiscalStart(cal) === 1) return `Q${q} ${Math.floor(key / 12)}`;
      return `FY${fiscalYearOf(key, cal)} Q${q} (${monthSpan(key, key + 2)})`;
    }
    case 'year':
      return fiscalStart(cal) === 1 ? `${Math.floor(key / 12)}` : `FY${fiscalYearOf(key, cal)} (${monthSpan(key, key + 11)})`;
  }
}

function parseLabel(t: string, shown: string, cal: Calendar): Period | undefined {
  const m = /^(fy)?(\d{4})(?:-(?:(w)|(q))?(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(t);
  if (!m) return undefined;
  const [, fy, yearText, w, q, a, b] = m;
  const year = Number(yearText);
  const n = Number(a);
  if (year < 1000) throw usage(`[period] '${shown}' is outside the supported years 1000–9999`);
  if (fy && (w || (a !== undefined && !q))) return undefined;
  if ((w || q) && b !== undefined) return undefined;
  if (w) {
    const weeks = isoWeeksInYear(year);
    if (n < 1 || n > weeks) throw usage(`[period] '${shown}' is not a week: ${year} has ISO weeks W01–W${weeks}`);
    return periodAt('week', isoWeekStart(year, n), cal);
  }
  if (q) {
    if (n < 1 || n > 4) throw usage(`[period] '${shown}' is not a quarter: quarters run Q1–Q4`);
    if (!fy && fiscalStart(cal) !== 1) throw calendarNotFiscal(shown, 'quarter', year * 12 + (n - 1) * 3, cal);
    return periodAt('quarter', fiscalYearStartKey(year, cal) + (n - 1) * 3, cal);
  }
  if (a === undefined) {
    if (!fy && fiscalStart(cal) !== 1) throw calendarNotFiscal(shown, 'year', year * 12, cal);
    return periodAt('year', fiscalYearStartKey(year, cal), cal);
  }
  if (n < 1 || n > 12) throw usage(`[period] '${shown}' is not a ${b === undefined ? 'month' : 'date'}: months run 01–12`);
  if (b === undefined) return periodAt('month', year * 12 + n - 1, cal);
  const day = Number(b);
  const days = new Date(Date.UTC(year, n, 0)).getUTCDate();
  if (day < 1 || day > days) throw usage(`[period] '${shown}' is not a date: ${MONTHS[n - 1]} ${year} has ${days} days`);
  return periodAt('day', dayNumber({ year, month: n, day }), cal);
}

// A calendar quarter or year is not a period when the fiscal year starts later; say which one is meant.
function calendarNotFiscal(shown: string, grain: 'quarter' | 'year', month: number, cal: Calendar): CrmPulseError {
  const key = grain === 'quarter' ? month - (monthsIntoFiscalYear(month, cal) % 3) : month - monthsIntoFiscalYear(month, cal);
  const example = `${periodAt(grain, key, cal).label} (${monthSpan(key, key + STEP[grain] - 1)})`;
  return usage(
    `[period] '${shown}' is a calendar ${grain}, but ${grain}s here follow the fiscal year starting in ${MONTHS[fiscalStart(cal) - 1]}`,
    `name fiscal ${grain}s by the year they end in, e.g. ${example}`,
  );
}

function run(grain: Grain, firstKey: number, count: number, cal: Calendar): Period[] {
  return Array.from({ length: count }, (_, i) => periodAt(grain, firstKey + i * STEP[grain], cal));
}

function periodAt(grain: Grain, key: number, cal: Calendar): Period {
  const first = firstDay(grain, key);
  if (!(first.year >= 1000 && first.year <= 9999)) throw usage(`[period] that ${grain} falls outside the supported years 1000–9999`);
  return {
    grain,
    start: startOfLocalDay(first, cal.timeZone),
    end: startOfLocalDay(firstDay(grain, key + STEP[grain]), cal.timeZone),
    label: labelOf(grain, key, cal),
  };
}

function labelOf(grain: Grain, key: number, cal: Calendar): string {
  const fy = fiscalStart(cal) === 1 ? `${fiscalYearOf(key, cal)}` : `FY${fiscalYearOf(key, cal)}`;
  switch (grain) {
    case 'day': {
      const d = civil(key);
      return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
    }
    case 'week': {
      const w = isoWeekOf(key);
      return `${w.year}-W${pad2(w.week)}`;
    }
    case 'month':
      return `${Math.floor(key / 12)}-${pad2(mod(key, 12) + 1)}`;
    case 'quarter':
      return `${fy}-Q${monthsIntoFiscalYear(key, cal) / 3 + 1}`;
    case 'year':
      return fy;
  }
}

function keyContaining(instant: Date, grain: Grain, cal: Calendar): number {
  checkInstant(instant);
  if (!Object.hasOwn(STEP, grain)) throw usage(`[period] unknown grain '${grain}'`, 'use day, week, month, quarter or year');
  const { year, month, day } = wallTimeIn(instant, cal.timeZone);
  const dn = dayNumber({ year, month, day });
  if (grain === 'day') return dn;
  if (grain === 'week') return dn - isoWeekday(dn);
  const m = year * 12 + month - 1;
  if (grain === 'month') return m;
  return m - (grain === 'quarter' ? monthsIntoFiscalYear(m, cal) % 3 : monthsIntoFiscalYear(m, cal));
}

function firstDay(grain: Grain, key: number): CivilDate {
  return grain === 'day' || grain === 'week' ? civil(key) : { year: Math.floor(key / 12), month: mod(key, 12) + 1, day: 1 };
}

function dayText(dn: number, withYear: boolean): string {
  const d = civil(dn);
  return `${WEEKDAYS[isoWeekday(dn)]} ${d.day} ${MONTHS[d.month - 1]!.slice(0, 3)}${withYear ? ` ${d.year}` : ''}`;
}

function checkInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw usage(`[period] not a valid instant: ${String(instant)}`);
}

function usage(message: string, hint?: string): CrmPulseError {
  return new CrmPulseError('usage', message, { hint });
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
