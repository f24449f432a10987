import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chartError } from './chart-error.ts';

/** One font file the charts draw with. */
export interface ChartFont {
  /** the family name inside the file, as fontconfig and the SVG name it */
  readonly family: string;
  /** the CSS weight: 400 for labels, 600 for titles */
  readonly weight: 400 | 600;
  /** absolute path of the TTF */
  readonly file: string;
}

/** The font stack of every chart: Latin first, then Simplified Chinese for what Latin lacks. */
export const CHART_FONT_FAMILY = "'Noto Sans', 'Noto Sans SC', sans-serif";

const PACKAGES = [
  { family: 'Noto Sans', pkg: '@expo-google-fonts/noto-sans', file: 'NotoSans' },
  { family: 'Noto Sans SC', pkg: '@expo-google-fonts/noto-sans-sc', file: 'NotoSansSC' },
] as const;
const WEIGHTS = [
  { weight: 400, folder: '400Regular' },
  { weight: 600, folder: '600SemiBold' },
] as const;

let cached: readonly ChartFont[] | undefined;

/**
 * The TTF files shipped by the font packages (OFL), found through Node's module resolution so
 * they work from any working folder. Throws when a package or file is missing.
 */
export function chartFonts(): readonly ChartFont[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const fonts: ChartFont[] = [];
  for (const { family, pkg, file } of PACKAGES) {
    let root: string;
    try {
      root = dirname(require.resolve(`${pkg}/package.json`));
    } catch (cause) {
      throw chartError('fonts', `font package ${pkg} is not installed`, 'run `npm ci`; charts need it to draw text', cause);
    }
    for (const { weight, folder } of WEIGHTS) {
      const path = join(root, folder, `${file}_${folder}.ttf`);
      if (!existsSync(path)) {
        throw chartError(
          'fonts',
          `${pkg} has no ${folder} TTF at ${path}`,
          `reinstall it with \`npm ci\` (package.json pins the version whose layout this expects)`,
        );
      }
      fonts.push({ family, weight, file: path });
    }
  }
  cached = fonts;
  return fonts;
}
