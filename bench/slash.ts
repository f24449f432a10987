// Slash-command benchmark, measured as production runs: the bot is the compiled crm-pulse
// (`node dist/main.js start`, HTTP receiver, bundled config and demo data on SQLite, the clock pinned
// with CRM_PULSE_AS_OF) in a process of its own, and this process is Slack: the load generator,
// the request signer and the fake Slack Web API that receives the answers and the chart uploads.
// Rows: the ack (HTTP 200 back to "Slack", which allows 3 s) of 50 concurrent DISTINCT commands
// (different KPIs, periods and dimensions, so no answer can be reused) against a bare Bolt app that
// only acks (slash-bare-bolt.mjs, also its own process, same requests); the full answer with its
// charts (drawn natively in the answer, or PNGs in the user's DM) for the same 50; and the same
// two figures for 50 IDENTICAL commands. The bursts begin once the restarted bot has finished its
// start-up catch-up (missed sync and alert ticks) and is idle.
// SLASH_BENCH_CPU_PROF=<dir> writes a CPU profile of the bot process there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRow, type BenchCaseResult } from './bench-row.ts';
import { untilIdle } from './idle.ts';
import { startFakeSlack, type FakeSlack } from '../test/helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../test/helpers/slack-requests.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./rusage-preload.mjs', import.meta.url));
const REQUESTS = 50;
const SECRET = 'bench-signing-secret';
const AS_OF = '2017-12-31';

const DEAL_DIMENSIONS = [undefined, 'region', 'sector', 'product', 'manager'];
/** Periods inside each dataset, so that every answer has values to draw: Maven CRM's deals end in 2017, Online Retail's orders (and the complaints over them) on 2011-12-09. */
const DEAL_PERIODS = ['last month', '2017-Q3'] as const;
const RETAIL_PERIODS = ['2011-11', '2011-Q3'] as const;
/** 25 KPI and dimension pairs over the demo's deals, orders and tickets, each with its dataset's 2 periods: 50 distinct commands. */
const PAIRS: readonly (readonly [string, string | undefined, readonly string[]])[] = [
  ...['win_rate', 'won_revenue', 'avg_deal_size', 'sales_cycle_days'].flatMap((k) => DEAL_DIMENSIONS.map((by) => [k, by, DEAL_PERIODS] as const)),
  ['order_revenue', undefined, RETAIL_PERIODS],
  ['order_revenue', 'country', RETAIL_PERIODS],
  ['orders', undefined, RETAIL_PERIODS],
  ['orders', 'country', RETAIL_PERIODS],
  ['complaint_rate', undefined, RETAIL_PERIODS],
];
/** 50 distinct commands: 25 KPI and dimension pairs × 2 periods. */
export const DISTINCT = PAIRS.flatMap(([k, by, periods]) => periods.map((p) => `${k} ${p}${by ? ` by ${by}` : ''}`));
/** The command the identical row sends 50 times (not one of the distinct ones, nor the warm-up). */
const IDENTICAL = 'won_revenue 2017-Q2 by region';
const WARM_UP = 'win_rate';

/** What one burst of 50 measured. */
export interface BurstResult {
  ackMs: number[];
  fullMs: number[];
  failures: number;
  /** each failed command and what was missing */
  failed: string[];
  /** charts drawn in the answers (data_visualization blocks), and PNGs uploaded to the DMs */
  charts: { native: number; png: number };
}

/** What one run measured. */
export interface SlashResult {
  requests: number;
  distinct: BurstResult;
  identical: BurstResult;
  /** the same 50 concurrent requests to a bare Bolt app that only acks */
  bareAckMs: number[];
  peakRssMb: number;
  bareRssMb: number;
  /** how the bot ended on SIGTERM: "exit code 0" when it stopped cleanly */
  botExit: string;
  /** seconds from the bot's port line until it was idle (its start-up catch-up done), or undefined without /proc */
  settledS: number | undefined;
}

/** Starts a node process and waits for the line that names its port. */
async function startProcess(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`[bench] [slash] ${args.join(' ')} did not start within 180 s: ${out}${err}`)), 180_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`[bench] [slash] ${args.join(' ')} exited ${code}: ${out}${err}`));
    });
  });
  return { child, port };
}

/** Stops a process with SIGTERM and waits for it (bounded: SIGKILL after 20 s); how it exited. */
async function stopProcess(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null) return `exit code ${child.exitCode} before SIGTERM`;
  const exited = new Promise<string>((r) => child.once('exit', (code, signal) => r(code === null ? `killed by ${signal}` : `exit code ${code}`)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const how = await exited;
  clearTimeout(timer);
  return how;
}

/** Sends `texts` at once from distinct users; per request the ack time and the time to its whole answer. */
async function burst(slack: FakeSlack, url: string, texts: readonly string[], tag: string): Promise<BurstResult> {
  const results = await Promise.all(
    texts.map(async (text, i) => {
      const user = `U${tag}${i}`;
      const t0 = performance.now();
      const res = await sendSigned(url, commandBody(text, { user, responseUrl: `${slack.url}/response/${tag}${i}` }), { secret: SECRET });
      const ackMs = performance.now() - t0;
      const charts = / by /.test(text) ? 2 : 1;
      const answer = () => slack.responses.find((r) => r.path === `/response/${tag}${i}`);
      const answered = () => answer() !== undefined;
      // A chart arrives drawn in the answer (data_visualization, slack.charts: native) or as a PNG in the DM.
      const native = () => JSON.stringify(answer()?.body.blocks ?? []).split('"data_visualization"').length - 1;
      const pngs = () => slack.messages.filter((m) => m.channel === `D${user}` && m.files).length;
      const uploads = () => pngs() + native();
      const ok = await waitFor(() => answered() && uploads() >= charts, 120_000);
      const why =
        res.status !== 200 || res.text !== ''
          ? `ack ${res.status} ${res.text.slice(0, 80)}`
          : !ok
            ? `${answered() ? 'answered' : 'no answer'}, ${uploads()} of ${charts} charts after 120 s`
            : '';
      return { ackMs, fullMs: performance.now() - t0, ok: why === '', failed: why ? `${text}: ${why}` : '', native: native(), png: pngs() };
    }),
  );
  return {
    ackMs: results.map((r) => r.ackMs),
    fullMs: results.map((r) => r.fullMs),
    failures: results.filter((r) => !r.ok).length,
    failed: results.flatMap((r) => (r.failed ? [r.failed] : [])),
    charts: { native: results.reduce((n, r) => n + r.native, 0), png: results.reduce((n, r) => n + r.png, 0) },
  };
}

/** Runs the benchmark: a prepared database, then the bot and the bare Bolt app in processes of their own. */
export async function runSlashBench(): Promise<SlashResult> {
  // The bot runs dist/: compile the current sources first.
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`[bench] [slash] the build failed: ${built.stderr}${built.stdout}`);
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-slash-'));
  const slack = await startFakeSlack();
  const rusage = join(dir, 'bot-rusage.json');
  const prof = process.env.SLASH_BENCH_CPU_PROF;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    CRM_PULSE_AS_OF: AS_OF,
    LOG_LEVEL: 'silent',
  };
  delete env.CRM_PULSE_CONFIG;
  delete env.SLACK_APP_TOKEN;
  try {
    // First start loads the bundled demo data; the measured bot then starts on it like a restart.
    const first = await startProcess([join(ROOT, 'dist/main.js'), 'start'], env, dir);
    await stopProcess(first.child);
    const bot = await startProcess(
      ['--import', PRELOAD, ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []), join(ROOT, 'dist/main.js'), 'start'],
      { ...env, CRM_PULSE_RUSAGE_FILE: rusage },
      dir,
    );
    const url = `http://127.0.0.1:${bot.port}/slack/events`;
    // A restarted bot first catches up its missed sync and alert ticks: the bursts measure answers
    // of a bot that has finished them, not answers racing a start-up alert tick.
    const settledS = await untilIdle(bot.child.pid!);
    await burst(slack, url, [WARM_UP], 'W');
    const distinct = await burst(slack, url, DISTINCT, 'D');
    const identical = await burst(
      slack,
      url,
      Array.from({ length: REQUESTS }, () => IDENTICAL),
      'S',
    );
    const botExit = await stopProcess(bot.child);
    const peakRssMb = (JSON.parse(readFileSync(rusage, 'utf8')) as { peakRssMb: number }).peakRssMb;

    const bareUsage = join(dir, 'bare-rusage.json');
    const bare = await startProcess(
      ['--import', PRELOAD, fileURLToPath(new URL('./slash-bare-bolt.mjs', import.meta.url))],
      { ...env, CRM_PULSE_RUSAGE_FILE: bareUsage },
      ROOT,
    );
    const bareUrl = `http://127.0.0.1:${bare.port}/slack/events`;
    await sendSigned(bareUrl, commandBody(WARM_UP, { user: 'UBW', responseUrl: `${slack.url}/response/bare-warm` }), { secret: SECRET });
    const bareAckMs = await Promise.all(
      DISTINCT.map(async (text, i) => {
        const t0 = performance.now();
        const res = await sendSigned(bareUrl, commandBody(text, { user: `UB${i}`, responseUrl: `${slack.url}/response/bare-${i}` }), { secret: SECRET });
        if (res.status !== 200) throw new Error(`[bench] [slash] the bare Bolt app answered ${res.status}`);
        return performance.now() - t0;
      }),
    );
    await stopProcess(bare.child);
    const bareRssMb = (JSON.parse(readFileSync(bareUsage, 'utf8')) as { peakRssMb: number }).peakRssMb;
    return { requests: REQUESTS, distinct, identical, bareAckMs, peakRssMb, bareRssMb, botExit, settledS };
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The percentile `p` of a list of milliseconds. */
function quantile(xs: readonly number[], p: number): number {
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
}

/** The report lines. */
export function slashBenchReport(r: SlashResult): string {
  const q = quantile;
  const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;
  const lines = (name: string, b: BurstResult) => [
    `  ${name}: ack p50 ${ms(q(b.ackMs, 50))}  p99 ${ms(q(b.ackMs, 99))} (${(q(b.ackMs, 99) / q(r.bareAckMs, 99)).toFixed(2)}x bare Bolt); full answer with charts p50 ${ms(q(b.fullMs, 50))}  p95 ${ms(q(b.fullMs, 95))}; charts ${b.charts.native} native, ${b.charts.png} PNG; failures ${b.failures}`,
    ...b.failed.map((f) => `    FAILED ${f}`),
  ];
  return [
    `slash commands: ${r.requests} concurrent signed /kpi requests from a separate process to the compiled bot (node dist/main.js start, demo data on SQLite, fake Slack on loopback)`,
    ...lines(`${r.requests} distinct (7 KPIs, 2 periods, totals and 5 dimensions)`, r.distinct),
    ...lines(`${r.requests} identical ("${IDENTICAL}")`, r.identical),
    `  baseline: bare Bolt app, ack only, own process: p50 ${ms(q(r.bareAckMs, 50))}  p99 ${ms(q(r.bareAckMs, 99))} (same receiver and signature check, ${r.requests} concurrent requests)`,
    `  the bursts began once the bot was idle after its start-up catch-up of missed sync and alert ticks: ${r.settledS === undefined ? 'not measured (no /proc)' : `${r.settledS.toFixed(1)} s after it listened`}`,
    `  peak RSS: bot ${r.peakRssMb.toFixed(0)} MB, bare Bolt ${r.bareRssMb.toFixed(0)} MB; the bot on SIGTERM: ${r.botExit}; Slack allows 3,000 ms for an ack`,
  ].join('\n');
}

/** The case for `npm run bench`: ack p99 against the bare Bolt app and the full answer p95, for distinct and for identical commands. */
export async function slashBenchCase(): Promise<BenchCaseResult> {
  const r = await runSlashBench();
  const fails = (b: BurstResult) => (b.failures ? `, ${b.failures} FAILED` : '');
  const bare = { baseline: 'bare Bolt app, ack only', baselineValue: quantile(r.bareAckMs, 99), peakRssMb: r.peakRssMb, baselinePeakRssMb: r.bareRssMb };
  const rows = [
    benchRow({
      case: 'slash',
      measured: `/kpi ack p99, ${r.requests} concurrent distinct${fails(r.distinct)}`,
      unit: 'ms',
      value: quantile(r.distinct.ackMs, 99),
      ...bare,
    }),
    benchRow({
      case: 'slash',
      measured: `/kpi full answer with charts p95, ${r.requests} distinct (budget 1,000 ms)`,
      unit: 'ms',
      value: quantile(r.distinct.fullMs, 95),
      baseline: 'budget',
      baselineValue: 1000,
      peakRssMb: r.peakRssMb,
    }),
    benchRow({
      case: 'slash',
      measured: `/kpi ack p99, ${r.requests} concurrent identical${fails(r.identical)}`,
      unit: 'ms',
      value: quantile(r.identical.ackMs, 99),
      ...bare,
    }),
    benchRow({
      case: 'slash',
      measured: `/kpi full answer with charts p95, ${r.requests} identical (budget 1,000 ms)`,
      unit: 'ms',
      value: quantile(r.identical.fullMs, 95),
      baseline: 'budget',
      baselineValue: 1000,
      peakRssMb: r.peakRssMb,
    }),
  ];
  return { rows, detail: slashBenchReport(r), raw: r };
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
