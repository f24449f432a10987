import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/charts/render-chart.ts';
import { CHART_COLORS } from '../../src/charts/chart-theme.ts';
import type { ScorecardChartInput } from '../../src/charts/chart-input.ts';

// Issue 14: in the scorecard chart weak scores were not coloured as weak, and nothing said what
// the grey bands mean.
const input = (lang: 'en' | 'zh'): ScorecardChartInput => ({
  kind: 'scorecard',
  lang,
  title: 'Scorecard',
  period: '2017-Q4',
  perspectives: [
    {
      name: 'Financial',
      score: 70,
      kpis: [
        { title: 'Weak', unit: 'percent', value: 0.3, target: 0.6, attainment: 50 },
        { title: 'Fair', unit: 'percent', value: 0.5, target: 0.6, attainment: 83 },
        { title: 'Met', unit: 'percent', value: 0.7, target: 0.6, attainment: 100 },
      ],
    },
  ],
});

/** The drawn fill of each KPI's attainment bar, by KPI title (the SVG's bars name their row). */
function barColours(svg: string): Record<string, string> {
  const bars = [...svg.matchAll(/<path aria-label="attainment: [\d.]+; row: k[\d.]+\|([^;]+);[^"]*"[^>]*fill="(#[0-9a-f]{6})"/g)];
  return Object.fromEntries(bars.map((m) => [m[1]!, m[2]!]));
}

describe('the scorecard chart says what is weak and what its bands mean', () => {
  it('colours a weak score red, a met target green, the rest blue', async () => {
    const { svg } = await renderChart(input('en'));
    expect(barColours(svg)).toEqual({ Weak: CHART_COLORS.bad, Fair: CHART_COLORS.primary, Met: CHART_COLORS.good });
  });
  it('explains the bands, colours and mark under the title, in both languages', async () => {
    expect((await renderChart(input('en'))).svg).toContain('Grey bands: poor (below 60), fair (60–90), good (90–100)');
    expect((await renderChart(input('zh'))).svg).toContain('灰色底带：差（60 以下）、中（60–90）、好（90–100）');
  });
});
