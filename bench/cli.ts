// CLI benchmark: whole `crm-pulse` processes as a user starts them (`--help`, and `kpi win_rate` on
// the demo data), CPU seconds and peak RSS, against `node -e 0` in the same run. The TypeScript
// sources run through tsx are measured too, as the cost the compiled build removed. Each command
// runs several times; the medians are reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRow, median, type BenchCaseResult } from './bench-row.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./rusage-preload.mjs', import.meta.url));
const BIN = join(ROOT, 'bin/crm-pulse.js');
const RUNS = 5;

/** CPU seconds and peak RSS of one process. */
interface Usage {
  cpuS: number;
  peakRssMb: number;
}

/** Runs `node <args>` RUNS times with the rusage preload; medians of CPU and peak RSS. */
function measure(args: readonly string[], env: NodeJS.ProcessEnv): Usage {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-cli-'));
  const samples: Usage[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const file = join(dir, `u${i}.json`);
      const out = spawnSync(process.execPath, ['--import', PRELOAD, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...env, CRM_PULSE_RUSAGE_FILE: file },
      });
      if (out.status !== 0) throw new Error(`[bench] cli: node ${args.join(' ')} exited ${out.status}: ${out.stderr.slice(0, 400)}`);
      samples.push(JSON.parse(readFileSync(file, 'utf8')) as Usage);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { cpuS: median(samples.map((s) => s.cpuS)), peakRssMb: median(samples.map((s) => s.peakRssMb)) };
}

/** The case for `npm run bench`: `--help` and `kpi win_rate` as whole processes against `node -e 0`. */
export function cliBenchCase(): BenchCaseResult {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-cli-db-'));
  const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'demo.db')}`, LOG_LEVEL: 'silent' };
  try {
    const ingest = spawnSync(process.execPath, [BIN, 'ingest', '--demo', '--json'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 << 20 });
    if (ingest.status !== 0) throw new Error(`[bench] cli: ingest --demo failed: ${ingest.stderr.slice(0, 400)}`);
    const kpi = ['kpi', 'win_rate', '--as-of', '2017-12-31'];
    const node = measure(['-e', '0'], env);
    const help = measure([BIN, '--help'], env);
    const win = measure([BIN, ...kpi], env);
    const tsxHelp = measure(['--import', 'tsx', join(ROOT, 'src/main.ts'), '--help'], env);
    const tsxWin = measure(['--import', 'tsx', join(ROOT, 'src/main.ts'), ...kpi], env);
    const row = (measured: string, u: Usage, unit: 's' | 'MB') =>
      benchRow({
        case: 'cli',
        measured,
        unit,
        value: unit === 's' ? u.cpuS : u.peakRssMb,
        baseline: 'node -e 0',
        baselineValue: unit === 's' ? node.cpuS : node.peakRssMb,
        peakRssMb: u.peakRssMb,
        baselinePeakRssMb: node.peakRssMb,
      });
    const line = (name: string, u: Usage) => `  ${name.padEnd(42)} ${u.cpuS.toFixed(2).padStart(6)} CPU-s ${u.peakRssMb.toFixed(0).padStart(5)} MB`;
    const detail = [
      `cli: whole processes, median of ${RUNS} runs each (CPU = user + system seconds; peak RSS)`,
      line('node -e 0', node),
      line('crm-pulse --help (compiled)', help),
      line('crm-pulse kpi win_rate (compiled, demo)', win),
      line('tsx src/main.ts --help (the old way)', tsxHelp),
      line('tsx src/main.ts kpi win_rate (the old way)', tsxWin),
      `  budgets: --help ≤ 0.4 CPU-s and ≤ 90 MB; kpi win_rate ≤ 1.0 CPU-s and ≤ 150 MB`,
    ].join('\n');
    return {
      rows: [
        row('crm-pulse --help, CPU', help, 's'),
        row('crm-pulse --help, peak RSS', help, 'MB'),
        row('crm-pulse kpi win_rate on the demo, CPU', win, 's'),
        row('crm-pulse kpi win_rate on the demo, peak RSS', win, 'MB'),
      ],
      detail,
      raw: { runs: RUNS, node, help, kpiWinRate: win, tsxHelp, tsxKpiWinRate: tsxWin },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
