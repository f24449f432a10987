import { View } from 'vega';
import { chartError } from './chart-error.ts';
import type { ChartInput } from './chart-input.ts';
import { compiledTemplate } from './compile-chart-spec.ts';
import { fillChart } from './fill-chart.ts';
import type { RenderedChart } from './rendered-chart.ts';
import { svgToPng } from './svg-to-png.ts';

/** How to render. */
export interface RenderOptions {
  /** device pixels per CSS pixel; 2 (the default) is sharp on phones and high-DPI screens */
  readonly pixelRatio?: number;
}

/**
 * Renders a chart to PNG in-process: fills its template with the input's data, runs the cached
 * vega dataflow to SVG, and rasterizes that with sharp. An input with nothing to draw renders
 * the "no data for <KPI> in <period>" image (`noData: true`); a bad input or a failed render
 * throws a CrmPulseError naming the chart kind and the reason. Never returns an empty image.
 * @example
 * const chart = await renderChart({
 *   kind: 'trend', title: 'Win rate', period: '2017-W01 – 2017-W09', unit: 'percent',
 *   points: [{ period: '2017-W09', start: '2017-02-27', value: 0.413 }], target: 0.45,
 * });
 * await writeFile('win-rate.png', chart.png);
 */
export async function renderChart(input: ChartInput, options: RenderOptions = {}): Promise<RenderedChart> {
  const pixelRatio = options.pixelRatio ?? 2;
  if (!(pixelRatio > 0 && pixelRatio <= 4)) throw chartError(String(input?.kind), `pixelRatio ${pixelRatio} is out of range`, 'use a ratio from 0 to 4; 2 is the default');
  const filled = fillChart(input);
  const { runtime } = compiledTemplate(filled.template);
  const problems: string[] = [];
  const report = (...args: unknown[]) => {
    problems.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  const view = new View(runtime, {
    renderer: 'none',
    logger: { level: () => 2, error: report, warn: report, info: () => undefined, debug: () => undefined } as never,
  });
  let svg: string;
  try {
    for (const [name, values] of Object.entries(filled.fill.datasets)) view.data(name, values as object[]);
    for (const [name, value] of Object.entries(filled.fill.params)) view.signal(name, value);
    svg = await view.toSVG();
  } catch (cause) {
    throw chartError(filled.kind, `vega could not draw the chart: ${(cause as Error).message}`, 'this is a bug in the chart template or its data; report it with the input', cause);
  } finally {
    view.finalize();
  }
  // A warning from the dataflow (a missing field, a bad expression) means a half-drawn chart. An
  // empty extent is the one exception: optional layers (a target line, episodes) are often empty.
  const fatal = problems.filter((p) => !/^Infinite extent for field/.test(p));
  if (fatal.length) throw chartError(filled.kind, `vega reported: ${fatal.join('; ')}`, 'this is a bug in the chart template or its data; report it with the input');
  const { png, width, height } = await svgToPng(filled.kind, svg, pixelRatio);
  return { kind: filled.kind, png, svg, width, height, noData: filled.noData };
}
