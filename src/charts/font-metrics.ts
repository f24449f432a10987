// Text widths from the fonts' own advance widths. Vega lays out axes, legends and titles by text
// width; without a canvas in Node it guesses 0.8 em per character, which is too wide for Latin
// and too narrow for Chinese. Vega supports a user-defined width function (vl-convert sets one
// too): textMetrics.width in vega-scenegraph.
import { closeSync, openSync, readSync } from 'node:fs';
import { chartError } from './chart-error.ts';
import { chartFonts, type ChartFont } from './chart-fonts.ts';

/** Marks a Basic Multilingual Plane code point the font has no glyph for. */
const NONE = 0xffff;

/**
 * One font's advance widths per code point, in font units: a typed array over the BMP (128 KB,
 * where a Map of the Chinese font's 30,000+ code points took megabytes of heap) and a Map for the
 * few code points above it.
 */
interface FontWidths {
  readonly unitsPerEm: number;
  readonly bmp: Uint16Array;
  readonly astral: ReadonlyMap<number, number>;
}

/** The advance of `code` in em, or undefined when the font lacks it. */
function advanceEm(font: FontWidths, code: number): number | undefined {
  const units = code <= 0xffff ? font.bmp[code] : font.astral.get(code);
  return units === undefined || (code <= 0xffff && units === NONE) ? undefined : units / font.unitsPerEm;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const got = readSync(fd, buf, 0, length, offset);
  if (got !== length) throw new Error(`short read at ${offset}`);
  return buf;
}

/** Reads only the head, hhea, hmtx and cmap tables of a TrueType file. */
function readFontWidths(font: ChartFont): FontWidths {
  const fd = openSync(font.file, 'r');
  try {
    const header = readAt(fd, 0, 12);
    const numTables = header.readUInt16BE(4);
    const dir = readAt(fd, 12, numTables * 16);
    const tables = new Map<string, { offset: number; length: number }>();
    for (let i = 0; i < numTables; i++) {
      tables.set(dir.toString('latin1', i * 16, i * 16 + 4), { offset: dir.readUInt32BE(i * 16 + 8), length: dir.readUInt32BE(i * 16 + 12) });
    }
    const table = (tag: string) => {
      const t = tables.get(tag);
      if (!t) throw new Error(`no ${tag} table`);
      return readAt(fd, t.offset, t.length);
    };
    const unitsPerEm = table('head').readUInt16BE(18);
    const numberOfHMetrics = table('hhea').readUInt16BE(34);
    const hmtx = table('hmtx');
    const advanceOf = (glyph: number) => hmtx.readUInt16BE(Math.min(glyph, numberOfHMetrics - 1) * 4);
    const bmp = new Uint16Array(0x10000).fill(NONE);
    const astral = new Map<number, number>();
    cmapGlyphs(table('cmap'), (code, glyph) => {
      if (glyph === 0) return;
      if (code <= 0xffff) bmp[code] = Math.min(advanceOf(glyph), NONE - 1);
      else astral.set(code, advanceOf(glyph));
    });
    return { unitsPerEm, bmp, astral };
  } catch (cause) {
    throw chartError('fonts', `cannot read the widths of ${font.file}: ${(cause as Error).message}`, 'reinstall the font packages with `npm ci`', cause);
  } finally {
    closeSync(fd);
  }
}

/** Calls `each(code point, glyph id)` for the Unicode cmap subtable: format 12 (full range) or else 4 (BMP). */
function cmapGlyphs(cmap: Buffer, each: (code: number, glyph: number) => void): void {
  const count = cmap.readUInt16BE(2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    if (format === 12 && (platform === 3 || platform === 0)) format12 = offset;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) format4 = offset;
  }
  if (format12 >= 0) {
    const groups = cmap.readUInt32BE(format12 + 12);
    for (let g = 0; g < groups; g++) {
      const base = format12 + 16 + g * 12;
      const start = cmap.readUInt32BE(base);
      const end = cmap.readUInt32BE(base + 4);
      const glyph = cmap.readUInt32BE(base + 8);
      for (let c = start; c <= end; c++) each(c, glyph + (c - start));
    }
    return;
  }
  if (format4 < 0) throw new Error('no Unicode cmap subtable');
  const segX2 = cmap.readUInt16BE(format4 + 6);
  const ends = format4 + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  for (let s = 0; s < segX2; s += 2) {
    const end = cmap.readUInt16BE(ends + s);
    const start = cmap.readUInt16BE(starts + s);
    const delta = cmap.readInt16BE(deltas + s);
    const rangeOffset = cmap.readUInt16BE(rangeOffsets + s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = cmap.readUInt16BE(rangeOffsets + s + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      each(c, glyph);
    }
  }
}

/** A font of a stack whose widths are read on first use. */
interface LazyWidths {
  readonly font: ChartFont;
  widths?: FontWidths;
}

let stacks: Map<400 | 600, LazyWidths[]> | undefined;

/**
 * The fonts in fallback order (Latin, then Chinese) per weight. Each font's tables are read the
 * first time a character reaches it, so the Chinese font's tables are only read once a chart has a character the Latin font lacks.
 */
function fontStacks(): Map<400 | 600, LazyWidths[]> {
  if (stacks) return stacks;
  const fonts = chartFonts();
  const byWeight = new Map<400 | 600, LazyWidths[]>();
  for (const weight of [400, 600] as const)
    byWeight.set(
      weight,
      fonts.filter((f) => f.weight === weight).map((font) => ({ font })),
    );
  stacks = byWeight;
  return byWeight;
}

/** Whether the widths of `file` have been read in this process (tests check that Latin text leaves the Chinese font alone). */
export function fontWidthsLoaded(file: string): boolean {
  return [...(stacks?.values() ?? [])].some((stack) => stack.some((f) => f.font.file === file && f.widths !== undefined));
}

/** Em width of a character the chart fonts lack: the rasterizer falls back to a system font. */
const MISSING_EM = 0.6;

/**
 * The width in pixels of `text` in the chart fonts at `fontSize`, taking each character from the
 * first font that has it, as fontconfig's fallback does. Kerning is left out (under 1% on labels).
 * @example textWidth('Win rate 赢单率', 12, 400)
 */
export function textWidth(text: string, fontSize: number, weight: number | string = 400): number {
  const bold = weight === 'bold' || (typeof weight === 'number' ? weight >= 550 : Number(weight) >= 550);
  const stack = fontStacks().get(bold ? 600 : 400)!;
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    let w: number | undefined;
    for (const font of stack) {
      font.widths ??= readFontWidths(font.font);
      w = advanceEm(font.widths, code);
      if (w !== undefined) break;
    }
    em += w ?? MISSING_EM;
  }
  return em * fontSize;
}
