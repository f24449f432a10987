// The renderer's vega, in one module. scripts/build.mjs bundles this file with esbuild into
// dist/charts/vega.js (vega, its 40-odd vega-* packages and their d3 dependencies in one file), so
// the compiled program loads one module instead of about a hundred: 9 MB less RSS and 3 MB less
// heap after the import, measured. Every chart module imports vega from here, never from 'vega'
// (the build checks it): a second copy of vega would measure text without the fonts' widths.
import * as vega from 'vega';

export { parse, View } from 'vega';
export type { Runtime, Spec } from 'vega';

/** A text item as vega's text measurement sees it. */
export type TextItem = { fontSize?: number; fontWeight?: number | string; limit?: number };

/** A dataflow node that keeps a list of the nodes that depend on it. */
export type WithTargets = { _targets?: unknown; targets(): unknown };

/**
 * What vega exports and its typings do not declare: textMetrics (from vega-scenegraph), and the
 * Operator and EventStream classes (EventStream is declared as a type only).
 */
export const vegaInternals = vega as unknown as {
  readonly textMetrics: { width: (item: TextItem, text: unknown) => number };
  readonly Operator: { readonly prototype: WithTargets };
  readonly EventStream: { readonly prototype: WithTargets };
};
