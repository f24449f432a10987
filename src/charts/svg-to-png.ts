import { chartError } from './chart-error.ts';
import { loadSharp } from './load-sharp.ts';

/**
 * PNG settings: zlib level 3 without adaptive filtering. Lossless like any PNG; on chart images
 * this is a few times faster than the default (level 6, adaptive) for files about 1.5× larger,
 * still well under Slack's limits.
 */
const PNG_OPTIONS = { compressionLevel: 3, adaptiveFiltering: false } as const;

/**
 * Rasterizes an SVG with sharp (librsvg, text through pango and the project's fontconfig) at
 * `pixelRatio` device pixels per CSS pixel.
 */
export async function svgToPng(kind: string, svg: string, pixelRatio: number): Promise<{ png: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(Buffer.from(svg), { density: 72 * pixelRatio }).png(PNG_OPTIONS).toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (cause) {
    throw chartError(kind, `the SVG could not be rasterized to PNG: ${(cause as Error).message}`, 'this is a bug in the chart template or its data; report it with the input', cause);
  }
}
