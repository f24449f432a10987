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

/** Money with its currency (kept here too: kpi's callers import it from this file). */
export { withCurrency } from '../lib/with-currency.ts';

/** A sample size n as people read it: 1,234; '–' when there is none. */
export function formatSampleSize(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US');
}
