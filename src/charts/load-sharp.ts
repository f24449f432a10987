import type { Sharp, SharpOptions } from 'sharp';
import { chartError } from './chart-error.ts';
import { ensureFontConfig } from './ensure-font-config.ts';

/** The sharp constructor, as this module uses it. */
export type SharpFactory = (input?: Buffer, options?: SharpOptions) => Sharp;

let loading: Promise<SharpFactory> | undefined;

/**
 * sharp, imported on first use after the project's fontconfig file is in place: fontconfig reads
 * FONTCONFIG_FILE once, so importing sharp earlier could leave Chinese text as boxes. libvips's
 * operation cache is turned off: every chart is a new image, so it would only hold memory. One
 * libvips worker thread per image instead of one per core: librsvg draws a chart's SVG on one thread
 * anyway, and each further worker holds buffers of its own (measured: no slower on the 2-core machine).
 */
export function loadSharp(): Promise<SharpFactory> {
  loading ??= (async () => {
    ensureFontConfig();
    try {
      const sharp = (await import('sharp')).default;
      sharp.cache(false);
      sharp.concurrency(1);
      return sharp as SharpFactory;
    } catch (cause) {
      loading = undefined;
      throw chartError(
        'png',
        `sharp could not be loaded: ${(cause as Error).message}`,
        'run `npm ci`; sharp ships its native library in npm packages for this platform',
        cause,
      );
    }
  })();
  return loading;
}
