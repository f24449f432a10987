import { describe, expect, it } from 'vitest';
import type { KpiUnit } from '../../src/domain/kpi.ts';
import { formatChartChange, formatChartValue } from '../../src/charts/format-chart-value.ts';
import { formatKpiChange, formatKpiValue } from '../../src/kpi/format-kpi-value.ts';

const UNITS: KpiUnit[] = ['percent', 'currency', 'duration', 'count', 'score'];
const VALUES = [0, 0.4127, -0.05, 1, 12.44, 999.95, 1234567.891, -42, 1e-9, null];

describe('formatChartValue', () => {
  it('formats every unit as the KPI reports do (charts may not import kpi, so the two are kept in step here)', () => {
    for (const unit of UNITS) {
      for (const value of VALUES) {
        expect(formatChartValue(value, unit)).toBe(formatKpiValue(value, unit));
        expect(formatChartChange(value, unit)).toBe(formatKpiChange(value, unit));
        for (const currency of ['EUR', 'SEK']) {
          expect(formatChartValue(value, unit, currency)).toBe(formatKpiValue(value, unit, currency));
          expect(formatChartChange(value, unit, currency)).toBe(formatKpiChange(value, unit, currency));
        }
      }
    }
  });

  it('writes money with its sign before the amount or its code after it; other units ignore the currency', () => {
    expect([formatChartValue(1234567.891, 'currency', 'EUR'), formatChartChange(-42, 'currency', 'USD'), formatChartValue(1200, 'currency', 'SEK')]).toEqual([
      '€1,234,568',
      '−$42',
      '1,200 SEK',
    ]);
    expect(formatChartValue(0.4127, 'percent', 'EUR')).toBe('41.3%');
  });

  it('shows a non-finite value as no value', () => {
    for (const unit of UNITS)
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) expect(formatChartValue(value, unit)).toBe(formatKpiValue(null, unit));
  });
});
