import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHART_COLORS, CHART_THEME } from './chart-theme.ts';
import { readChartTemplate, type TemplateName } from './load-chart-template.ts';

/**
 * Where the build writes each template compiled to vega (scripts/build.mjs). From src/charts/
 * and from dist/charts/ alike this is dist/charts/vega/ at the top of the project, so tests that
 * run the TypeScript read the same files the compiled program does.
 */
export const COMPILED_DIR = fileURLToPath(new URL('../../dist/charts/vega/', import.meta.url));

/** The file of a template's compiled spec. */
export const compiledSpecFile = (name: TemplateName): string => `${COMPILED_DIR}${name}.json`;

/** What a compiled-spec file holds: the spec, and the key of what it was compiled from. */
export interface CompiledSpecFile {
  readonly key: string;
  readonly spec: unknown;
}

let vegaLiteVersion: string | undefined;

/** The installed vega-lite's version, from its package.json (which its exports map does not expose). */
function installedVegaLiteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('vega-lite'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A hash of everything a template's compiled spec depends on: the template's text, the theme
 * (colours and config) and vega-lite's version. The build stores it beside the spec; the renderer
 * recomputes it and refuses a spec compiled from anything else, so an edited template or theme
 * is never drawn from a stale compile. Reads vega-lite's package.json, never vega-lite itself.
 */
export function templateKey(name: TemplateName): string {
  vegaLiteVersion ??= installedVegaLiteVersion();
  return createHash('sha256')
    .update(JSON.stringify([readChartTemplate(name), CHART_COLORS, CHART_THEME, vegaLiteVersion]))
    .digest('hex');
}
