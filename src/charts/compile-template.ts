// Build and test time only: vega-lite compiles the templates here, so the renderer's process never
// loads it (about 1.5 MB of source and its compiled code in the heap, and the garbage of every
// compile). scripts/build.mjs writes the compiled specs with writeCompiledTemplates; the renderer
// reads them (compile-chart-spec.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Spec } from './vega.ts';
import { compile, type TopLevelSpec } from 'vega-lite';
import { chartError } from './chart-error.ts';
import { CHART_KINDS, NO_DATA_TEMPLATE } from './chart-kind.ts';
import { chartTheme } from './chart-theme.ts';
import { COMPILED_DIR, compiledSpecFile, templateKey, type CompiledSpecFile } from './compiled-spec-file.ts';
import { themedTemplate, type TemplateName } from './load-chart-template.ts';

/** Every template the renderer draws: one per chart kind, and the no-data one. */
export const TEMPLATE_NAMES: readonly TemplateName[] = [...CHART_KINDS, NO_DATA_TEMPLATE];

/** vega-lite warnings that describe what the templates mean to do; any other warning fails the compile. */
const BENIGN_WARNINGS = [
  // said of every `fit-x` spec with a step height, though fit-x asks for no fit-y
  'Dropping "fit-y" because spec has discrete height.',
  // scorecard: every layer of a facet cell reads the one dataset; its forks are "the same field"
  'Detected faceted independent scales that union domain of the same fields from different source.',
];

/**
 * A template compiled by vega-lite to vega with the theme as its config (money axes in `currency`
 * when one is given). A vega-lite warning is an error here: it means the template draws something
 * other than meant.
 */
export function compileTemplate(name: TemplateName, currency?: string): Spec {
  const warnings: string[] = [];
  const collect = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const logger = { level: (_?: number) => (_ === undefined ? 2 : logger), error: collect, warn: collect, info: () => logger, debug: () => logger } as never;
  try {
    const spec = compile(themedTemplate(name) as unknown as TopLevelSpec, { config: chartTheme(currency) as never, logger }).spec as Spec;
    const real = warnings.filter((w) => !BENIGN_WARNINGS.some((benign) => w.startsWith(benign)));
    if (real.length) throw new Error(real.join('; '));
    return spec;
  } catch (cause) {
    throw chartError(
      name,
      `template charts/${name}.vl.json does not compile: ${(cause as Error).message}`,
      'fix the template against the vega-lite 6 schema (https://vega.github.io/vega-lite/docs/)',
      cause,
    );
  }
}

/** Compiles every template and writes each, with its key, to COMPILED_DIR; returns the files written. */
export function writeCompiledTemplates(): string[] {
  mkdirSync(COMPILED_DIR, { recursive: true });
  return TEMPLATE_NAMES.map((name) => {
    const file = compiledSpecFile(name);
    const content: CompiledSpecFile = { key: templateKey(name), spec: compileTemplate(name) };
    writeFileSync(file, JSON.stringify(content));
    return file;
  });
}
