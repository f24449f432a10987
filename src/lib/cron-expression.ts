/** A parsed five-field cron expression: the allowed values of each field. */
export interface CronExpression {
  readonly text: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is read as Sunday) */
  readonly weekdays: ReadonlySet<number>;
  /** the day-of-month field is not `*`: with a restricted weekday too, either one matching is enough (POSIX cron) */
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
  /** the hour field is `*`: such a job runs in both passes of an hour repeated when clocks go back */
  readonly everyHour: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, offset: 0 },
] as const;

/**
 * Parses a five-field cron expression (minute hour day-of-month month day-of-week) with `*`,
 * lists, ranges, steps and English month and weekday names; throws an Error saying which field
 * is wrong. Seconds are not supported: ticks are whole minutes.
 * @example parseCron('0 8 * * mon-fri').hours // Set { 8 }
 */
export function parseCron(text: string): CronExpression {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`'${text}' has ${parts.length} fields; write five: minute hour day-of-month month day-of-week, e.g. '0 * * * *'`);
  const sets = parts.map((part, i) => parseField(part, FIELDS[i]!, text));
  const weekdays = new Set([...sets[4]!].map((d) => d % 7));
  return {
    text,
    minutes: sets[0]!,
    hours: sets[1]!,
    days: sets[2]!,
    months: sets[3]!,
    weekdays,
    daysRestricted: parts[2] !== '*',
    weekdaysRestricted: parts[4] !== '*',
    everyHour: parts[1] === '*',
  };
}

/** Whether a wall-clock date and time (month 1–12, weekday 0 = Sunday) matches the expression. */
export function cronMatches(cron: CronExpression, w: { month: number; day: number; weekday: number; hour: number; minute: number }): boolean {
  if (!cron.minutes.has(w.minute) || !cron.hours.has(w.hour) || !cron.months.has(w.month)) return false;
  const day = cron.days.has(w.day);
  const weekday = cron.weekdays.has(w.weekday);
  if (cron.daysRestricted && cron.weekdaysRestricted) return day || weekday;
  return day && weekday;
}

function parseField(part: string, field: (typeof FIELDS)[number], text: string): Set<number> {
  const out = new Set<number>();
  const bad = (why: string) => new Error(`'${text}': ${field.name} '${part}' ${why}`);
  const value = (s: string) => {
    const names = 'names' in field ? (field.names as readonly string[]) : [];
    const named = names.indexOf(s.toLowerCase());
    const n = named >= 0 ? named + ('offset' in field ? field.offset : 0) : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < field.min || n > field.max) throw bad(`is not a value from ${field.min} to ${field.max}`);
    return n;
  };
  for (const item of part.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') throw bad('is not a list of values, ranges and steps');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad('has a step that is not a positive whole number');
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [field.min, field.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a ?? ''), value(b ?? '')];
      if (from > to) throw bad('has a range that runs backwards');
    } else [from, to] = [value(range), stepText === undefined ? value(range) : field.max];
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}
