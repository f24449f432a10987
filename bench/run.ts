// `npm run bench [case…]`: runs the benchmarks and prints what each compares, with ratios
// against its baseline. Cases: ingest, kpi, evaluate, chart, slash, parse. Speed is measured here, never in tests.
import { runIngestBench, type SideResult } from './ingest.ts';
import { chartBenchReport, runChartBench } from './chart.ts';
import { kpiBenchReport, runKpiBench } from './kpi.ts';
import { runSlashBench, slashBenchReport } from './slash.ts';
import { evaluateBenchReport, runEvaluateBench } from './evaluate.ts';
import { parseBenchReport, runParseBench } from './parse.ts';

const CASES: Record<string, () => string> = {
  ingest() {
    const results = runIngestBench();
    const med = (side: SideResult[]) => {
      const ms = median(side.map((r) => r.ms));
      return { rows: side[0]!.rows, ms, rate: Math.round(side[0]!.rows / (ms / 1000)), rss: Math.max(...side.map((r) => r.peakRssMb)) };
    };
    const ours = med(results.ours);
    const same = med(results['same-table']);
    const floor = med(results.scratch);
    const row = (name: string, r: ReturnType<typeof med>) =>
      `  ${name.padEnd(34)} ${fmt(r.rate)} rows/s  ${(r.ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${r.rss.toFixed(0)} MB`;
    return [
      `ingest: Online Retail, ${ours.rows.toLocaleString('en-US')} lines of gzip CSV into a fresh SQLite database (median of ${results.ours.length} runs each)`,
      row('crm-pulse import path', ours),
      '    stream, map, validate, de-duplicate, create customers, upsert by key with change detection, keep rejects',
      row('baseline: plain insert, same table', same),
      "    csv-parse, then better-sqlite3 INSERT into crm-pulse's order_lines (same indexes), one transaction",
      row('floor: plain insert, bare table', floor),
      '    csv-parse, then better-sqlite3 INSERT of the raw columns into a table without keys or indexes',
      `  ratio: crm-pulse ${(ours.ms / same.ms).toFixed(2)}x the same-table baseline, ${(ours.ms / floor.ms).toFixed(2)}x the floor`,
      `  runs (s): crm-pulse ${results.ours.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}; same table ${results['same-table'].map((r) => (r.ms / 1000).toFixed(2)).join(' ')}; floor ${results.scratch.map((r) => (r.ms / 1000).toFixed(2)).join(' ')}`,
    ].join('\n');
  },
  kpi() {
    return kpiBenchReport(runKpiBench());
  },
  evaluate() {
    return evaluateBenchReport(runEvaluateBench());
  },
  chart() {
    return chartBenchReport(runChartBench());
  },
  slash() {
    return slashBenchReport(runSlashBench());
  },
  parse() {
    return parseBenchReport(runParseBench());
  },
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US').padStart(9);
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in CASES));
if (unknown.length) {
  console.error(`unknown bench case ${unknown.join(', ')}; known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(CASES)) console.log(CASES[name]!());
