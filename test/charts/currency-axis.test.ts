// Issue 14, "Money has a currency": a money axis carries the KPI's sign or code, in both
// languages and for losses; a chart without a currency keeps the bare amounts it always had.
import { describe, expect, it } from 'vitest';
import type { TrendChartInput } from '../../src/charts/trend-chart.ts';
import { renderChart } from '../../src/charts/render-chart.ts';

const start = (m: number) => `2024-0${m}-01T00:00:00Z`;
/** Pipeline change per month: −20,000, 0, +20,000, so the axis runs through 0 with ticks every 10,000. */
const trend = (extra: Partial<TrendChartInput>): TrendChartInput => ({
  kind: 'trend',
  title: 'Pipeline change',
  period: '2024-01 – 2024-03',
  unit: 'currency',
  points: [-20000, 0, 20000].map((value, i) => ({ period: `2024-0${i + 1}`, start: start(i + 1), value })),
  ...extra,
});
const axisTicks = async (input: TrendChartInput) =>
  [...(await renderChart(input)).svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((m) => m[1]!)
    .filter((t) => /\d(K|万)?( SEK)?$/.test(t) && !t.includes('2024'))
    // a reused view may draw ticks it already had in another order: compare them as a set
    .sort();

describe('money axes', () => {
  it('carry the sign before the amount, a minus before the sign, and 万 in Chinese', async () => {
    expect(await axisTicks(trend({ currency: 'EUR' }))).toEqual(['−€20K', '−€10K', '€0', '€10K', '€20K'].sort());
    expect(await axisTicks(trend({ currency: 'EUR', lang: 'zh' }))).toEqual(['−€2万', '−€1万', '€0', '€1万', '€2万'].sort());
  });

  it('carry a code without a sign after the amount, and nothing without a currency', async () => {
    expect(await axisTicks(trend({ currency: 'SEK' }))).toEqual(['−20K SEK', '−10K SEK', '0 SEK', '10K SEK', '20K SEK'].sort());
    expect(await axisTicks(trend({}))).toEqual(['−20K', '−10K', '0', '10K', '20K'].sort());
  });
});
