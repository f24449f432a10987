#!/usr/bin/env node
// Compiles src/ to dist/ once (npm ci runs it through `prepare`), so `npm start` and the
// crm-pulse bin run JavaScript instead of compiling TypeScript at every start. dist/ keeps src/'s
// depth, so paths such as '../../charts' and '../../prisma/migrations' resolve the same from both.
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// Plain JavaScript files under src/ (the SQLite write worker) are not emitted by tsc: copy them.
function copyJs(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyJs(path);
    else if (name.endsWith('.js') || name.endsWith('.mjs')) cpSync(path, join(dist, relative(join(root, 'src'), path)));
  }
}
copyJs(join(root, 'src'));

// mathjs's package entry evaluates every one of its 1,000+ modules (about 1 CPU-second and 70 MB)
// although only the parser is used. Bundling the one file that imports it lets esbuild keep just
// the modules the parser needs (mathjs declares itself free of side effects).
const { build } = await import('esbuild');
const bundle = (entry, outfile) =>
  build({
    entryPoints: [join(root, entry)],
    outfile: join(dist, outfile),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    allowOverwrite: true,
    logLevel: 'warning',
  });
await bundle('src/kpi/mathjs-parser.ts', 'kpi/mathjs-parser.js');

// vega is about a hundred ES modules (its vega-* packages and d3). The renderer imports it only
// through src/charts/vega.ts; bundled into one file, it loads with 9 MB less RSS and 3 MB less
// heap. A second copy of vega, imported elsewhere, would not have the renderer's font metrics.
await bundle('src/charts/vega.ts', 'charts/vega.js');
function checkVegaImports(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) checkVegaImports(path);
    else if (
      name.endsWith('.js') &&
      path !== join(dist, 'charts/vega.js') &&
      /\bfrom\s*['"]vega['"]|import\(\s*['"]vega['"]\s*\)/.test(readFileSync(path, 'utf8'))
    )
      throw new Error(`[build] ${relative(root, path)} imports 'vega': import it from src/charts/vega.ts, the one bundled copy`);
  }
}
checkVegaImports(dist);

// The chart templates compiled to vega (dist/charts/vega/), so the renderer never loads vega-lite:
// about 10 MB less peak RSS for a process that draws charts. A vega-lite warning fails the build.
const { writeCompiledTemplates } = await import(pathToFileURL(join(dist, 'charts/compile-template.js')).href);
writeCompiledTemplates();
