// Issue 14, "Money has a currency": a money axis carries the KPI's sign or code, in both
// languages and for losses; a chart without a currency keeps the bare amounts it always had.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AXIS_LABEL_EXPR, axisLabelExpr } from '../../src/charts/chart-theme.ts';
import { compiledTemplate } from '../../src/charts/compile-chart-spec.ts';
import { compileTemplate, TEMPLATE_NAMES } from '../../src/charts/compile-template.ts';
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

describe('money axes without vega-lite', () => {
  // The build compiles the templates without a currency; the renderer swaps the axis label
  // expression for a currency's. That must be exactly what vega-lite compiles a currency's theme to.
  for (const name of TEMPLATE_NAMES) {
    it(`give for ${name} in a currency the spec vega-lite compiles with that currency's theme`, () => {
      for (const currency of ['EUR', 'SEK', 'CNY', 'XBT']) {
        const direct = JSON.parse(JSON.stringify(compileTemplate(name, currency)));
        expect(isDeepStrictEqual(direct, JSON.parse(JSON.stringify(compiledTemplate(name, currency).spec)))).toBe(true);
      }
    });
  }

  it('change the spec of every template with a quantitative axis, and only its label expression', () => {
    const changed = TEMPLATE_NAMES.filter((name) => !isDeepStrictEqual(compiledTemplate(name).spec, compiledTemplate(name, 'EUR').spec));
    expect(changed).toEqual(['trend', 'forecast', 'clv']);
    expect(JSON.stringify(compiledTemplate('trend', 'EUR').spec).replaceAll(JSON.stringify(axisLabelExpr('EUR')), JSON.stringify(AXIS_LABEL_EXPR))).toBe(
      JSON.stringify(compiledTemplate('trend').spec),
    );
  });
});
