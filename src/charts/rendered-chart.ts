import type { ChartKind } from './chart-kind.ts';

/** A rendered chart, ready to upload to Slack or write to a file. */
export interface RenderedChart {
  readonly kind: ChartKind;
  readonly png: Buffer;
  /** the vega SVG the PNG was rasterized from; its text is searchable */
  readonly svg: string;
  /** of the PNG, in pixels (the SVG's size times the pixel ratio) */
  readonly width: number;
  readonly height: number;
  /** true when the input had nothing to draw and this is the "no data for … in …" image */
  readonly noData: boolean;
}
