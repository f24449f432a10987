import { parse, View } from 'vega';
import { describe, expect, it } from 'vitest';
import type { ChartInput } from '../../src/charts/chart-input.ts';
import { CHART_KINDS } from '../../src/charts/chart-kind.ts';
import { chartLabels } from '../../src/charts/chart-labels.ts';
import { compileChartSpec } from '../../src/charts/compile-chart-spec.ts';
import { renderChart } from '../../src/charts/render-chart.ts';
import { svgToPng } from '../../src/charts/svg-to-png.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { CHART_FIXTURES, WEEKS_52 } from './chart-fixtures.ts';
import { pngStats, svgSize } from './png-stats.ts';

/** XML-escaped as vega writes text into the SVG. */
const inSvg = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('renderChart', () => {
  it('has an English and a Chinese fixture for every chart kind', () => {
    for (const kind of CHART_KINDS) {
      expect(CHART_FIXTURES[kind].kind).toBe(kind);
      expect(CHART_FIXTURES[`${kind}-zh`].kind).toBe(kind);
    }
  });

  for (const [name, input] of Object.entries(CHART_FIXTURES)) {
    it(`renders the ${name} fixture to a PNG of the SVG's size at pixel ratio 2, with the title in the SVG`, async () => {
      const chart = await renderChart(input);
      expect(chart.kind).toBe(input.kind);
      expect(chart.noData).toBe(false);
      const svg = svgSize(chart.svg);
      const png = await pngStats(chart.png);
      expect(png.format).toBe('png');
      expect([png.width, png.height]).toEqual([chart.width, chart.height]);
      expect([png.width, png.height]).toEqual([Math.round(svg.width * 2), Math.round(svg.height * 2)]);
      // Readable in Slack: about 600–700 CSS pixels wide, never a sliver.
      expect(svg.width).toBeGreaterThan(560);
      expect(svg.width).toBeLessThan(700);
      expect(svg.height).toBeGreaterThan(150);
      // Not blank: every channel varies and the picture has text, lines and fills in many shades.
      for (const stdev of png.stdev) expect(stdev).toBeGreaterThan(5);
      expect(png.distinctColours).toBeGreaterThan(50);
      expect(chart.svg).toContain(`>${inSvg(input.title)}</text>`);
    });
  }

  it('draws the same picture for the same input whatever the view drew before, also when renders overlap', async () => {
    const first = await renderChart(CHART_FIXTURES.trend);
    const other = { ...CHART_FIXTURES['trend-zh'], points: WEEKS_52.slice(0, 8) } as ChartInput;
    const [a, b, c] = await Promise.all([
      renderChart(other),
      renderChart(CHART_FIXTURES.trend),
      renderChart({ ...CHART_FIXTURES.trend, title: 'Win rate, EMEA' }),
    ]);
    expect(b.png.equals(first.png)).toBe(true);
    expect(a.svg).toContain('>赢单率</text>');
    expect(a.svg).not.toContain('>Win rate</text>');
    expect(c.svg).toContain('>Win rate, EMEA</text>');
  });

  it('lays out every render for its own content, as a view built for it alone would', async () => {
    for (const [before, input] of [
      ['comparison', 'comparison-zh'],
      ['breakdown', 'breakdown-zh'],
      ['scorecard', 'scorecard-zh'],
      ['trend-zh', 'trend'],
    ] as const) {
      await renderChart(CHART_FIXTURES[before]);
      const reused = await renderChart(CHART_FIXTURES[input]);
      const fresh = new View(parse(compileChartSpec(CHART_FIXTURES[input])), { renderer: 'none' });
      const alone = await fresh.toSVG();
      fresh.finalize();
      expect(svgSize(reused.svg)).toEqual(svgSize(alone));
      expect(reused.png.equals((await svgToPng(input, alone, 2)).png)).toBe(true);
    }
  });

  it('labels value axes by unit: percents as %, money compactly, with 万 in Chinese', async () => {
    const trend = CHART_FIXTURES.trend as Extract<ChartInput, { kind: 'trend' }>;
    const money = (lang: 'en' | 'zh') =>
      renderChart({
        ...trend,
        lang,
        unit: 'currency',
        threshold: undefined,
        target: undefined,
        points: WEEKS_52.map((p, i) => ({ ...p, value: 1_000_000 + 20_000 * i })),
      });
    const ticks = (svg: string) => {
      const labels = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]!);
      expect(labels.length).toBeGreaterThanOrEqual(3);
      return labels;
    };
    expect(ticks((await renderChart(trend)).svg).every((t) => /^\d+(\.\d)?%$/.test(t))).toBe(true);
    expect(ticks((await money('en')).svg).every((t) => /^\d+(\.\d+)?M$/.test(t))).toBe(true);
    expect(ticks((await money('zh')).svg).every((t) => /^\d+(\.\d+)?万$/.test(t))).toBe(true);
  });

  it('renders at another pixel ratio', async () => {
    const chart = await renderChart(CHART_FIXTURES.comparison, { pixelRatio: 1 });
    const svg = svgSize(chart.svg);
    expect([chart.width, chart.height]).toEqual([Math.round(svg.width), Math.round(svg.height)]);
  });
});

describe('renderChart with nothing to draw', () => {
  const trend = CHART_FIXTURES.trend as Extract<ChartInput, { kind: 'trend' }>;
  const cases: [string, ChartInput][] = [
    ['an empty series', { ...trend, title: 'Win rate', period: '2017-W09', points: [] }],
    ['a series without values', { ...trend, points: WEEKS_52.map((p) => ({ ...p, value: null })) }],
    [
      'non-finite values only',
      { ...trend, points: WEEKS_52.slice(0, 3).map((p, i) => ({ ...p, value: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][i]! })) },
    ],
    ['a comparison whose period has no value', { ...CHART_FIXTURES.comparison, current: { period: '2011-11', value: null } } as ChartInput],
    ['a breakdown without items', { ...CHART_FIXTURES.breakdown, items: [] } as ChartInput],
    ['a contribution without a previous value', { ...CHART_FIXTURES.contribution, previous: { period: '2011-10', value: Number.NaN } } as ChartInput],
    ['a digest of empty KPIs', { ...CHART_FIXTURES.digest, items: [{ title: 'Win rate', unit: 'percent', points: [] }] } as ChartInput],
    ['RFM without customers', { ...CHART_FIXTURES.rfm, segments: [{ name: 'Champions', customers: 0, value: 0 }] } as ChartInput],
    ['cohorts without a second month', { ...CHART_FIXTURES.cohort, cohorts: [{ cohort: '2011-12', size: 41, retention: [1] }] } as ChartInput],
    [
      'a scorecard without scores',
      {
        ...CHART_FIXTURES.scorecard,
        perspectives: [{ name: 'Customer', score: null, kpis: [{ title: 'NPS', unit: 'score', value: null, target: 30, attainment: null }] }],
      } as ChartInput,
    ],
  ];
  for (const [what, input] of cases) {
    it(`draws "No data for <title> in <period>" for ${what}`, async () => {
      const chart = await renderChart(input);
      expect(chart.noData).toBe(true);
      expect(chart.kind).toBe(input.kind);
      expect(chart.svg).toContain(inSvg(chartLabels('en').noData(input.title, input.period)));
      const png = await pngStats(chart.png);
      expect([png.width, png.height]).toEqual([chart.width, chart.height]);
      for (const stdev of png.stdev) expect(stdev).toBeGreaterThan(5);
    });
  }

  it('says it in Chinese for a Chinese chart', async () => {
    const input = { ...CHART_FIXTURES['trend-zh'], points: [] } as ChartInput;
    const chart = await renderChart(input);
    expect(chart.noData).toBe(true);
    expect(chart.svg).toContain(chartLabels('zh').noData('赢单率', '2017年第1–52周'));
  });
});

describe('renderChart errors', () => {
  async function failure(input: unknown, options?: { pixelRatio: number }): Promise<CrmPulseError> {
    const error = await renderChart(input as ChartInput, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmPulseError);
    return error as CrmPulseError;
  }

  it('names the chart kind and the field of a date that is not ISO', async () => {
    const points = WEEKS_52.map((p, i) => (i === 3 ? { ...p, start: '2017-13-40' } : p));
    const error = await failure({ ...CHART_FIXTURES.trend, points });
    expect(error.code).toBe('input');
    expect(error.message).toMatch(/^\[charts\] \[trend\] points\[3\]\.start: not an ISO date: "2017-13-40"/);
    expect(error.hint).toMatch(/ISO 8601/);
  });

  it('refuses a non-finite threshold instead of drawing it nowhere', async () => {
    const error = await failure({ ...CHART_FIXTURES.trend, threshold: { value: Number.NaN } });
    expect(error.message).toMatch(/^\[charts\] \[trend\] threshold\.value: expected a finite number, got NaN/);
  });

  it('names an unknown kind', async () => {
    const error = await failure({ kind: 'pie', title: 'Win rate', period: '2017' });
    expect(error.message).toMatch(/^\[charts\] \[pie\] unknown chart kind/);
  });

  it('says when a digest has more KPIs than one image holds', async () => {
    const digest = CHART_FIXTURES.digest as Extract<ChartInput, { kind: 'digest' }>;
    const items = Array.from({ length: 13 }, (_, i) => ({ ...digest.items[0]!, title: `KPI ${i}` }));
    const error = await failure({ ...digest, items });
    expect(error.message).toMatch(/^\[charts\] \[digest\] 13 KPIs do not fit one digest image \(at most 12\)/);
  });

  it('refuses a pixel ratio out of range', async () => {
    const error = await failure(CHART_FIXTURES.trend, { pixelRatio: 0 });
    expect(error.message).toMatch(/^\[charts\] \[trend\] pixelRatio 0 is out of range/);
  });
});
