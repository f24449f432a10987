import { readFileSync } from 'node:fs';
import { chartError } from './chart-error.ts';
import type { ChartFill } from './chart-fill.ts';
import type { ChartInput } from './chart-input.ts';
import { AXIS_LABEL_EXPR, axisLabelExpr } from './chart-theme.ts';
import { compiledSpecFile, templateKey, type CompiledSpecFile } from './compiled-spec-file.ts';
import { fillChart } from './fill-chart.ts';
import { installFontMetrics } from './install-font-metrics.ts';
import { installLeanTargets } from './install-lean-targets.ts';
import type { TemplateName } from './load-chart-template.ts';
import { parse, type Runtime, type Spec } from './vega.ts';

/** A template compiled to vega with the theme, and parsed into the dataflow views are built from. */
export interface CompiledTemplate {
  readonly spec: Spec;
  readonly runtime: Runtime;
}

const compiled = new Map<string, CompiledTemplate>();

/**
 * The vega spec the build compiled from a template (scripts/build.mjs, compile-template.ts), read
 * fresh. Throws when the file is missing, or was compiled from another template, theme or vega-lite
 * than the ones installed: the fix is to build again.
 */
function precompiledSpec(name: TemplateName): Spec {
  const file = compiledSpecFile(name);
  const rebuild = 'run `npm run build` (it compiles the chart templates to vega; `npm ci` runs it too)';
  let content: CompiledSpecFile;
  try {
    content = JSON.parse(readFileSync(file, 'utf8')) as CompiledSpecFile;
  } catch (cause) {
    throw chartError(name, `the compiled template ${file} cannot be read: ${(cause as Error).message}`, rebuild, cause);
  }
  if (content.key !== templateKey(name))
    throw chartError(
      name,
      `the compiled template ${file} is out of date: charts/${name}.vl.json, the chart theme or vega-lite changed since the build`,
      rebuild,
    );
  return content.spec as Spec;
}

/**
 * A compiled spec whose money axes carry a currency's sign or code. The build compiles the
 * templates without a currency, so every quantitative axis label is the theme's AXIS_LABEL_EXPR,
 * verbatim; vega-lite compiles a currency's theme (chartTheme(currency)) to the same spec with
 * axisLabelExpr(currency) in its place (test/charts/currency-axis.test.ts checks every template),
 * so swapping the expression gives that spec without loading vega-lite.
 */
export function withCurrencyAxes(spec: Spec, currency: string): Spec {
  const expr = axisLabelExpr(currency);
  const swap = (value: unknown): unknown => {
    if (value === AXIS_LABEL_EXPR) return expr;
    if (Array.isArray(value)) return value.map(swap);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
    return value;
  };
  return swap(spec) as Spec;
}

/**
 * A template's vega spec and runtime, once per process: the build's compiled spec (with the
 * currency's money axes when one is given; vega bakes axis labels in), and vega's parse of it.
 * Each render only builds a view from the cached runtime and sets its data and parameters.
 */
export function compiledTemplate(name: TemplateName, currency?: string): CompiledTemplate {
  const key = currency ? `${name}|${currency}` : name;
  const hit = compiled.get(key);
  if (hit) return hit;
  installFontMetrics();
  installLeanTargets();
  const plain = precompiledSpec(name);
  const spec = currency ? withCurrencyAxes(plain, currency) : plain;
  let entry: CompiledTemplate;
  try {
    entry = { spec, runtime: parse(spec) };
  } catch (cause) {
    throw chartError(name, `vega cannot parse the compiled template: ${(cause as Error).message}`, 'fix the template (see charts/README.md)', cause);
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
