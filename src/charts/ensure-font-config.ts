import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chartError } from './chart-error.ts';
import { chartFonts } from './chart-fonts.ts';

let configured: string | undefined;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The fontconfig file the rasterizer reads: the project's font folders first, the system's after
 * them for scripts the project fonts lack, `sans-serif` mapped to the project fonts, and a cache
 * folder of its own. Pure text, so tests can read it.
 */
export function fontConfigText(cacheDir: string): string {
  const dirs = [...new Set(chartFonts().map((f) => dirname(f.file)))];
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by crm-pulse (src/charts/ensure-font-config.ts): the chart fonts ship in npm packages. -->
<fontconfig>
${dirs.map((d) => `  <dir>${escapeXml(d)}</dir>`).join('\n')}
  <dir>/usr/share/fonts</dir>
  <dir>/usr/local/share/fonts</dir>
  <cachedir>${escapeXml(cacheDir)}</cachedir>
  <alias binding="strong">
    <family>sans-serif</family>
    <prefer><family>Noto Sans</family><family>Noto Sans SC</family></prefer>
  </alias>
</fontconfig>
`;
}

/**
 * Writes the fontconfig file into a folder of the system temp dir named after its content and
 * points FONTCONFIG_FILE at it. It must run before the rasterizer first lays out text, because
 * fontconfig reads its configuration once per process: `loadSharp` calls it before importing
 * sharp. Returns the file's path; later calls return the same path.
 */
export function ensureFontConfig(env: NodeJS.ProcessEnv = process.env): string {
  if (configured) {
    env.FONTCONFIG_FILE = configured;
    return configured;
  }
  const probe = fontConfigText('CACHE');
  const dir = join(tmpdir(), `crm-pulse-fonts-${createHash('sha256').update(probe).digest('hex').slice(0, 12)}`);
  const file = join(dir, 'fonts.conf');
  const text = fontConfigText(join(dir, 'cache'));
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  try {
    // The temp dir may be cleaned while the file stays; fontconfig wants its cache folder.
    mkdirSync(join(dir, 'cache'), { recursive: true });
  } catch (cause) {
    throw chartError('fonts', `cannot create the font cache folder in ${dir}: ${(cause as Error).message}`, 'point TMPDIR at a writable folder', cause);
  }
  if (current !== text) {
    try {
      // Write then rename, so a process starting meanwhile never reads half a file.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, text);
      renameSync(partial, file);
    } catch (cause) {
      throw chartError('fonts', `cannot write the fontconfig file ${file}: ${(cause as Error).message}`, 'point TMPDIR at a writable folder', cause);
    }
  }
  env.FONTCONFIG_FILE = file;
  configured = file;
  return file;
}
