import { parse, type Runtime, type Spec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { chartError } from './chart-error.ts';
import type { ChartFill } from './chart-fill.ts';
import type { ChartInput } from './chart-input.ts';
import type { NO_DATA_TEMPLATE } from './chart-kind.ts';
import type { ChartKind } from './chart-kind.ts';
import { loadChartTemplate, type ChartTemplate } from './load-chart-template.ts';
import { CHART_COLORS, chartTheme } from './chart-theme.ts';
import { fillChart } from './fill-chart.ts';
import { installFontMetrics } from './install-font-metrics.ts';

/** A template compiled to vega with the theme, and parsed into the dataflow views are built from. */
export interface CompiledTemplate {
  readonly spec: Spec;
  readonly runtime: Runtime;
}

const compiled = new Map<string, CompiledTemplate>();

/** vega-lite warnings that describe what the templates mean to do; any other warning fails the compile. */
const BENIGN_WARNINGS = [
  // said of every `fit-x` spec with a step height, though fit-x asks for no fit-y
  'Dropping "fit-y" because spec has discrete height.',
  // scorecard: every layer of a facet cell reads the one dataset; its forks are "the same field"
  'Detected faceted independent scales that union domain of the same fields from different source.',
];

/** A template with the theme's colours as its `theme` parameter, which marks read. */
export function themedTemplate(name: ChartKind | typeof NO_DATA_TEMPLATE): ChartTemplate {
  const template = loadChartTemplate(name);
  const theme = template.params?.find((p) => p.name === 'theme');
  if (theme) theme.value = { ...CHART_COLORS };
  return template;
}

/**
 * The template compiled once per process: vega-lite → vega with the theme, then vega's parse.
 * Each render only builds a view from the cached runtime and sets its data and parameters.
 * A vega-lite warning is an error here: it means the template draws something other than meant.
 * A currency compiles its own copy, whose money axes carry its sign (vega bakes axis labels in).
 */
export function compiledTemplate(name: ChartKind | typeof NO_DATA_TEMPLATE, currency?: string): CompiledTemplate {
  const key = currency ? `${name}|${currency}` : name;
  const hit = compiled.get(key);
  if (hit) return hit;
  installFontMetrics();
  const warnings: string[] = [];
  const collect = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const logger = { level: (_?: number) => (_ === undefined ? 2 : logger), error: collect, warn: collect, info: () => logger, debug: () => logger } as never;
  const template = themedTemplate(name);
  let entry: CompiledTemplate;
  try {
    const spec = compile(template as unknown as TopLevelSpec, { config: chartTheme(currency) as never, logger }).spec as Spec;
    const real = warnings.filter((w) => !BENIGN_WARNINGS.some((benign) => w.startsWith(benign)));
    if (real.length) throw new Error(real.join('; '));
    entry = { spec, runtime: parse(spec) };
  } catch (cause) {
    throw chartError(
      name,
      `template charts/${name}.vl.json does not compile: ${(cause as Error).message}`,
      'fix the template against the vega-lite 6 schema (https://vega.github.io/vega-lite/docs/)',
      cause,
    );
  }
  compiled.set(key, entry);
  return entry;
}

/** A copy of a compiled spec with a fill's datasets as inline values and its parameters as signal values. */
export function specWithFill(name: string, spec: Spec, fill: ChartFill): Spec {
  const copy = structuredClone(spec);
  const data = (copy.data ?? []) as { name: string; values?: unknown }[];
  const signals = (copy.signals ?? []) as { name: string; value?: unknown }[];
  for (const [dataset, values] of Object.entries(fill.datasets)) {
    const entry = data.find((d) => d.name === dataset);
    if (!entry) throw chartError(name, `the template has no dataset '${dataset}'`, `declare it in charts/${name}.vl.json as { "name": "${dataset}" }`);
    entry.values = values;
  }
  for (const [param, value] of Object.entries(fill.params)) {
    const entry = signals.find((s) => s.name === param);
    if (!entry) throw chartError(name, `the template has no parameter '${param}'`, `declare it in charts/${name}.vl.json under "params"`);
    entry.value = value;
  }
  return copy;
}

/**
 * The complete vega spec of a chart: the cached compiled template with the input's data and
 * parameter values inlined. It renders the same image in any vega (the snapshot tests and the
 * browser baseline use it); an input with nothing to draw gives the no-data spec.
 * @example compileChartSpec({ kind: 'trend', title: 'Win rate', period: '2017', unit: 'percent', points })
 */
export function compileChartSpec(input: ChartInput): Spec {
  const { template, fill } = fillChart(input);
  return specWithFill(template, compiledTemplate(template, fill.currency).spec, fill);
}
