import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chartError } from './chart-error.ts';
import type { ChartKind } from './chart-kind.ts';
import { NO_DATA_TEMPLATE } from './chart-kind.ts';

/** A vega-lite template as stored in charts/: a JSON object. */
export type ChartTemplate = Record<string, unknown> & { params?: { name: string; value?: unknown }[] };

/** The folder of the templates, charts/ at the top of the project. */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../charts/', import.meta.url));

/** Reads charts/<name>.vl.json, a fresh copy each call (callers change it). */
export function loadChartTemplate(name: ChartKind | typeof NO_DATA_TEMPLATE): ChartTemplate {
  const file = `${TEMPLATE_DIR}${name}.vl.json`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw chartError(
      name,
      `template ${file} cannot be read: ${(cause as Error).message}`,
      'charts/ must ship with the program; reinstall or restore the file from git',
      cause,
    );
  }
  try {
    return JSON.parse(text) as ChartTemplate;
  } catch (cause) {
    throw chartError(name, `template ${file} is not valid JSON: ${(cause as Error).message}`, 'fix the JSON (see charts/README.md)', cause);
  }
}
