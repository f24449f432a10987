import { chartError } from './chart-error.ts';
import type { ChartInput } from './chart-input.ts';
import { fillChart } from './fill-chart.ts';
import type { RenderedChart } from './rendered-chart.ts';
import { svgToPng } from './svg-to-png.ts';
import { loadSharp } from './load-sharp.ts';

// vega and vega-lite (about 25 MB resident and 10 MB of heap) load with the first chart, not with
// the module: the idle bot, `--help` and `kpi` draw nothing. One import, shared by concurrent renders.
let drawing: Promise<typeof import('./draw-svg.ts')> | undefined;
const loadDrawSvg = () =>
  (drawing ??= import('./draw-svg.ts').catch((error: unknown) => {
    drawing = undefined;
    throw error;
  }));

/** How to render. */
export interface RenderOptions {
  /** device pixels per CSS pixel; 2 (the default) is sharp on phones and high-DPI screens */
  readonly pixelRatio?: number;
}

/**
 * Renders a chart to PNG in-process: fills its template with the input's data, runs the template's
 * cached vega view to SVG, and rasterizes that with sharp. An input with nothing to draw renders
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
  if (!(pixelRatio > 0 && pixelRatio <= 4))
    throw chartError(String(input?.kind), `pixelRatio ${pixelRatio} is out of range`, 'use a ratio from 0 to 4; 2 is the default');
  const filled = fillChart(input);
  const { drawSvg } = await loadDrawSvg();
  const svg = await drawSvg(filled.kind, filled.template, filled.fill);
  const { png, width, height } = await svgToPng(filled.kind, svg, pixelRatio);
  return { kind: filled.kind, png, svg, width, height, noData: filled.noData };
}

/** A chart's PNG alone: the renderer the Slack adapter and local mode are handed. */
export const renderChartPng = async (chart: ChartInput): Promise<Buffer> => (await renderChart(chart)).png;

/**
 * Starts loading the chart code (vega and sharp) without waiting for it: the bot calls this with
 * its first /kpi command, so that the first answer with a PNG does not also pay for the import on
 * the event loop while other answers wait. An idle bot that is never asked loads none of it.
 */
export function preloadChartRenderer(): void {
  loadDrawSvg().catch(() => undefined);
  loadSharp().catch(() => undefined);
}
