// What the fills put into the templates, checked against the inputs they came from.
import { describe, expect, it } from 'vitest';
import { BREAKDOWN_MAX_BARS, fillBreakdownChart, type BreakdownChartInput } from '../../src/charts/breakdown-chart.ts';
import type { ChartFill } from '../../src/charts/chart-fill.ts';
import { CHART_COLORS } from '../../src/charts/chart-theme.ts';
import { fillCohortChart, type CohortChartInput } from '../../src/charts/cohort-chart.ts';
import { CONTRIBUTION_MAX_BARS, fillContributionChart, type ContributionChartInput } from '../../src/charts/contribution-chart.ts';
import { fillTrendChart, type TrendChartInput } from '../../src/charts/trend-chart.ts';
import { CHART_FIXTURES, WEEKS_52 } from './chart-fixtures.ts';

const rows = (fill: unknown, name: string) => (fill as ChartFill).datasets[name] as Record<string, unknown>[];
const trend = CHART_FIXTURES.trend as TrendChartInput;

describe('trend fill', () => {
  it('shades whole periods of an episode: from the period holding `from` to the one before `to`', () => {
    const from = 10;
    const until = 14; // resolved at the start of week 15: weeks 11–14 (indexes 10–13) fired
    const fill = fillTrendChart({ ...trend, episodes: [{ from: `${WEEKS_52[from]!.start}T09:30:00Z`, to: WEEKS_52[until]!.start }] });
    expect(rows(fill, 'episodes')).toEqual([{ x0: from - 0.5, x1: until - 1 + 0.5 }]);
  });

  it('shades a still-firing episode to the last period and drops one that ended before the first', () => {
    const fill = fillTrendChart({ ...trend, episodes: [{ from: WEEKS_52[50]!.start }, { from: '2016-01-01', to: '2016-06-01' }] });
    expect(rows(fill, 'episodes')).toEqual([{ x0: 49.5, x1: WEEKS_52.length - 0.5 }]);
  });

  it('draws points by start date whatever their order, and a null, NaN or infinite value as a gap', () => {
    const points = [...WEEKS_52].reverse().map((p, i) => (i === 0 ? { ...p, value: Number.NaN } : p));
    const drawn = rows(fillTrendChart({ ...trend, points }), 'points');
    expect(drawn.map((r) => r.period)).toEqual(WEEKS_52.map((p) => p.period));
    expect(drawn.at(-1)!.value).toBeNull();
    expect(drawn.filter((r) => r.value === null).map((r) => r.period)).toEqual([WEEKS_52[20]!.period, WEEKS_52[51]!.period]);
  });

  it('puts the threshold and target in the y range and marks only anomalies that have a value', () => {
    const points = WEEKS_52.map((p, i) => ({ ...p, anomalous: i === 44 || i === 20 }));
    const fill = fillTrendChart({ ...trend, points, threshold: { value: 0.05 }, target: 0.9 }) as ChartFill;
    const [lo, hi] = fill.params.yDomain as [number, number];
    expect(lo).toBeLessThan(0.05);
    expect(hi).toBeGreaterThan(0.9);
    expect(rows(fill, 'anomalies').map((r) => r.period)).toEqual([WEEKS_52[44]!.period]);
    expect(rows(fill, 'lines').map((r) => [r.value, r.color])).toEqual([
      [0.05, CHART_COLORS.bad],
      [0.9, CHART_COLORS.good],
    ]);
  });

  it('labels the latest period with a tick, and no more ticks than fit', () => {
    const ticks = (fillTrendChart(trend) as ChartFill).params.xTicks as number[];
    expect(ticks.at(-1)).toBe(WEEKS_52.length - 1);
    expect(ticks.length).toBeLessThanOrEqual(10);
    expect(new Set(ticks.slice(1).map((t, i) => t - ticks[i]!)).size).toBe(1);
  });
});

describe('breakdown fill', () => {
  it('sorts by value, keeps the largest bars and says how many are left out or have no value', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ key: `owner ${i}`, value: i === 7 ? null : (i * 37) % 23, previous: 5 }));
    const fill = fillBreakdownChart({ ...(CHART_FIXTURES.breakdown as BreakdownChartInput), items }) as ChartFill;
    const values = items.flatMap((i) => (i.value === null ? [] : [i.value])).sort((a, b) => b - a);
    expect(rows(fill, 'rows').map((r) => r.value)).toEqual(values.slice(0, BREAKDOWN_MAX_BARS));
    expect(fill.params.chartSubtitle).toContain(`top ${BREAKDOWN_MAX_BARS} of ${values.length}`);
    expect(fill.params.chartSubtitle).toContain('1 with no value');
  });
});

describe('contribution fill', () => {
  it('sums what the named bars leave of the change into Other', () => {
    const input = CHART_FIXTURES.contribution as ContributionChartInput;
    const contributions = Array.from({ length: 14 }, (_, i) => ({ key: `country ${i}`, change: (i % 2 ? -1 : 1) * (1000 - 60 * i) }));
    const drawn = rows(fillContributionChart({ ...input, contributions }), 'rows');
    expect(drawn).toHaveLength(CONTRIBUTION_MAX_BARS);
    const named = drawn.slice(0, -1).map((r) => r.change as number);
    expect(named).toEqual(contributions.slice(0, CONTRIBUTION_MAX_BARS - 1).map((c) => c.change));
    const delta = input.current.value! - input.previous.value!;
    expect(drawn.at(-1)!.change).toBeCloseTo(delta - named.reduce((a, b) => a + b, 0), 6);
    expect(String(drawn.at(-1)!.row)).toMatch(/\|Other \(5\)$/);
  });

  it('draws no Other bar when the contributions explain the whole change', () => {
    const input = CHART_FIXTURES['contribution-zh'] as ContributionChartInput;
    const drawn = rows(fillContributionChart(input), 'rows');
    expect(drawn.map((r) => r.change)).toEqual([...input.contributions].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).map((c) => c.change));
  });
});

describe('cohort fill', () => {
  it('draws every observed month from month 1, with its share', () => {
    const input = CHART_FIXTURES.cohort as CohortChartInput;
    const cells = rows(fillCohortChart(input), 'cells');
    const expected = input.cohorts.flatMap((c) => c.retention.slice(1).filter((r) => r !== null));
    expect(cells.map((c) => c.retention)).toEqual(expected);
    expect(cells.every((c) => /^M\d+$/.test(String(c.column)))).toBe(true);
  });
});
