import type { ChartInput } from './chart-input.ts';
import { CHART_THEME } from './chart-theme.ts';
import { themedTemplate } from './load-chart-template.ts';
import { fillChart } from './fill-chart.ts';

/**
 * The chart as a complete vega-lite spec: its template with the theme as `config`, the input's
 * data as `datasets` and its parameter values. vega-embed renders it in a browser (the chart
 * benchmark's baseline does); compiled, it is the spec `compileChartSpec` returns.
 */
export function fillChartTemplate(input: ChartInput): Record<string, unknown> {
  const { template, fill } = fillChart(input);
  const spec = themedTemplate(template);
  for (const param of spec.params ?? []) if (param.name in fill.params) param.value = fill.params[param.name];
  return { ...spec, config: CHART_THEME, datasets: fill.datasets };
}
