import { CellError } from './parse-cell.ts';

/** How a file writes numbers: its decimal mark, its thousands separator, the currency of its money. */
export interface NumberFormat {
  /** '.' (1,200.50) or ',' (1.200,50) */
  readonly decimal: '.' | ',';
  /** the thousands separator; '' when the file uses none */
  readonly thousands: string;
  /** ISO 4217 code whose symbol or code may stand before or after a number (`$1,200.50`, `1.200,50 €`) */
  readonly currency?: string | undefined;
}

/** The default: 1,200.50, no currency sign. */
export const PLAIN_NUMBERS: NumberFormat = { decimal: '.', thousands: ',' };

/** Symbols of common currencies; a code (USD, EUR) is accepted too. */
const SYMBOLS: Readonly<Record<string, readonly string[]>> = {
  USD: ['$', 'US$'],
  EUR: ['€'],
  GBP: ['£'],
  JPY: ['¥', '円'],
  CNY: ['¥', '￥', '元', 'CN¥', 'RMB'],
  INR: ['₹'],
  KRW: ['₩'],
  CHF: ['Fr.', 'CHF'],
  AUD: ['A$', '$'],
  CAD: ['C$', '$'],
  BRL: ['R$'],
  RUB: ['₽'],
  SEK: ['kr'],
  NOK: ['kr'],
  DKK: ['kr'],
};

/** The symbol crm-pulse writes for a currency: `$`, `€`, or the code itself. */
export function currencySymbol(code: string): string {
  return { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CNY: '¥', INR: '₹', KRW: '₩' }[code] ?? code;
}

const SIGN_OR_SYMBOL = /^([-+]?)\s*([^\d\s.,+-][^\d\s]*)?\s*([-+]?)([\d.,' \u00a0\u202f]+)\s*([^\d\s.,]+)?$/u;

/**
 * Reads a number written for people: thousands separators, a decimal comma, a currency sign or
 * code of the file's currency. A separator in the wrong place (`1,20`), or a currency that is not
 * the file's, is an error, never a silently different number.
 * @example parseNumberText('$1,200.50', { decimal: '.', thousands: ',', currency: 'USD' }) // 1200.5
 * @example parseNumberText('1.200,50', { decimal: ',', thousands: '.' }) // 1200.5
 */
export function parseNumberText(text: string, format: NumberFormat): number {
  const m = SIGN_OR_SYMBOL.exec(text);
  if (!m) throw new CellError(`'${clip(text)}' is not a number`);
  const [, sign1, before, sign2, body, after] = m;
  const mark = before ?? after;
  if (before && after) throw new CellError(`'${clip(text)}' is not a number`);
  if (mark !== undefined && !isCurrencyMark(mark)) throw new CellError(`'${clip(text)}' is not a number`);
  if (mark !== undefined) checkCurrency(mark, text, format.currency);
  if (sign1 && sign2) throw new CellError(`'${clip(text)}' is not a number`);
  const digits = unGroup(body!.replace(/[\u00a0\u202f]/g, ' ').trim(), format, text);
  const n = Number(`${sign1 || sign2}${digits}`);
  if (!Number.isFinite(n)) throw new CellError(`'${clip(text)}' is too large a number`);
  return n;
}

/** The number with its separators removed and a '.' decimal point, or an error naming the problem. */
function unGroup(body: string, format: NumberFormat, text: string): string {
  const { decimal, thousands } = format;
  const parts = body.split(decimal);
  if (parts.length > 2) throw new CellError(`'${clip(text)}' has more than one decimal mark '${decimal}'`);
  const [whole, fraction] = parts as [string, string | undefined];
  if (fraction !== undefined && !/^\d*$/.test(fraction)) throw new CellError(`'${clip(text)}' is not a number (decimal mark '${decimal}')`);
  let integer = whole;
  if (thousands && whole.includes(thousands)) {
    const groups = whole.split(thousands);
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) {
      throw new CellError(
        `'${clip(text)}' has the thousands separator '${thousands}' in the wrong place (decimal mark '${decimal}'); set number_format for this file if it writes numbers another way`,
      );
    }
    integer = groups.join('');
  }
  if (!/^\d*$/.test(integer) || (integer === '' && !fraction)) {
    throw new CellError(`'${clip(text)}' is not a number (decimal mark '${decimal}'${thousands ? `, thousands '${thousands}'` : ''})`);
  }
  return fraction === undefined ? integer : `${integer || '0'}.${fraction}`;
}

/** A currency symbol of the table, or a three-letter code in capitals. */
function isCurrencyMark(mark: string): boolean {
  return /^[A-Z]{3}$/.test(mark) || Object.values(SYMBOLS).some((symbols) => symbols.includes(mark));
}

function checkCurrency(mark: string, text: string, currency: string | undefined): void {
  const upper = mark.toUpperCase();
  if (currency && (upper === currency || (SYMBOLS[currency] ?? []).includes(mark))) return;
  if (!currency) {
    const guess = Object.entries(SYMBOLS).find(([code, symbols]) => code === upper || symbols.includes(mark))?.[0];
    throw new CellError(`'${clip(text)}' carries a currency sign '${mark}'; set currency: ${guess ?? '<ISO code>'} on the source so that it is read as money`);
  }
  throw new CellError(`'${clip(text)}' is not in the source's currency ${currency}`);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
