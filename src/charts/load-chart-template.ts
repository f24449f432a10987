import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chartError } from './chart-error.ts';
import type { ChartKind } from './chart-kind.ts';
import { NO_DATA_TEMPLATE } from './chart-kind.ts';
import { CHART_COLORS } from './chart-theme.ts';

/** A vega-lite template as stored in charts/: a JSON object. */
export type ChartTemplate = Record<string, unknown> & { params?: { name: string; value?: unknown }[] };

/** The folder of the templates, charts/ at the top of the project. */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../charts/', import.meta.url));

/** Every template in charts/: one per chart kind, and the no-data one. */
export type TemplateName = ChartKind | typeof NO_DATA_TEMPLATE;

/** The text of charts/<name>.vl.json. */
export function readChartTemplate(name: TemplateName): string {
  const file = `${TEMPLATE_DIR}${name}.vl.json`;
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw chartError(
      name,
      `template ${file} cannot be read: ${(cause as Error).message}`,
      'charts/ must ship with the program; reinstall or restore the file from git',
      cause,
    );
  }
}

/** Reads charts/<name>.vl.json, a fresh copy each call (callers change it). */
export function loadChartTemplate(name: TemplateName): ChartTemplate {
  const file = `${TEMPLATE_DIR}${name}.vl.json`;
  const text = readChartTemplate(name);
  try {
    return JSON.parse(text) as ChartTemplate;
  } catch (cause) {
    throw chartError(name, `template ${file} is not valid JSON: ${(cause as Error).message}`, 'fix the JSON (see charts/README.md)', cause);
  }
}

/** A template with the theme's colours as its `theme` parameter, which marks read. */
export function themedTemplate(name: TemplateName): ChartTemplate {
  const template = loadChartTemplate(name);
  const theme = template.params?.find((p) => p.name === 'theme');
  if (theme) theme.value = { ...CHART_COLORS };
  return template;
}
