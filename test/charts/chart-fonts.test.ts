import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, chartFonts } from '../../src/charts/chart-fonts.ts';
import { ensureFontConfig, fontConfigText } from '../../src/charts/ensure-font-config.ts';
import { textWidth } from '../../src/charts/font-metrics.ts';
import { loadSharp } from '../../src/charts/load-sharp.ts';

const SIZE = 96;

/** Draws `text` black on white in the chart font stack, the way charts draw theirs. */
async function ink(text: string, size = SIZE, weight = 400) {
  const sharp = await loadSharp();
  const width = Math.ceil(textWidth(text, size, weight)) + 2 * size;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${size * 2}"><rect width="100%" height="100%" fill="#fff"/><text x="${size}" y="${size * 1.4}" font-family="${CHART_FONT_FAMILY.replace(/"/g, '&quot;')}" font-size="${size}px" font-weight="${weight}" fill="#000">${text}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  let [left, right, top, bottom, dark] = [Infinity, -Infinity, Infinity, -Infinity, 0];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x]! < 128) {
        dark++;
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  const box = { width: right - left + 1, height: bottom - top + 1 };
  return { ...box, coverage: dark / (box.width * box.height), pixels: data, info };
}

describe('chart fonts', () => {
  it('come from the npm font packages: Noto Sans and Noto Sans SC, regular and semibold', () => {
    const fonts = chartFonts();
    expect(fonts.map((f) => `${f.family} ${f.weight}`).sort()).toEqual(['Noto Sans 400', 'Noto Sans 600', 'Noto Sans SC 400', 'Noto Sans SC 600']);
    for (const f of fonts) expect(f.file).toMatch(/node_modules\/@expo-google-fonts\/noto-sans(-sc)?\/\d00\w+\/NotoSans(SC)?_\w+\.ttf$/);
  });

  it('are listed in the fontconfig file FONTCONFIG_FILE points at, before the system folders', () => {
    const env: NodeJS.ProcessEnv = {};
    const file = ensureFontConfig(env);
    expect(env.FONTCONFIG_FILE).toBe(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(fontConfigText(`${dirname(file)}/cache`));
    const dirs = [...text.matchAll(/<dir>([^<]+)<\/dir>/g)].map((m) => m[1]);
    expect(dirs.slice(0, 4).sort()).toEqual([...new Set(chartFonts().map((f) => dirname(f.file)))].sort());
    expect(dirs.slice(4)).toEqual(['/usr/share/fonts', '/usr/local/share/fonts']);
  });

  it('draw Chinese glyphs, not boxes: 一 is one flat stroke, 赢 a dense square, and 赢 and 率 differ', async () => {
    const one = await ink('一');
    const win = await ink('赢');
    const rate = await ink('率');
    // A missing glyph is drawn as a box of the same shape for every character.
    expect(one.height / one.width).toBeLessThan(0.2);
    expect(win.height / win.width).toBeGreaterThan(0.8);
    expect(win.height / win.width).toBeLessThan(1.25);
    expect(win.coverage).toBeGreaterThan(0.25);
    expect(Buffer.compare(win.pixels, rate.pixels)).not.toBe(0);
    // Noto Sans SC draws ideographs about 0.9 em wide.
    expect(win.width / SIZE).toBeGreaterThan(0.8);
  });

  it('measure text as wide as the rasterizer draws it, Latin and Chinese, regular and semibold', async () => {
    for (const [text, weight] of [
      ['Win rate by owner, 2017-W09', 400],
      ['Complaint handling time', 600],
      ['客户满意度与赢单率', 400],
      ['平衡计分卡 Scorecard', 600],
    ] as const) {
      const drawn = await ink(text, 48, weight);
      const measured = textWidth(text, 48, weight);
      // The ink box lacks the first and last side bearings: a few per cent of the advance width.
      expect(drawn.width).toBeLessThanOrEqual(measured + 2);
      expect(drawn.width / measured).toBeGreaterThan(0.95);
    }
  });
});
