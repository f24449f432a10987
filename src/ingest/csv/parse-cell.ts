import type { FieldType, StoredValue } from '../../domain/crm-objects.ts';
import { zonedToUtc } from '../../lib/zoned-time.ts';
import type { DATE_FORMATS } from '../../config/config-schema.ts';
import { parseNumberText, PLAIN_NUMBERS, type NumberFormat } from './parse-number.ts';

/** A cell that cannot become its field's type; the message says what was found and expected. */
export class CellError extends Error {}

/** Date format of a cell. */
export type DateFormat = (typeof DATE_FORMATS)[number];

const INT = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const DMY = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f']);

/**
 * Converts a trimmed, non-empty cell to a field value.
 * @example parseCell('2017-03-01', 'date', 'iso', 'UTC') // Date 2017-03-01T00:00:00Z
 */
export function parseCell(text: string, type: FieldType, format: DateFormat, timeZone: string, numbers: NumberFormat = PLAIN_NUMBERS): StoredValue {
  switch (type) {
    case 'string':
      return text;
    case 'int': {
      if (!INT.test(text)) {
        // Written for people (1,200, 1.200 with a decimal comma): read it, but only as a whole number.
        const n = grouped(text, numbers, `'${clip(text)}' is not a whole number`);
        if (!Number.isSafeInteger(n)) throw new CellError(`'${clip(text)}' is not a whole number`);
        return n;
      }
      // Past 2^53 a whole number is silently rounded; past 1e308 it becomes Infinity.
      const n = Number(text);
      if (!Number.isSafeInteger(n)) throw new CellError(`'${clip(text)}' is too large a whole number (at most ${Number.MAX_SAFE_INTEGER})`);
      return n;
    }
    case 'number': {
      if (!NUMBER.test(text) || (numbers.decimal === ',' && text.includes('.'))) return grouped(text, numbers, `'${clip(text)}' is not a number`);
      // 1e999 or 400 digits parse as Infinity, which no KPI can add up.
      const n = Number(text);
      if (!Number.isFinite(n)) throw new CellError(`'${clip(text)}' is too large a number`);
      return n;
    }
    case 'bool': {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      throw new CellError(`'${clip(text)}' is not true/false`);
    }
    case 'date':
    case 'datetime':
      return parseDate(text, format, timeZone);
  }
}

/** A number with separators or a currency sign; plain digits that fit no number format get `fallback`. */
function grouped(text: string, numbers: NumberFormat, fallback: string): number {
  if (!/\d/.test(text)) throw new CellError(fallback);
  return parseNumberText(text, numbers);
}

function parseDate(text: string, format: DateFormat, timeZone: string): Date {
  if (format === 'unix' || format === 'unix_ms') {
    if (!NUMBER.test(text)) throw new CellError(`'${clip(text)}' is not a ${format} timestamp`);
    return new Date(Number(text) * (format === 'unix' ? 1000 : 1));
  }
  let y: number,
    mo: number,
    d: number,
    h = 0,
    mi = 0,
    s = 0,
    ms = 0;
  let offset: string | undefined;
  if (format === 'iso') {
    const m = ISO.exec(text);
    if (!m) throw new CellError(`'${clip(text)}' is not a date in the form YYYY-MM-DD[ HH:MM[:SS]]`);
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    h = Number(m[4] ?? 0);
    mi = Number(m[5] ?? 0);
    s = Number(m[6] ?? 0);
    ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    offset = m[8];
  } else {
    const m = DMY.exec(text);
    if (!m) throw new CellError(`'${clip(text)}' is not a date in the form ${format}`);
    const [a, b] = [Number(m[1]), Number(m[2])];
    [d, mo] = format === 'MM/DD/YYYY' ? [b, a] : [a, b];
    y = Number(m[3]);
    h = Number(m[4] ?? 0);
    mi = Number(m[5] ?? 0);
    s = Number(m[6] ?? 0);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw new CellError(`'${clip(text)}' is not a real date or time`);
  }
  if (offset) {
    const sign = offset === 'Z' ? 0 : offset.startsWith('-') ? -1 : 1;
    const digits = offset.replace(/[^0-9]/g, '');
    const minutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - minutes * 60_000);
  }
  return zonedToUtc({ year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms }, timeZone);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
