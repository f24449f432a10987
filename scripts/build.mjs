#!/usr/bin/env node
// Compiles src/ to dist/ once (npm ci runs it through `prepare`), so `npm start` and the
// crm-pulse bin run JavaScript instead of compiling TypeScript at every start. dist/ keeps src/'s
// depth, so paths such as '../../charts' and '../../prisma/migrations' resolve the same from both.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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
await build({
  entryPoints: [join(root, 'src/kpi/mathjs-parser.ts')],
  outfile: join(dist, 'kpi/mathjs-parser.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  allowOverwrite: true,
  logLevel: 'warning',
});
