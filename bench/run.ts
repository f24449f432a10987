// `npm run bench [case…]`: runs the benchmarks and prints what each compares, with ratios
// against its baseline. Cases: ingest. Speed is measured here, never in tests.
import { runIngestBench } from './ingest.ts';

const CASES: Record<string, () => string> = {
  ingest() {
    const { ours, baseline } = runIngestBench();
    const rate = (r: { rows: number; ms: number }) => Math.round(r.rows / (r.ms / 1000));
    const lines = [
      'ingest: Online Retail, 541,909 lines from the gzip CSV into a fresh SQLite database',
      `  crm-pulse import path   ${fmt(rate(ours))} rows/s  ${(ours.ms / 1000).toFixed(2)} s  peak RSS ${ours.peakRssMb.toFixed(0)} MB`,
      `    (stream, map, validate, de-duplicate, resolve customers, upsert by key with change detection, keep rejects)`,
      `  baseline: better-sqlite3 ${fmt(rate(baseline))} rows/s  ${(baseline.ms / 1000).toFixed(2)} s  peak RSS ${baseline.peakRssMb.toFixed(0)} MB`,
      `    (same file parsed with csv-parse, plain INSERT of the raw columns into an unindexed table, one transaction)`,
      `  ratio: crm-pulse takes ${(ours.ms / baseline.ms).toFixed(2)}x the baseline's time`,
    ];
    return lines.join('\n');
  },
};

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
