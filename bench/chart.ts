// The chart benchmark. Speed: crm-pulse's compiled renderer against the anchors' way, a warm
// headless Chromium drawing the same vega-lite spec with vega-embed and taking a screenshot at the
// same pixel ratio; each side is a warm child process of its own and the renders alternate,
// A B A B, so load on the shared machine weighs on both. Memory: the renderer's peak RSS in a
// fresh process, started as `npm start` starts the bot, against `node -e 0`. Speed is measured
// here, never in tests.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChartInput } from '../src/charts/chart-input.ts';
import { CHART_KINDS, type ChartKind } from '../src/charts/chart-kind.ts';
import { START_ENV, START_NODE_FLAGS, START_SETTINGS } from './start-env.ts';
import { benchRow, median, type BenchCaseResult, type BenchRow } from './bench-row.ts';
import { CHROMIUM } from './chart-chromium.ts';

const RUNS = 40;
const WARMUP = 5;
/** Renders of every kind, English and Chinese, in the memory measurement. */
const RSS_ROUNDS = 10;
const RENDERER = fileURLToPath(new URL('./chart-renderer-child.mjs', import.meta.url));
const CHROMIUM_SIDE = fileURLToPath(new URL('./chart-chromium.ts', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/charts/render-chart.js', import.meta.url));

/** One render's answer from a side. */
interface Render {
  ms: number;
  bytes: number;
  width: number;
  height: number;
}

/** One chart kind's interleaved timings. */
export interface KindTiming {
  readonly kind: ChartKind;
  readonly oursMs: number;
  readonly oursP95Ms: number;
  readonly chromiumMs?: number;
  readonly chromiumP95Ms?: number;
  /** the PNG's pixel size on each side: they must match */
  readonly size: string;
  readonly chromiumSize?: string;
}

/** A warm child process answering one IPC message at a time. */
class Side {
  private constructor(private readonly child: ChildProcess) {}

  /** Forks `file` and waits for its `{ ready: true }`. */
  static async start(file: string, options: { execArgv: string[]; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<Side> {
    const child = fork(file, options.args ?? [], { execArgv: options.execArgv, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`${file} exited ${code} before it was ready: ${stderr.slice(-2000)}`)));
    });
    return new Side(child);
  }

  /** Sends one message and waits for the answer; an `{ error }` answer throws. */
  ask<T>(message: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (answer: T & { error?: string }) => (answer.error ? reject(new Error(answer.error)) : resolve(answer)));
      this.child.send(message);
    });
  }

  stop(): void {
    this.child.disconnect();
    this.child.kill();
  }
}

async function fixtures(): Promise<Record<string, ChartInput>> {
  // The test fixtures: one chart of every kind (the trend has 52 weeks), in English and Chinese.
  return (await import('../test/charts/chart-fixtures.ts')).CHART_FIXTURES;
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))]!;

function requireDist(): void {
  if (!existsSync(DIST)) throw new Error(`[bench] chart: ${DIST} is missing; the bench measures the compiled renderer, so run \`npm run build\` first`);
}

/** The interleaved speed run: per kind, WARMUP renders a side, then RUNS of A then B. */
export async function runInterleaved(): Promise<{ timings: KindTiming[]; oursPeakRssMb: number; chromium: string | { peakRssMb: number } }> {
  requireDist();
  const inputs = await fixtures();
  const ours = await Side.start(RENDERER, { execArgv: [...START_NODE_FLAGS], env: { ...process.env, ...START_ENV } });
  let browser: Side | undefined;
  let reason = `skipped: ${CHROMIUM} not installed (apt install chromium)`;
  if (existsSync(CHROMIUM)) {
    try {
      browser = await Side.start(CHROMIUM_SIDE, { execArgv: process.execArgv, args: ['--chart-chromium'] });
    } catch (error) {
      reason = `failed to start: ${(error as Error).message.slice(0, 300)}`;
    }
  }
  const { fillChartTemplate } = await import('../src/charts/fill-chart-template.ts');
  const timings: KindTiming[] = [];
  try {
    for (const kind of CHART_KINDS) {
      const input = inputs[kind]!;
      const spec = fillChartTemplate(input);
      const a = () => ours.ask<Render>({ input });
      const b = () => browser!.ask<Render>({ spec });
      for (let i = 0; i < WARMUP; i++) {
        await a();
        if (browser) await b();
      }
      const mine: Render[] = [];
      const theirs: Render[] = [];
      for (let i = 0; i < RUNS; i++) {
        mine.push(await a());
        if (browser) theirs.push(await b());
      }
      const size = `${mine[0]!.width}×${mine[0]!.height}`;
      timings.push({
        kind,
        oursMs: median(mine.map((r) => r.ms)),
        oursP95Ms: p95(mine.map((r) => r.ms)),
        size,
        ...(browser
          ? {
              chromiumMs: median(theirs.map((r) => r.ms)),
              chromiumP95Ms: p95(theirs.map((r) => r.ms)),
              chromiumSize: `${theirs[0]!.width}×${theirs[0]!.height}`,
            }
          : {}),
      });
    }
    const { peakRssMb: oursPeakRssMb } = await ours.ask<{ peakRssMb: number }>({ rss: true });
    return { timings, oursPeakRssMb, chromium: browser ? await browser.ask<{ peakRssMb: number }>({ rss: true }) : reason };
  } finally {
    ours.stop();
    browser?.stop();
  }
}

/** Peak RSS of a fresh renderer process rendering every kind in English and Chinese RSS_ROUNDS times. */
export async function rendererPeakRss(env: NodeJS.ProcessEnv, execArgv: string[]): Promise<{ startRssMb: number; peakRssMb: number }> {
  requireDist();
  const inputs = await fixtures();
  const ours = await Side.start(RENDERER, { execArgv, env });
  try {
    for (let round = 0; round < RSS_ROUNDS; round++) for (const input of Object.values(inputs)) await ours.ask<Render>({ input });
    return await ours.ask<{ startRssMb: number; peakRssMb: number }>({ rss: true });
  } finally {
    ours.stop();
  }
}

/** Peak RSS of `node -e 0`, the memory measurement's baseline. */
function bareNodeRssMb(): number {
  const run = spawnSync(process.execPath, ['-e', "console.log(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1])"], {
    encoding: 'utf8',
  });
  return Number(run.stdout.trim()) / 1024;
}

/** The case for `npm run bench`: per kind, the median render against warm Chromium's, and the renderer's peak RSS. */
export async function chartBenchCase(): Promise<BenchCaseResult> {
  const speed = await runInterleaved();
  const node = bareNodeRssMb();
  const tuned = await rendererPeakRss({ ...process.env, ...START_ENV }, [...START_NODE_FLAGS]);
  const plain = await rendererPeakRss(Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in START_ENV))), []);
  const chromium = typeof speed.chromium === 'string' ? undefined : speed.chromium;
  const rows: BenchRow[] = speed.timings.map((t) =>
    benchRow({
      case: 'chart',
      measured: `${t.kind} chart to PNG, ${t.size}, interleaved (median of ${RUNS})`,
      unit: 'ms',
      value: t.oursMs,
      ...(chromium && t.chromiumMs !== undefined
        ? { baseline: 'warm Chromium + vega-embed', baselineValue: t.chromiumMs, baselinePeakRssMb: chromium.peakRssMb }
        : { baseline: speed.chromium as string }),
      peakRssMb: speed.oursPeakRssMb,
    }),
  );
  const kinds = Object.keys(await fixtures()).length;
  rows.push(
    benchRow({
      case: 'chart',
      measured: `renderer peak RSS, fresh process, ${kinds} charts (en + zh) × ${RSS_ROUNDS}`,
      unit: 'MB',
      value: tuned.peakRssMb,
      baseline: 'node -e 0',
      baselineValue: node,
      peakRssMb: tuned.peakRssMb,
      baselinePeakRssMb: node,
    }),
  );
  const ms = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1)).padStart(7);
  const lines = [
    `chart: each kind to PNG at pixel ratio 2 by the compiled renderer (node dist/ with ${START_SETTINGS}, as npm start runs it), ` +
      `${RUNS} runs after ${WARMUP} warm-up, interleaved with warm Chromium (ms)`,
    `  ${'kind'.padEnd(13)} ${'crm-pulse'.padStart(9)} ${'p95'.padStart(7)}   ${'size'.padStart(9)}   ${'Chromium'.padStart(8)} ${'p95'.padStart(7)}   ${'size'.padStart(9)}   faster`,
  ];
  for (const t of speed.timings) {
    lines.push(
      `  ${t.kind.padEnd(13)} ${ms(t.oursMs).padStart(9)} ${ms(t.oursP95Ms)}   ${t.size.padStart(9)}   ${ms(t.chromiumMs).padStart(8)} ${ms(t.chromiumP95Ms)}   ${(t.chromiumSize ?? '—').padStart(9)}   ` +
        (t.chromiumMs === undefined ? '—' : `${(t.chromiumMs / t.oursMs).toFixed(1)}×`),
    );
  }
  const medianOfMedians = median(speed.timings.map((t) => t.oursMs));
  if (chromium) {
    const ratios = speed.timings.map((t) => t.chromiumMs! / t.oursMs);
    const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
    lines.push(
      `  Chromium ${CHROMIUM}: ${geomean.toFixed(1)}× crm-pulse's time (geometric mean of the per-kind ratios; budget ≥ 6×), peak RSS ${chromium.peakRssMb.toFixed(0)} MB across its processes`,
    );
  } else lines.push(`  Chromium: ${speed.chromium as string}`);
  lines.push(
    `  crm-pulse median over kinds ${medianOfMedians.toFixed(1)} ms (budget ≤ 30 ms); the renderer process of the speed run peaked at ${speed.oursPeakRssMb.toFixed(0)} MB`,
    `  renderer peak RSS, fresh process, every kind in English and Chinese × ${RSS_ROUNDS}: ${tuned.peakRssMb.toFixed(0)} MB as npm start runs it, ` +
      `${plain.peakRssMb.toFixed(0)} MB without ${START_SETTINGS} (the process before it loaded the renderer: ${tuned.startRssMb.toFixed(0)} MB; node -e 0: ${node.toFixed(0)} MB; budget ≤ 150 MB)`,
  );
  return { rows, detail: lines.join('\n'), raw: { ...speed, rendererRss: { tuned, plain, node } } };
}
