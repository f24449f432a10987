import { textWidth } from './font-metrics.ts';
import { vegaInternals } from './vega.ts';

let installed = false;

/**
 * Makes vega measure text with the chart fonts' real advance widths instead of its 0.8 em guess,
 * so axes, legends and titles are laid out for the text the rasterizer draws. Idempotent.
 */
export function installFontMetrics(): void {
  if (installed) return;
  vegaInternals.textMetrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    // Multi-line text (an array of lines) is as wide as its widest line.
    const lines = text == null ? [''] : Array.isArray(text) ? text.map(String) : [String(text).trim()];
    const width = Math.max(...lines.map((line) => textWidth(line, size, item.fontWeight ?? 400)));
    // vega truncates text longer than `limit` with an ellipsis; the result is at most `limit` wide.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  installed = true;
}
