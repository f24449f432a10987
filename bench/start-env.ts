// What `npm start` gives the bot: the VAR=value words before `node` in package.json's start script
// (the allocator settings) and the node flags after it (the V8 heap settings). The benches start
// crm-pulse's processes with the same, so they measure what `npm start` runs.
import { readFileSync } from 'node:fs';

const script: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start;
const match = /^((?:\w+=\S+\s+)*)node((?:\s+--\S+)*)\s+\S+\.js\b/.exec(script);
if (!match) throw new Error(`[bench] package.json's start script '${script}' is not 'VAR=value … node --flag … dist/main.js start'; update bench/start-env.ts`);
const words = (text: string | undefined) => (text ?? '').trim().split(/\s+/).filter(Boolean);

/** The variables package.json's start script sets, e.g. { MALLOC_ARENA_MAX: '1' }. */
export const START_ENV: Readonly<Record<string, string>> = Object.fromEntries(
  words(match[1]).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
);

/** The node flags package.json's start script passes, e.g. ['--max-semi-space-size=2']. */
export const START_NODE_FLAGS: readonly string[] = words(match[2]);

/** START_ENV and START_NODE_FLAGS as one line, for the benches' detail lines. */
export const START_SETTINGS = [...Object.entries(START_ENV).map(([k, v]) => `${k}=${v}`), ...START_NODE_FLAGS].join(' ') || 'no settings';
