// The same conventions as kpi/format-kpi-value.ts (charts may import only domain and lib, so the
// few lines are repeated here; test/charts/format-chart-value.test.ts keeps the two in step).
import type { KpiUnit } from '../domain/kpi.ts';
import { withCurrency } from '../lib/with-currency.ts';

/**
 * A KPI value as people read it: 41.3% for percent (a fraction 0..1), 1,234,567 for counts,
 * €1,234,567 for currency (the bare amount when no currency is known), 12.4 for durations and
 * scores; '–' for no value.
 * @example formatChartValue(0.4127, 'percent') // '41.3%'
 */
export function formatChartValue(value: number | null, unit: KpiUnit, currency?: string): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'currency':
      return withCurrency(Math.round(value).toLocaleString('en-US'), currency);
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    case 'duration':
    case 'score':
      return value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  }
}

/** A signed change between two values: percentage points for percents, otherwise in the unit. */
export function formatChartChange(change: number | null, unit: KpiUnit, currency?: string): string {
  if (change === null || !Number.isFinite(change)) return '–';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const magnitude = Math.abs(change);
  return unit === 'percent' ? `${sign}${(magnitude * 100).toFixed(1)} pp` : `${sign}${formatChartValue(magnitude, unit, currency)}`;
}
