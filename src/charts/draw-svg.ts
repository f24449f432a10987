import { chartError } from './chart-error.ts';
import type { ChartFill } from './chart-fill.ts';
import type { ChartKind } from './chart-kind.ts';
import { compiledTemplate } from './compile-chart-spec.ts';
import type { TemplateName } from './load-chart-template.ts';
import { View } from './vega.ts';

/** A reusable view of one template, and what its last render logged. */
interface CachedView {
  readonly view: View;
  readonly problems: string[];
  /** the template's named datasets and its parameters with their defaults */
  readonly datasets: readonly string[];
  readonly params: ReadonlyMap<string, unknown>;
  /** the spec's fixed width and height, where it has them (a step height is computed) */
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** renders of this template run one after the other: each sets the view's data */
  queue: Promise<unknown>;
}

const views = new Map<string, CachedView>();

function cachedView(template: TemplateName, currency: string | undefined): CachedView {
  const key = currency ? `${template}|${currency}` : template;
  const hit = views.get(key);
  if (hit) return hit;
  const { runtime, spec } = compiledTemplate(template, currency);
  const problems: string[] = [];
  const report = (...args: unknown[]) => {
    problems.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  const view = new View(runtime, {
    renderer: 'none',
    logger: { level: () => 2, error: report, warn: report, info: () => undefined, debug: () => undefined } as never,
  });
  const data = (spec.data ?? []) as { name: string; source?: unknown; values?: unknown; url?: unknown }[];
  const signals = (spec.signals ?? []) as { name: string; value?: unknown; update?: unknown }[];
  const entry: CachedView = {
    view,
    problems,
    // A template's `{ "name": … }` data compiles to an entry with no source, values or url.
    datasets: data.filter((d) => d.source === undefined && d.values === undefined && d.url === undefined).map((d) => d.name),
    params: new Map(signals.filter((s) => 'value' in s && !('update' in s)).map((s) => [s.name, s.value])),
    width: typeof spec.width === 'number' ? spec.width : undefined,
    height: typeof spec.height === 'number' ? spec.height : undefined,
    queue: Promise.resolve(),
  };
  views.set(key, entry);
  return entry;
}

/**
 * Runs a template's vega dataflow on a fill and returns the SVG. Each template keeps one view:
 * building the dataflow is most of vega's work (the trend draws in 5 ms instead of 30), so a
 * render only swaps the data and parameters (those the fill leaves out go back to empty and to
 * their defaults). The picture depends on the input alone; the order of some SVG elements (axis
 * ticks that were already drawn) can follow the view's history. Renders of one template queue;
 * a view that failed is dropped and built anew next time.
 */
export function drawSvg(kind: ChartKind, template: TemplateName, fill: ChartFill): Promise<string> {
  const key = fill.currency ? `${template}|${fill.currency}` : template;
  const entry = cachedView(template, fill.currency);
  const run = entry.queue.then(async () => {
    const { view, problems } = entry;
    problems.length = 0;
    let svg: string;
    const unknown = [...Object.keys(fill.datasets).filter((d) => !entry.datasets.includes(d)), ...Object.keys(fill.params).filter((p) => !entry.params.has(p))];
    if (unknown.length)
      throw chartError(kind, `charts/${template}.vl.json declares no dataset or parameter ${unknown.join(', ')}`, 'declare it in the template');
    try {
      for (const name of entry.datasets) view.data(name, (fill.datasets[name] ?? []) as object[]);
      for (const [name, value] of entry.params) view.signal(name, name in fill.params ? fill.params[name] : value);
      // Lay out anew from the template's own size, as a new view would: vega fits a view to its
      // content only on its first run unless asked again, and the fit starts from the size it has.
      if (entry.width !== undefined) view.width(entry.width);
      if (entry.height !== undefined) view.height(entry.height);
      view.resize();
      svg = await view.toSVG();
    } catch (cause) {
      views.delete(key);
      throw chartError(
        kind,
        `vega could not draw the chart: ${(cause as Error).message}`,
        'this is a bug in the chart template or its data; report it with the input',
        cause,
      );
    }
    // A warning from the dataflow (a missing field, a bad expression) means a half-drawn chart. An
    // empty extent is the one exception: optional layers (a target line, episodes) are often empty.
    const fatal = problems.filter((p) => !/^Infinite extent for field/.test(p));
    if (fatal.length) {
      views.delete(key);
      throw chartError(kind, `vega reported: ${fatal.join('; ')}`, 'this is a bug in the chart template or its data; report it with the input');
    }
    return svg;
  });
  // The queue waits for this render without holding its SVG.
  entry.queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}
