// `npm run bench [case…] [--runs <n>] [--minutes <n>] [--rules <n>] [--json <file>]`: runs the benchmarks (all of
// them unless cases are named), prints each case's detail lines as it finishes, then every case as
// one table (crm-pulse's figure, the named baseline's from the same run, the ratio and peak RSS)
// and the table's rows as JSON. The JSON, with each case's full results, is also written to
// bench/results.json or the --json file (after every case, so a long run that stops keeps what ran).
// Cases: ingest, kpi, evaluate, chart, slash, parse, soak, cli, idle, replicas (--rules: its rule count). Speed is measured here, never in tests.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchCaseResult, BenchRow } from './bench-row.ts';
import { benchTable } from './bench-table.ts';
import { ingestBenchCase } from './ingest.ts';
import { chartBenchCase } from './chart.ts';
import { kpiBenchCase } from './kpi.ts';
import { slashBenchCase } from './slash.ts';
import { evaluateBenchCase } from './evaluate.ts';
import { parseBenchCase } from './parse.ts';
import { soakBenchCase } from './soak.ts';
import { cliBenchCase } from './cli.ts';
import { idleBenchCase } from './idle.ts';
import { replicasBenchCase } from './replicas.ts';

const { values: options, positionals: wanted } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string' },
    minutes: { type: 'string', default: '10' },
    rules: { type: 'string', default: '100' },
    json: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
  },
});
/** Runs of each side for the cases that repeat (ingest, kpi, evaluate); each case's own default otherwise. */
const runs = options.runs === undefined ? undefined : Number(options.runs);
const minutes = Number(options.minutes);
if ((runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) || !(minutes > 0)) {
  console.error('[bench] --runs takes a whole number ≥ 1 and --minutes a number > 0, e.g. npm run bench -- kpi --runs 1');
  process.exit(2);
}

const CASES: Record<string, () => BenchCaseResult | Promise<BenchCaseResult>> = {
  ingest: () => ingestBenchCase(runs),
  kpi: () => kpiBenchCase(runs),
  evaluate: () => evaluateBenchCase(runs),
  chart: () => chartBenchCase(),
  slash: () => slashBenchCase(),
  parse: () => parseBenchCase(),
  soak: () => soakBenchCase(minutes),
  cli: () => cliBenchCase(),
  idle: () => idleBenchCase(),
  replicas: () => replicasBenchCase(runs, Number(options.rules)),
};

const unknown = wanted.filter((w) => !(w in CASES));
if (unknown.length) {
  console.error(`[bench] unknown bench case ${unknown.join(', ')}; known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}

const started = new Date();
const machine = { cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` };
const rows: BenchRow[] = [];
const cases: Record<string, unknown> = {};
const report = (finished: boolean) => ({
  started: started.toISOString(),
  finished: finished ? new Date().toISOString() : undefined,
  machine: { ...machine, loadAverage1m: loadavg()[0] },
  options: { runs: runs ?? 'case default', minutes },
  rows,
});
for (const name of wanted.length ? wanted : Object.keys(CASES)) {
  const result = await CASES[name]!();
  console.log(`${result.detail}\n`);
  rows.push(...result.rows);
  cases[name] = result.raw;
  writeFileSync(options.json, `${JSON.stringify({ ...report(false), cases }, null, 2)}\n`);
}
writeFileSync(options.json, `${JSON.stringify({ ...report(true), cases }, null, 2)}\n`);
console.log(benchTable(rows));
console.log(`\nratio = crm-pulse ÷ baseline (below 1: crm-pulse is faster or smaller); peak RSS in MB; full results in ${options.json}\n`);
console.log(JSON.stringify(report(true), null, 2));
