import type { KpiUnit } from '../domain/kpi.ts';
import { withCurrency } from '../lib/with-currency.ts';

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
      return withCurrency(whole().format(Math.round(value)), currency);
    case 'duration':
    case 'score':
      return oneDecimal().format(value);
    case 'count':
      return whole().format(Math.round(value));
  }
}

// Made once, on first use: toLocaleString builds a formatter on each call, and a tick formats every
// series it judges; made at import, they would load ICU's number data for `crm-pulse --help` too.
let wholeFormat: Intl.NumberFormat | undefined;
let oneDecimalFormat: Intl.NumberFormat | undefined;
const whole = () => (wholeFormat ??= new Intl.NumberFormat('en-US'));
const oneDecimal = () => (oneDecimalFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }));

/** A change between two values: percentage points for percents, otherwise in the unit, signed. */
export function formatKpiChange(change: number | null, unit: KpiUnit, currency?: string): string {
  if (change === null) return '–';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const magnitude = Math.abs(change);
  return unit === 'percent' ? `${sign}${(magnitude * 100).toFixed(1)} pp` : `${sign}${formatKpiValue(magnitude, unit, currency)}`;
}

/** Money with its currency (kept here too: kpi's callers import it from this file). */
export { withCurrency } from '../lib/with-currency.ts';

/** A sample size n as people read it: 1,234; '–' when there is none. */
export function formatSampleSize(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : whole().format(Math.round(n));
}
