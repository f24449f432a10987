// Idle bot benchmark: the Slack bot as a user deploys it, `npm start` with a bot token (pointed at
// the test suite's fake Slack on loopback) and the bundled config on SQLite, left alone once it is
// up. Its figure is the resident memory of the whole process tree that `npm start` makes (npm, the
// shell and the bot), summed from /proc, against `node -e "setInterval(()=>{},1000)"`, a node
// process that only stays alive. The first start loads the demo data; the figure is of a second
// start on that database, the state a running deployment settles into. Linux only (/proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSlack } from '../test/helpers/fake-slack.ts';
import { benchRow, median, type BenchCaseResult } from './bench-row.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Seconds of RSS samples, once a second, after the bot settled. */
const SAMPLE_SECONDS = 15;
/** The bot counts as settled when its tree's RSS moved less than this over SETTLE_SECONDS. */
const SETTLE_PCT = 2;
const SETTLE_SECONDS = 10;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** CPU ticks (user + system) of a process, from /proc; undefined where there is none. */
function cpuTicks(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Waits until the process used under 5% of a core for 2 s in a row (at most 300 s), and returns
 * the seconds it took; undefined without /proc.
 */
export async function untilIdle(pid: number): Promise<number | undefined> {
  const t0 = performance.now();
  let last = cpuTicks(pid);
  if (last === undefined) return undefined;
  let quiet = 0;
  while (quiet < 4 && performance.now() - t0 < 300_000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuTicks(pid);
    if (now === undefined) return undefined;
    // 100 ticks per second: 5% of a core over 0.5 s is 2.5 ticks.
    quiet = now - last <= 2 ? quiet + 1 : 0;
    last = now;
  }
  return (performance.now() - t0) / 1000;
}

/** The process `root` and all its descendants, with each one's command and RSS in MB. */
export function processTree(root: number): { pid: number; command: string; rssMb: number }[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The fourth field of /proc/<pid>/stat is the parent's id; the command may hold spaces, so split after its ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree.flatMap((pid) => {
    try {
      return [{ pid, command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 160), rssMb: rssMb(pid) }];
    } catch {
      return [];
    }
  });
}

const treeMb = (root: number) => processTree(root).reduce((sum, p) => sum + p.rssMb, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `out()` matches `pattern` or the process exits; returns false on exit or after `ms`. */
async function waitFor(child: ChildProcess, out: () => string, pattern: RegExp, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(200)) {
    if (pattern.test(out())) return true;
    if (child.exitCode !== null) return false;
  }
  return false;
}

/** Waits for the tree's RSS to settle, then samples it; the median and the per-process split of the last sample. */
async function settledRss(root: number): Promise<{ medianMb: number; settledAfterS: number; processes: ReturnType<typeof processTree> }> {
  const history: number[] = [];
  const began = Date.now();
  while (Date.now() - began < 120_000) {
    history.push(treeMb(root));
    const window = history.slice(-SETTLE_SECONDS - 1);
    if (window.length > SETTLE_SECONDS && (Math.max(...window) - Math.min(...window)) / Math.min(...window) < SETTLE_PCT / 100) break;
    await sleep(1000);
  }
  const settledAfterS = (Date.now() - began) / 1000;
  const samples: number[] = [];
  for (let i = 0; i < SAMPLE_SECONDS; i++, await sleep(1000)) samples.push(treeMb(root));
  return { medianMb: median(samples), settledAfterS, processes: processTree(root) };
}

/** Starts `npm start` with `env`, waits for the bot line, and returns the process and its output so far. */
async function startBot(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  if (!(await waitFor(child, () => text, /Slack bot running/, 180_000))) {
    child.kill('SIGTERM');
    throw new Error(`[bench] idle: npm start did not bring the bot up: ${text.slice(-1500)}`);
  }
  return { child, out: () => text };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  // npm passes SIGTERM on to the bot, which stops its jobs and its HTTP server.
  for (const p of processTree(child.pid!).reverse()) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await Promise.race([exited, sleep(15_000)]);
}

/** The case for `npm run bench`: the idle bot's process tree against a bare node process that stays alive. */
export async function idleBenchCase(): Promise<BenchCaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-idle-'));
  const slack = await startFakeSlack();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${join(dir, 'idle.db')}`,
    SLACK_BOT_TOKEN: 'xoxb-idle-bench',
    SLACK_SIGNING_SECRET: 'idle-bench-secret',
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.SLACK_APP_TOKEN;
  delete env.CRM_PULSE_CONFIG;
  try {
    // The first start loads the demo data into the fresh database.
    const first = await startBot(env);
    const firstRss = await settledRss(first.child.pid!);
    await stop(first.child);
    const second = await startBot(env);
    const idle = await settledRss(second.child.pid!);
    const bot = idle.processes.find((p) => /^(\S*\/)?node\b.* dist\/main\.js start/.test(p.command));
    const botPeakMb = bot ? Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${bot.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024 : undefined;
    await stop(second.child);
    const base = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await sleep(1000);
    const baseline = await settledRss(base.pid!);
    base.kill();
    const detail = [
      `idle: \`npm start\` (Slack bot over HTTP, fake Slack on loopback, bundled config, SQLite), RSS of the whole process tree once settled (±${SETTLE_PCT}% over ${SETTLE_SECONDS} s), median of ${SAMPLE_SECONDS} samples a second apart`,
      `  second start, demo data in the database: ${idle.medianMb.toFixed(0)} MB after ${idle.settledAfterS.toFixed(0)} s to settle (budget ≤ 200 MB); the bot process peaked at ${botPeakMb?.toFixed(0)} MB`,
      ...idle.processes.map((p) => `    ${String(p.pid).padStart(7)} ${p.rssMb.toFixed(0).padStart(5)} MB  ${p.command}`),
      `  first start, which loads the demo data: ${firstRss.medianMb.toFixed(0)} MB`,
      `  baseline node -e "setInterval(()=>{},1000)": ${baseline.medianMb.toFixed(0)} MB`,
    ].join('\n');
    return {
      rows: [
        benchRow({
          case: 'idle',
          measured: 'idle bot (npm start, Slack over HTTP), process tree RSS',
          unit: 'MB',
          value: idle.medianMb,
          baseline: 'node, setInterval only',
          baselineValue: baseline.medianMb,
          peakRssMb: botPeakMb,
          baselinePeakRssMb: baseline.medianMb,
        }),
      ],
      detail,
      raw: { idle, firstStart: firstRss, baseline },
    };
  } finally {
    await slack.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
