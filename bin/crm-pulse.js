#!/usr/bin/env node
// The crm-pulse command: runs the JavaScript that `npm ci` compiled into dist/ (scripts/build.mjs).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('[crm-pulse] dist/ is missing: run `npm run build` (npm ci does it once), then try again.\n');
  process.exit(2);
}
await import(main.href);
