// The Chinese font's widths are read only when a chart has Chinese text: an English chart leaves
// them alone, a Chinese chart after it still lays out with them (each ideograph of Noto Sans SC is
// one em wide, as the CJK fonts' design grid is) and still draws its glyphs. A file of its own, so
// that its module state starts fresh.
import { describe, expect, it } from 'vitest';
import { chartFonts } from '../../src/charts/chart-fonts.ts';
import { fontWidthsLoaded, textWidth } from '../../src/charts/font-metrics.ts';
import { renderChart } from '../../src/charts/render-chart.ts';
import { CHART_FIXTURES } from './chart-fixtures.ts';

const chinese = () => chartFonts().filter((f) => f.family === 'Noto Sans SC');
const latin = () => chartFonts().filter((f) => f.family === 'Noto Sans');

describe('the Chinese font, loaded lazily', () => {
  it('is not read for an English chart, and is for a Chinese one, which it lays out and draws', async () => {
    const en = await renderChart(CHART_FIXTURES.trend);
    expect(latin().some((f) => fontWidthsLoaded(f.file))).toBe(true);
    expect(chinese().map((f) => fontWidthsLoaded(f.file))).toEqual([false, false]);

    const zh = await renderChart(CHART_FIXTURES['trend-zh']);
    expect(chinese().some((f) => fontWidthsLoaded(f.file))).toBe(true);
    // 赢单率 ("win rate") at 12 px: three ideographs of one em each.
    expect(textWidth('赢单率', 12, 400)).toBe(36);
    expect(textWidth('赢单率', 12, 600)).toBe(36);
    // The Chinese title is in the SVG the rasterizer drew, and the two PNGs differ.
    expect(zh.svg).toContain('赢单率');
    expect(zh.png.equals(en.png)).toBe(false);
  });
});
