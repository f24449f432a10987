import { loadSharp } from '../../src/charts/load-sharp.ts';

/** What a decoded PNG looks like: its size, per-channel spread and how many colours it uses. */
export interface PngStats {
  readonly width: number;
  readonly height: number;
  readonly format: string | undefined;
  /** standard deviation of each channel over all pixels */
  readonly stdev: number[];
  readonly distinctColours: number;
}

/** Decodes a PNG with sharp (through the charts' loader, so fonts are configured first). */
export async function pngStats(png: Buffer): Promise<PngStats> {
  const sharp = await loadSharp();
  const image = sharp(png);
  const meta = await image.metadata();
  const stats = await image.stats();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += info.channels) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  return { width: meta.width!, height: meta.height!, format: meta.format, stdev: stats.channels.map((c) => c.stdev), distinctColours: colours.size };
}

/** The width and height attributes of an SVG's root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg[^>]*>/.exec(svg)![0];
  return { width: Number(/\bwidth="([\d.]+)"/.exec(root)![1]), height: Number(/\bheight="([\d.]+)"/.exec(root)![1]) };
}
