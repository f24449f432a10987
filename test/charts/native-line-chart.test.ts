// The native line charts of alert cards and digests: the same points as their PNG inputs, the
// bands Slack's block cannot draw left out (the card says them in words), and undefined where
// the line itself does not fit the block, so the PNG stays.
import { describe, expect, it } from 'vitest';
import type { DigestChartInput, TrendChartInput } from '../../src/charts/chart-input.ts';
import { nativeDigestHeadline, nativeTrendLine } from '../../src/charts/native-line-chart.ts';

const trend: TrendChartInput = {
  kind: 'trend',
  title: 'Won revenue · West',
  period: '2023-04 – 2024-03',
  unit: 'currency',
  points: [
    { period: '2023-12', start: '2023-12-01T00:00:00Z', value: null },
    { period: '2024-01', start: '2024-01-01T00:00:00Z', value: 100 },
    { period: '2024-02', start: '2024-02-01T00:00:00Z', value: 100 },
    { period: '2024-03', start: '2024-03-01T00:00:00Z', value: 70, anomalous: true },
  ],
  threshold: { value: 80 },
  target: 120,
  episodes: [{ from: '2024-03-01T00:00:00Z' }],
};

describe('nativeTrendLine', () => {
  it('is the line of the same points from the first period with data, without the bands', () => {
    // The legend names the periods drawn, not the 12 asked for.
    expect(nativeTrendLine(trend)).toEqual({
      type: 'line',
      title: 'Won revenue · West',
      categories: ['2024-01', '2024-02', '2024-03'],
      series: [{ name: '2024-01 – 2024-03', values: [100, 100, 70] }],
    });
  });

  it('names the money in the title, kept within 50 characters', () => {
    const line = nativeTrendLine({ ...trend, currency: 'EUR', title: 'Won revenue from the enterprise segment · North-West Europe' })!;
    expect(line.title.length).toBeLessThanOrEqual(50);
    expect(line.title).toMatch(/… \(€\)$/);
  });

  it('stays a PNG when a period inside the line has no value, or there are over 20 periods', () => {
    expect(nativeTrendLine({ ...trend, points: trend.points.map((p) => (p.period === '2024-02' ? { ...p, value: null } : p)) })).toBeUndefined();
    const long = Array.from({ length: 21 }, (_, i) => ({ period: `P${i}`, start: new Date(Date.UTC(2022, i)).toISOString(), value: i }));
    expect(nativeTrendLine({ ...trend, points: long })).toBeUndefined();
  });
});

describe('nativeDigestHeadline', () => {
  const digest: DigestChartInput = {
    kind: 'digest',
    title: 'Last 8 weeks',
    period: '2017-W45 – 2017-W52',
    items: [
      {
        title: 'Deals lost',
        unit: 'count',
        points: [
          { period: '2017-W51', value: null },
          { period: '2017-W52', value: null },
        ],
      },
      {
        title: 'Win rate',
        unit: 'percent',
        points: [
          { period: '2017-W51', value: 0.5 },
          { period: '2017-W52', value: 0.62 },
        ],
      },
      {
        title: 'Won revenue',
        unit: 'currency',
        currency: 'USD',
        points: [
          { period: '2017-W51', value: 10 },
          { period: '2017-W52', value: 20 },
        ],
      },
    ],
  };
  it('is the first KPI with data (the most unusual charted), over the same weeks', () => {
    // A rate is drawn in percent, as people read it: 0.62 is 62.
    expect(nativeDigestHeadline(digest)).toEqual({
      type: 'line',
      title: 'Win rate (%)',
      categories: ['2017-W51', '2017-W52'],
      series: [{ name: '2017-W45 – 2017-W52', values: [50, 62] }],
    });
    expect(nativeDigestHeadline({ ...digest, items: [digest.items[2]!] })?.title).toBe('Won revenue ($)');
    expect(nativeDigestHeadline({ ...digest, items: [digest.items[0]!] })).toBeUndefined();
  });
});
