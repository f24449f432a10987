// Parse benchmark: the /kpi parser on the fuzz suite's longest adversarial texts (up to 100 kB,
// which it cuts to its 4,000-character cap) against a typical command, in the same run. It shows
// that parsing stays bounded: the worst case costs a small multiple of a typical one, not a
// super-linear blow-up. In-process and synchronous: each text is timed over many repetitions.
import { parseCommand, type ParseEnv } from '../src/answers/parse-command.ts';
import { kpiRegistry } from '../src/kpi/kpi-registry.ts';
import { adversarialTexts } from '../test/fuzz/fuzz-inputs.ts';
import { benchRow, type BenchCaseResult } from './bench-row.ts';

const REPEAT = 200;
const BASELINE = 'why won_revenue last month by region';

/** What one run measured: microseconds per parse, median of the repetitions. */
export interface ParseBenchResult {
  baselineUs: number;
  cases: { text: string; chars: number; us: number }[];
}

/** Runs the benchmark. */
export function runParseBench(): ParseBenchResult {
  const kpis = kpiRegistry().all;
  const env: ParseEnv = { kpis, calendar: { timeZone: 'UTC', fiscalYearStartMonth: 1 }, now: new Date('2024-09-30T12:00:00Z'), locale: 'en' };
  const long = adversarialTexts(kpis.map((k) => k.key)).filter((t) => t.length >= 4_000);
  return { baselineUs: time(BASELINE, env), cases: long.map((text) => ({ text, chars: text.length, us: time(text, env) })) };
}

/** The report lines. */
export function parseBenchReport(r: ParseBenchResult): string {
  const worst = [...r.cases].sort((a, b) => b.us - a.us);
  // The first characters, escaped (some texts are lone surrogates or NULs), cut to a column's width.
  const show = (t: string) => `${JSON.stringify(t.slice(0, 12)).slice(0, 22)}…`;
  return [
    `parse: the /kpi parser on the ${r.cases.length} longest adversarial texts of the fuzz suite (4 kB to 100 kB) against a typical command`,
    `  baseline: ${JSON.stringify(BASELINE).padEnd(40)} ${r.baselineUs.toFixed(1).padStart(8)} µs per parse`,
    ...worst
      .slice(0, 3)
      .map((c) => `  worst: ${show(c.text).padEnd(26)} ${c.chars.toLocaleString('en-US').padStart(7)} chars ${c.us.toFixed(1).padStart(8)} µs per parse`),
    `  ratio: worst ${(worst[0]!.us / r.baselineUs).toFixed(1)}x the baseline; input read is capped at 4,000 characters`,
  ].join('\n');
}

/** Median microseconds per parse of `text`. */
function time(text: string, env: ParseEnv): number {
  for (let i = 0; i < 20; i++) parseCommand(text, env);
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    parseCommand(text, env);
    samples.push((performance.now() - t0) * 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** The case for `npm run bench`: the slowest adversarial text against a typical command, and the detail lines. */
export function parseBenchCase(): BenchCaseResult {
  const results = runParseBench();
  const worst = [...results.cases].sort((a, b) => b.us - a.us)[0]!;
  const row = benchRow({
    case: 'parse',
    measured: `/kpi parse, worst of ${results.cases.length} adversarial texts (${worst.chars.toLocaleString('en-US')} chars)`,
    unit: 'µs',
    value: worst.us,
    baseline: 'a typical command',
    baselineValue: results.baselineUs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
  // The texts themselves run to 100 kB: the JSON keeps their first characters.
  const raw = { baselineUs: results.baselineUs, cases: results.cases.map((c) => ({ head: c.text.slice(0, 24), chars: c.chars, us: c.us })) };
  return { rows: [row], detail: parseBenchReport(results), raw };
}
