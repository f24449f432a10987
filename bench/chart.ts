// The chart benchmark: crm-pulse's in-process renderer against the anchors' way, a warm headless
// Chromium drawing the same vega-lite specs with vega-embed and taking a screenshot. Each side
// runs in a child process of its own so that its peak RSS is its own. Speed is measured here,
// never in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartInput } from '../src/charts/chart-input.ts';
import { CHART_KINDS, type ChartKind } from '../src/charts/chart-kind.ts';
import { benchRow, type BenchCaseResult, type BenchRow } from './bench-row.ts';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';
const RUNS = 40;
const WARMUP = 5;

/** One chart kind's render times in ms. */
export interface KindTiming {
  readonly kind: ChartKind;
  /** the first render in the process: template compile, font loading */
  readonly firstMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  /** PNG size in bytes */
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
}

/** One side of the benchmark. */
export interface ChartSide {
  readonly timings: readonly KindTiming[];
  /** the side's peak resident memory: the renderer process, or all Chromium processes together */
  readonly peakRssMb: number;
  /** RSS of the process before it loaded any chart code (the renderer side only) */
  readonly startRssMb?: number;
}

/**
 * glibc settings that return the rasterizer's freed image buffers to the system instead of
 * keeping them in one malloc arena per thread (sharp's documentation warns about glibc's
 * allocator and recommends jemalloc); they must be in the environment when the process starts,
 * so the benchmark runs the renderer with and without them.
 */
export const MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** Both sides; `chromium` is a reason string when the browser is not installed or failed. */
export interface ChartBenchResult {
  readonly ours: ChartSide;
  /** the renderer again, started with MALLOC_ENV */
  readonly oursTuned: ChartSide;
  readonly chromium: ChartSide | string;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

const statusMb = (field: 'VmHWM' | 'VmRSS', pid: number | 'self' = 'self') => {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
};

async function fixtures(): Promise<Record<ChartKind, ChartInput>> {
  // The test fixtures: a 52-week trend and one chart of every other kind, English.
  const { CHART_FIXTURES } = await import('../test/charts/chart-fixtures.ts');
  return Object.fromEntries(CHART_KINDS.map((kind) => [kind, CHART_FIXTURES[kind]])) as Record<ChartKind, ChartInput>;
}

/** Child: renders every kind with crm-pulse and prints the timings as JSON. */
async function rendererChild(): Promise<ChartSide> {
  const startRssMb = statusMb('VmRSS');
  const inputs = await fixtures();
  const { renderChart } = await import('../src/charts/render-chart.ts');
  const timings: KindTiming[] = [];
  for (const kind of CHART_KINDS) {
    let t = performance.now();
    const chart = await renderChart(inputs[kind]);
    const firstMs = performance.now() - t;
    for (let i = 0; i < WARMUP; i++) await renderChart(inputs[kind]);
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      await renderChart(inputs[kind]);
      ms.push(performance.now() - t);
    }
    timings.push({ kind, firstMs, medianMs: percentile(ms, 0.5), p95Ms: percentile(ms, 0.95), bytes: chart.png.length, width: chart.width, height: chart.height });
  }
  return { timings, peakRssMb: statusMb('VmHWM'), startRssMb };
}

/** The resident memory of every process whose command line names `marker` (the browser's profile folder). */
function treeRssMb(marker: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) total += statusMb('VmRSS', Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** The folder of an installed package (their exports hide the browser builds from require.resolve). */
function packageDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = up;
  }
  return dir;
}

/** Child: the same charts in a warm headless Chromium through vega-embed, one screenshot each. */
async function chromiumChild(): Promise<ChartSide> {
  const { chromium } = await import('playwright-core');
  const { fillChartTemplate } = await import('../src/charts/fill-chart-template.ts');
  const { ensureFontConfig } = await import('../src/charts/ensure-font-config.ts');
  const inputs = await fixtures();
  const specs = Object.fromEntries(CHART_KINDS.map((kind) => [kind, fillChartTemplate(inputs[kind])]));

  // No network here: vega, vega-lite and vega-embed come from node_modules over loopback.
  const scripts: Record<string, string> = {
    '/vega.js': join(packageDir('vega'), 'build/vega.min.js'),
    '/vega-lite.js': join(packageDir('vega-lite'), 'build/vega-lite.min.js'),
    '/vega-embed.js': join(packageDir('vega-embed'), 'build/vega-embed.min.js'),
  };
  const page = `<!doctype html><html><head><meta charset="utf-8">${Object.keys(scripts).map((s) => `<script src="${s}"></script>`).join('')}</head><body style="margin:0;background:#fff"><div id="vis"></div></body></html>`;
  const server = createServer((req, res) => {
    const file = scripts[req.url ?? ''];
    res.writeHead(200, { 'content-type': file ? 'text/javascript' : 'text/html; charset=utf-8' });
    res.end(file ? readFileSync(file) : page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  const profile = mkdtempSync(join(tmpdir(), 'crm-pulse-chromium-'));
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, treeRssMb(profile))), 25);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    deviceScaleFactor: 2,
    viewport: { width: 900, height: 1400 },
    // The same fonts as crm-pulse, so both draw the same text.
    env: { ...process.env, FONTCONFIG_FILE: ensureFontConfig({}) },
  });
  try {
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.goto(`http://127.0.0.1:${port}/`);
    const timings: KindTiming[] = [];
    for (const kind of CHART_KINDS) {
      const draw = async () => {
        const t = performance.now();
        await tab.evaluate(async (spec) => {
          const embed = (globalThis as unknown as { vegaEmbed: (el: string, spec: unknown, opts: unknown) => Promise<unknown> }).vegaEmbed;
          await embed('#vis', spec, { actions: false, renderer: 'canvas' });
        }, specs[kind]);
        const png = await tab.locator('#vis canvas').screenshot({ type: 'png' });
        return { ms: performance.now() - t, png };
      };
      const first = await draw();
      for (let i = 0; i < WARMUP; i++) await draw();
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) ms.push((await draw()).ms);
      const size = first.png.readUInt32BE(16);
      timings.push({ kind, firstMs: first.ms, medianMs: percentile(ms, 0.5), p95Ms: percentile(ms, 0.95), bytes: first.png.length, width: size, height: first.png.readUInt32BE(20) });
    }
    return { timings, peakRssMb };
  } finally {
    clearInterval(sampler);
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function runChild(side: 'renderer' | 'chromium', env: NodeJS.ProcessEnv = process.env): ChartSide {
  const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--chart-child=${side}`], {
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('{"timings"'));
  if (run.status !== 0 || !line) throw new Error(`the ${side} side of the chart bench failed (exit ${run.status}): ${run.stderr || run.error?.message}`);
  return JSON.parse(line) as ChartSide;
}

/** Runs both sides, each in a child process; Chromium only when installed. */
export function runChartBench(): ChartBenchResult {
  const ours = runChild('renderer');
  const oursTuned = runChild('renderer', { ...process.env, ...MALLOC_ENV });
  if (!existsSync(CHROMIUM)) {
    return { ours, oursTuned, chromium: `${CHROMIUM} is not installed, so there is no browser baseline (install it with: apt-get install -y chromium)` };
  }
  try {
    return { ours, oursTuned, chromium: runChild('chromium') };
  } catch (error) {
    return { ours, oursTuned, chromium: (error as Error).message };
  }
}

/** The report `npm run bench chart` prints. */
export function chartBenchReport({ ours, oursTuned, chromium }: ChartBenchResult): string {
  const ms = (n: number) => n.toFixed(1).padStart(7);
  const base = typeof chromium === 'string' ? undefined : new Map(chromium.timings.map((t) => [t.kind, t]));
  const lines = [
    `chart: each kind rendered to PNG at pixel ratio 2, ${RUNS} runs after ${WARMUP} warm-up (ms; the trend has 52 weekly points)`,
    `  ${'kind'.padEnd(13)} ${'crm-pulse median'.padStart(16)} ${'p95'.padStart(7)} ${'first'.padStart(7)}   ${'size'.padStart(9)}${base ? `   ${'Chromium median'.padStart(15)} ${'p95'.padStart(7)}   ratio` : ''}`,
  ];
  for (const t of ours.timings) {
    const b = base?.get(t.kind);
    lines.push(
      `  ${t.kind.padEnd(13)} ${ms(t.medianMs).padStart(16)} ${ms(t.p95Ms)} ${ms(t.firstMs)}   ${`${t.width}×${t.height}`.padStart(9)}` +
        (b ? `   ${ms(b.medianMs).padStart(15)} ${ms(b.p95Ms)}   ${(b.medianMs / t.medianMs).toFixed(1).padStart(4)}×` : ''),
    );
  }
  lines.push(`  crm-pulse renderer process: peak RSS ${ours.peakRssMb.toFixed(0)} MB (node with the tsx loader alone: ${ours.startRssMb?.toFixed(0)} MB)`);
  const tunedTrend = oursTuned.timings.find((t) => t.kind === 'trend')!;
  lines.push(
    `  the same started with ${Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}: peak RSS ${oursTuned.peakRssMb.toFixed(0)} MB, trend median ${tunedTrend.medianMs.toFixed(1)} ms`,
  );
  if (typeof chromium === 'string') lines.push(`  Chromium: ${chromium}`);
  else {
    const ratios = ours.timings.map((t) => base!.get(t.kind)!.medianMs / t.medianMs);
    const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
    lines.push(`  Chromium ${CHROMIUM} (warm page, vega-embed + element screenshot): peak RSS ${chromium.peakRssMb.toFixed(0)} MB across its processes`);
    lines.push(`  ratio: Chromium takes ${geomean.toFixed(1)}× crm-pulse's time (geometric mean of the per-kind ratios of medians)`);
  }
  return lines.join('\n');
}

/** The case for `npm run bench`: per chart kind, the median render against warm Chromium's, and the detail lines. */
export function chartBenchCase(): BenchCaseResult {
  const results = runChartBench();
  const { ours, chromium } = results;
  const base = typeof chromium === 'string' ? undefined : new Map(chromium.timings.map((t) => [t.kind, t]));
  const rows: BenchRow[] = ours.timings.map((t) =>
    benchRow({
      case: 'chart',
      measured: `${t.kind} chart to PNG, ${t.width}×${t.height} (median of ${RUNS})`,
      unit: 'ms',
      value: t.medianMs,
      ...(base && typeof chromium !== 'string'
        ? { baseline: 'warm Chromium + vega-embed', baselineValue: base.get(t.kind)!.medianMs, baselinePeakRssMb: chromium.peakRssMb }
        : { baseline: 'Chromium: not installed' }),
      peakRssMb: ours.peakRssMb,
    }),
  );
  return { rows, detail: chartBenchReport(results), raw: results };
}

const child = process.argv.find((a) => a.startsWith('--chart-child='))?.slice('--chart-child='.length);
if (child === 'renderer' || child === 'chromium') {
  const side = await (child === 'renderer' ? rendererChild() : chromiumChild());
  process.stdout.write(`${JSON.stringify(side)}\n`);
  process.exit(0);
}
