import { isDeepStrictEqual } from 'node:util';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { compileChartSpec } from '../../src/charts/compile-chart-spec.ts';
import { fillChartTemplate } from '../../src/charts/fill-chart-template.ts';
import { CHART_FIXTURES } from './chart-fixtures.ts';

const quiet = { level: () => quiet, warn: () => quiet, info: () => quiet, debug: () => quiet, error: () => quiet };

describe('compileChartSpec', () => {
  // What vega-lite compiles a template to is vega-lite's business (the next test checks the cached
  // path equals a fresh compile); ours is that the input's own title and period reach the spec.
  const signal = (spec: unknown, name: string) => (spec as { signals: { name: string; value?: unknown }[] }).signals.find((s) => s.name === name)?.value;

  for (const [name, input] of Object.entries(CHART_FIXTURES)) {
    it(`carries the ${name} fixture's own title into the compiled spec`, () => {
      expect(signal(compileChartSpec(input), 'chartTitle')).toBe(input.title);
    });
  }

  it('compiles the no-data case to the no-data template, naming the KPI and the period', () => {
    const spec = compileChartSpec({ kind: 'trend', title: 'Win rate', period: '2017-W09', unit: 'percent', points: [] });
    expect(signal(spec, 'chartTitle')).toBe('Win rate');
    expect(signal(spec, 'chartSubtitle')).toBe('2017-W09');
    expect(signal(spec, 'message')).toBe('No data for Win rate in 2017-W09');
    expect(signal(spec, 'reason')).toBe('no periods to show');
  });

  for (const [name, input] of Object.entries(CHART_FIXTURES)) {
    it(`gives for ${name} what vega-lite gives for the filled template, so the cached path draws the same chart`, () => {
      const direct = JSON.parse(JSON.stringify(compile(fillChartTemplate(input) as never, { logger: quiet as never }).spec));
      expect(isDeepStrictEqual(direct, JSON.parse(JSON.stringify(compileChartSpec(input))))).toBe(true);
    });
  }

  it('returns a copy: changing one spec leaves the next untouched', () => {
    const first = compileChartSpec(CHART_FIXTURES.trend) as { signals: { name: string; value: unknown }[] };
    first.signals.find((s) => s.name === 'chartTitle')!.value = 'changed';
    const second = compileChartSpec(CHART_FIXTURES.trend) as { signals: { name: string; value: unknown }[] };
    expect(second.signals.find((s) => s.name === 'chartTitle')!.value).toBe(CHART_FIXTURES.trend.title);
  });
});
