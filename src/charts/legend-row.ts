import { textWidth } from './font-metrics.ts';

/** One entry of a legend drawn above a plot. */
export interface LegendEntry {
  readonly symbol: 'line' | 'box' | 'dot' | 'tick';
  readonly color: string;
  readonly label: string;
}

const SYMBOL = 18;
const GAP = 6;
const SPACING = 20;
const FONT_SIZE = 12;

/**
 * Legend entries laid out left to right from the plot's left edge, in pixels: the symbol from x
 * to x2 (xc its centre), the label from xText. Vega-lite's own legends cannot mix a dashed line,
 * a box and a dot, so templates draw these rows as marks.
 */
export function legendRow(entries: readonly LegendEntry[]): (LegendEntry & { x: number; x2: number; xc: number; xText: number })[] {
  let x = 0;
  return entries.map((e) => {
    const row = { ...e, x, x2: x + SYMBOL, xc: x + SYMBOL / 2, xText: x + SYMBOL + GAP };
    x = row.xText + textWidth(e.label, FONT_SIZE) + SPACING;
    return row;
  });
}
