// KPI benchmark: the whole built-in catalog over 52 weeks with a breakdown, on the scaled database
// (bench/scale-data.ts: ≥1M deals, ≥5M order lines), through crm-pulse's evaluateKpi against the
// same numbers from hand-written SQL run directly through better-sqlite3. Each side runs in its own
// process so that its peak RSS is its own; the first run of each also returns every value, and the
// two are compared to 1e-9. The hand-written side is bench/kpi-baseline.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaledDatabase, type ScaledCounts } from './scale-data.ts';
import { baseline } from './kpi-baseline.ts';
import { benchRow, type BenchCaseResult } from './bench-row.ts';
import { AS_OF, CAL, WEEKS, type KpiPlan, type KpiSideResult, type Point, type Values } from './kpi-common.ts';

export type { KpiPlan, KpiSideResult } from './kpi-common.ts';

/** Relative tolerance of the agreement check. */
const TOLERANCE = 1e-9;
/** The breakdown tried first, by the entity of a KPI's first metric. */
const PREFERRED_BY: Readonly<Record<string, string>> = {
  deals: 'office',
  order_lines: 'country',
  // The 2011 tickets and surveys are B2C: they carry customers (so a country), not sales agents.
  tickets: 'country',
  survey_answers: 'country',
  marketing_spend: 'channel',
};

/** A side of the comparison. */
export type KpiSide = 'ours' | 'baseline';

/** The outcome of comparing the two sides' values. */
export interface KpiCheck {
  compared: number;
  mismatches: string[];
}

/** Every run of both sides, what they ran on, and whether their values agreed. */
export interface KpiBenchResults extends Record<KpiSide, KpiSideResult[]> {
  dataset: ScaledCounts;
  plans: KpiPlan[];
  check: KpiCheck;
}

/** The plan for the whole catalog: range by entity, breakdown by the first metric's entity when all share it. */
export async function kpiBenchPlan(): Promise<KpiPlan[]> {
  const { kpiRegistry } = await import('../src/kpi/kpi-registry.ts');
  const { ENTITIES } = await import('../src/kpi/entities.ts');
  const { lastPeriods } = await import('../src/kpi/periods.ts');
  const start = (range: keyof typeof AS_OF) => lastPeriods(new Date(AS_OF[range]), 'week', WEEKS, CAL)[0]!.start.toISOString();
  return kpiRegistry().all.map((kpi) => {
    const entities = [...new Set(Object.values(kpi.metrics).map((m) => m.entity))];
    const range = entities.includes('deals') ? 'b2b' : 'b2c';
    const preferred = PREFERRED_BY[entities[0]!];
    const by = preferred !== undefined && entities.every((e) => ENTITIES[e]?.dimensions[preferred]) ? preferred : undefined;
    return { key: kpi.key, range, by, start: start(range) };
  });
}

/** crm-pulse: evaluateKpi for every KPI of the catalog, counting the SQL it runs. */
async function ours(file: string, plans: KpiPlan[]): Promise<{ result: KpiSideResult; values: Values }> {
  const { openDatabase } = await import('../src/store/open-database.ts');
  const { kpiRegistry } = await import('../src/kpi/kpi-registry.ts');
  const { evaluateKpi } = await import('../src/kpi/evaluate-kpi.ts');
  const { lastPeriods } = await import('../src/kpi/periods.ts');
  const { CrmPulseError } = await import('../src/lib/errors.ts');
  type Db = Awaited<ReturnType<typeof openDatabase>>;
  const opened = await openDatabase(`file:${file}`);
  let queries = 0;
  const all: Db['sql']['all'] = (sql, params) => {
    queries++;
    return opened.sql.all(sql, params);
  };
  const db: Db = { ...opened, sql: { ...opened.sql, all } };
  const registry = kpiRegistry();
  const periods = { b2b: lastPeriods(new Date(AS_OF.b2b), 'week', WEEKS, CAL), b2c: lastPeriods(new Date(AS_OF.b2c), 'week', WEEKS, CAL) };
  const perKpiMs: Record<string, number> = {};
  const values: Values = {};
  const started = performance.now();
  for (const plan of plans) {
    const kpi = registry.get(plan.key);
    const t = performance.now();
    let series;
    try {
      series = await evaluateKpi(db, kpi, periods[plan.range], CAL, plan.by === undefined ? {} : { by: plan.by });
    } catch (error) {
      // The plan only asks for dimensions every entity has; should the engine still refuse, say so and go on without.
      if (!(error instanceof CrmPulseError && error.code === 'usage' && plan.by !== undefined)) throw error;
      process.stderr.write(`[bench] [kpi] ${plan.key}: no breakdown by ${plan.by} (${error.message}); evaluated without\n`);
      series = await evaluateKpi(db, kpi, periods[plan.range], CAL);
    }
    perKpiMs[plan.key] = performance.now() - t;
    values[plan.key] = series.points.map((p) => ({
      total: { v: p.value, m: { ...p.metrics } },
      by: Object.fromEntries((p.breakdown ?? []).map((b) => [b.key, { v: b.value, m: { ...b.metrics } }])),
    }));
  }
  const ms = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  await opened.close();
  return { result: { ms, peakRssMb, queries, perKpiMs }, values };
}

function near(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a === b;
  return a === b || Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Every KPI value and metric of both sides, total and breakdown, compared to TOLERANCE. */
function compare(plans: KpiPlan[], a: Values, b: Values): KpiCheck {
  const mismatches: string[] = [];
  let compared = 0;
  const diff = (where: string, x: Point | undefined, y: Point | undefined) => {
    if (!x || !y) return void mismatches.push(`${where}: ${x ? 'only crm-pulse' : 'only the baseline'} has a value`);
    compared++;
    if (!near(x.v, y.v)) mismatches.push(`${where}: crm-pulse ${x.v}, baseline ${y.v}`);
    for (const name of new Set([...Object.keys(x.m), ...Object.keys(y.m)])) {
      compared++;
      if (!near(x.m[name], y.m[name])) mismatches.push(`${where} metric ${name}: crm-pulse ${x.m[name]}, baseline ${y.m[name]}`);
    }
  };
  for (const { key } of plans) {
    (a[key] ?? []).forEach((week, i) => {
      const other = b[key]?.[i];
      diff(`${key} week ${i}`, week.total, other?.total);
      for (const k of new Set([...Object.keys(week.by), ...Object.keys(other?.by ?? {})])) diff(`${key} week ${i} ${k}`, week.by[k], other?.by[k]);
    });
  }
  return { compared, mismatches };
}

/**
 * Runs each side `runs` times in fresh child processes, alternating, against one copy of the
 * scaled database, and checks that the first runs' values agree (mismatches are printed to stderr).
 * @example const { ours, baseline, check } = runKpiBench(3);
 */
export function runKpiBench(runs = 3): KpiBenchResults {
  const self = fileURLToPath(import.meta.url);
  const setup = spawnSync(process.execPath, ['--import', 'tsx', self, 'setup'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (setup.status !== 0) throw new Error('[bench] [kpi] building the scaled database or the plan failed (see above)');
  const { file, counts, plans } = JSON.parse(setup.stdout.trim().split('\n').at(-1)!) as { file: string; counts: ScaledCounts; plans: KpiPlan[] };
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-kpi-'));
  try {
    const copy = join(dir, 'scaled.db');
    copyFileSync(file, copy);
    const first: Partial<Record<KpiSide, Values>> = {};
    const side = (name: KpiSide, withValues: boolean): KpiSideResult => {
      const args = ['--import', 'tsx', self, name, copy, JSON.stringify(plans), withValues ? 'values' : ''];
      const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
      if (out.status !== 0) throw new Error(`bench side ${name} failed:\n${out.stderr}`);
      const { result, values } = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { result: KpiSideResult; values?: Values };
      if (values) first[name] = values;
      return result;
    };
    const results: Record<KpiSide, KpiSideResult[]> = { ours: [], baseline: [] };
    for (let i = 0; i < runs; i++) for (const name of ['ours', 'baseline'] as const) results[name].push(side(name, i === 0));
    const check = compare(plans, first.ours ?? {}, first.baseline ?? {});
    if (check.mismatches.length) {
      process.stderr.write(`\n!!! [bench] [kpi] crm-pulse and the baseline DISAGREE on ${check.mismatches.length} of ${check.compared} values:\n`);
      for (const m of check.mismatches.slice(0, 40)) process.stderr.write(`!!!   ${m}\n`);
      process.stderr.write('\n');
    }
    return { ...results, dataset: counts, plans, check };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines `npm run bench kpi` prints: sizes, medians, ratio, peak RSS, slowest KPIs, the check and every run. */
export function kpiBenchReport(results: KpiBenchResults): string {
  const { ours: o, baseline: b, dataset, plans, check } = results;
  const med = (side: KpiSideResult[]) => ({
    ms: median(side.map((r) => r.ms)),
    rss: Math.max(...side.map((r) => r.peakRssMb)),
    queries: side[0]!.queries,
  });
  const ours = med(o);
  const base = med(b);
  const secs = (ms: number) => (ms / 1000).toFixed(2);
  const row = (name: string, r: ReturnType<typeof med>) =>
    `  ${name.padEnd(34)} ${secs(r.ms).padStart(8)} s  peak RSS ${r.rss.toFixed(0)} MB  ${r.queries} queries`;
  const perKpi = (side: KpiSideResult[], key: string) => median(side.map((r) => r.perKpiMs[key] ?? 0));
  const byKpi = [...plans].sort((x, y) => perKpi(o, y.key) - perKpi(o, x.key)).map(({ key }) => `${key} ${secs(perKpi(o, key))}/${secs(perKpi(b, key))}`);
  const perKpiLines = Array.from({ length: Math.ceil(byKpi.length / 6) }, (_, n) => `    ${byKpi.slice(n * 6, n * 6 + 6).join(', ')}`);
  const groups = new Map<string, string[]>();
  for (const p of plans) {
    const g = `${p.range === 'b2b' ? 'deals' : 'retail'} weeks from ${p.start.slice(0, 10)}, ${p.by === undefined ? 'no breakdown' : `by ${p.by}`}`;
    groups.set(g, [...(groups.get(g) ?? []), p.key]);
  }
  const ratio = ours.ms / base.ms;
  return [
    `kpi: the whole catalog (${plans.length} KPIs × ${WEEKS} weeks, totals and a breakdown) on ${dataset.deals.toLocaleString('en-US')} deals and ` +
      `${dataset.orderLines.toLocaleString('en-US')} order lines (median of ${o.length} runs each)`,
    row('crm-pulse evaluateKpi', ours),
    '    kpiRegistry().all through evaluateKpi: per metric one SQL aggregate over the weeks (a range join), another for the breakdown',
    row('baseline: hand-written SQL', base),
    '    better-sqlite3, one GROUP BY week[, dimension] per metric; pipeline as running sums; medians interpolated in JS',
    `  ratio: crm-pulse ${ratio.toFixed(2)}x the hand-written SQL (aim ≤ 1.5x${ratio > 1.5 ? ': MISSED' : ''}); ` +
      `peak RSS ${ours.rss.toFixed(0)} MB (aim < 500 MB${ours.rss >= 500 ? ': MISSED' : ''})`,
    '  per KPI, crm-pulse/baseline s (median), slowest first:',
    ...perKpiLines,
    ...[...groups].map(([g, keys]) => `  ${g}: ${keys.join(', ')}`),
    check.mismatches.length
      ? `  CHECK FAILED: ${check.mismatches.length} of ${check.compared} values differ by more than ${TOLERANCE} (listed on stderr), e.g. ${check.mismatches[0]}`
      : `  check: all ${check.compared.toLocaleString('en-US')} values (KPIs and their metrics, totals and breakdowns) agree within ${TOLERANCE} relative`,
    `  runs (s): crm-pulse ${o.map((r) => secs(r.ms)).join(' ')}; baseline ${b.map((r) => secs(r.ms)).join(' ')}`,
  ].join('\n');
}

/** The case for `npm run bench`: the catalog's median time against the hand-written SQL, and the detail lines. */
export function kpiBenchCase(runs = 3): BenchCaseResult {
  const results = runKpiBench(runs);
  const ms = (side: KpiSideResult[]) => median(side.map((r) => r.ms));
  const rss = (side: KpiSideResult[]) => Math.max(...side.map((r) => r.peakRssMb));
  const agree = results.check.mismatches.length === 0 ? 'values agree' : `${results.check.mismatches.length} values DISAGREE`;
  const row = benchRow({
    case: 'kpi',
    measured: `${results.plans.length} KPIs × ${WEEKS} weeks + breakdown, ${(results.dataset.deals / 1e6).toFixed(1)}M deals (${agree})`,
    unit: 's',
    value: ms(results.ours) / 1000,
    baseline: 'hand-written SQL, better-sqlite3',
    baselineValue: ms(results.baseline) / 1000,
    peakRssMb: rss(results.ours),
    baselinePeakRssMb: rss(results.baseline),
  });
  return {
    rows: [row],
    detail: kpiBenchReport(results),
    raw: { ...results, check: { compared: results.check.compared, mismatches: results.check.mismatches.slice(0, 40) } },
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Only when run as a child (`node --import tsx bench/kpi.ts <mode>`), never when imported by run.ts.
const mode = process.argv[1] === fileURLToPath(import.meta.url) ? process.argv[2] : undefined;
if (mode === 'setup') {
  // In a child so that the bench process itself never loads the engine or builds in its own heap.
  const { file, counts } = await scaledDatabase();
  console.log(JSON.stringify({ file, counts, plans: await kpiBenchPlan() }));
} else if (mode === 'ours' || mode === 'baseline') {
  const [file, plansJson, withValues] = process.argv.slice(3);
  const plans = JSON.parse(plansJson!) as KpiPlan[];
  const { result, values } = mode === 'ours' ? await ours(file!, plans) : baseline(file!, plans);
  console.log(JSON.stringify(withValues === 'values' ? { result, values } : { result }));
}
