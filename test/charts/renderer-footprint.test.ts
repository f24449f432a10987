// What keeps the renderer's process small (issue 16, "Memory"): it draws from the templates the
// build compiled to vega and never loads vega-lite; it loads vega as the one bundled file; and its
// dataflow nodes keep their dependents in a Set, with vega's own semantics.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installLeanTargets } from '../../src/charts/install-lean-targets.ts';
import { vegaInternals } from '../../src/charts/vega.ts';
import { CHART_FIXTURES } from './chart-fixtures.ts';

const DIST_RENDERER = pathToFileURL(fileURLToPath(new URL('../../dist/charts/render-chart.js', import.meta.url))).href;

describe('the compiled renderer', () => {
  it('renders charts in English, Chinese and a currency without loading vega-lite, and vega as one file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-footprint-'));
    const log = join(dir, 'modules.txt');
    // A module hook that writes down every module the process loads.
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`,
    );
    const inputs = [CHART_FIXTURES.trend, CHART_FIXTURES['clv-zh'], { ...CHART_FIXTURES.forecast, currency: 'EUR' }];
    const script = `const { renderChart } = await import(${JSON.stringify(DIST_RENDERER)});
for (const input of ${JSON.stringify(inputs)}) if (!(await renderChart(input)).png.length) throw new Error('empty PNG');`;
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const modules = spawnSync('cat', [log], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(modules.filter((url) => url.includes('/vega-lite/'))).toEqual([]);
    expect(modules.filter((url) => /\/node_modules\/(vega|vega-[a-z-]+|d3-[a-z-]+)\//.test(url))).toEqual([]);
    // The hook saw the renderer's own modules, so an empty list above means something.
    expect(modules).toContain(DIST_RENDERER);
    expect(modules.some((url) => url.endsWith('/dist/charts/vega.js'))).toBe(true);
  });
});

describe("vega's dataflow nodes, given lists of dependents on a Set", () => {
  it('add a dependent once, in order, remove it, and take it back', () => {
    installLeanTargets();
    type Op = { id: number; targets(): unknown[] & { add(op: Op): unknown; remove(op: Op): unknown } };
    const Operator = vegaInternals.Operator as unknown as new (init?: unknown) => Op;
    const [source, a, b] = [new Operator(), new Operator(), new Operator()];
    source.targets().add(a);
    source.targets().add(b);
    source.targets().add(a);
    expect([...source.targets()]).toEqual([a, b]);
    source.targets().remove(a);
    expect([...source.targets()]).toEqual([b]);
    source.targets().add(a);
    expect([...source.targets()]).toEqual([b, a]);
    expect(source.targets()).toBe(source.targets());
  });
});
