import type { KpiUnit } from '../domain/kpi.ts';

/**
 * A KPI value as people read it: 41.3% for percent, 1,234,567 for currency, 12.4 for durations.
 * @example formatKpiValue(0.4127, 'percent') // '41.3%'
 */
export function formatKpiValue(value: number | null, unit: KpiUnit, currency?: string): string {
  if (value === null) return '–';
  switch (unit) {
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'currency':
      return withCurrency(Math.round(value).toLocaleString('en-US'), currency);
    case 'duration':
    case 'score':
      return value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    case 'count':
      return Math.round(value).toLocaleString('en-US');
  }
}

/** A change between two values: percentage points for percents, otherwise in the unit, signed. */
export function formatKpiChange(change: number | null, unit: KpiUnit, currency?: string): string {
  if (change === null) return '–';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const magnitude = Math.abs(change);
  return unit === 'percent' ? `${sign}${(magnitude * 100).toFixed(1)} pp` : `${sign}${formatKpiValue(magnitude, unit, currency)}`;
}

/** Signs written before the amount, the same in English and Chinese answers; other codes follow it. */
const CURRENCY_SIGNS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CNY: '¥', INR: '₹', KRW: '₩' };

/**
 * Money with its currency: $1,200 for a currency with a sign, 1,200 SEK for the others, and the
 * bare amount when the currency is unknown.
 * @example withCurrency('1,200', 'EUR') // '€1,200'
 */
export function withCurrency(amount: string, currency: string | undefined): string {
  if (!currency) return amount;
  const sign = CURRENCY_SIGNS[currency];
  return sign ? `${sign}${amount}` : `${amount} ${currency}`;
}

/** A sample size n as people read it: 1,234; '–' when there is none. */
export function formatSampleSize(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US');
}
