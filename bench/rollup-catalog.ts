// The KPI catalog over 52 weeks by one dimension (bench/kpi.ts's plan), from raw rows and from
// rollups, on any database: `npx tsx bench/rollup-catalog.ts file:/path/to/crm-pulse.db [runs]`.
// The rollups are built (or refreshed) by the first rollup run, timed apart; every value of the
// two sides is compared to a relative 1e-9. Not a case of `npm run bench`: a quick figure for
// issue 18's "catalog for 52 weeks by one dimension" on the demo data.
import { evaluateKpi, type KpiSeries } from '../src/kpi/evaluate-kpi.ts';
import { kpiRegistry } from '../src/kpi/kpi-registry.ts';
import { lastPeriods } from '../src/kpi/periods.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { rollupSpec } from '../src/kpi/rollup-spec.ts';
import { kpiBenchPlan } from './kpi.ts';
import { AS_OF, CAL, WEEKS } from './kpi-common.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: npx tsx bench/rollup-catalog.ts <DATABASE_URL> [runs]');
const runs = Number(process.argv[3] ?? 3);
const db = await openDatabase(url, { create: false });
const registry = kpiRegistry();
// The model KPIs (a BG/NBD fit per week end) take minutes on both sides and read no rollup: left out.
const plans = (await kpiBenchPlan()).filter((p) => registry.get(p.key).model === undefined);
const periods = { b2b: lastPeriods(new Date(AS_OF.b2b), 'week', WEEKS, CAL), b2c: lastPeriods(new Date(AS_OF.b2c), 'week', WEEKS, CAL) };

/** KPIs whose every metric a rollup serves (the others read raw rows on both sides). */
const additive = new Set(
  plans
    .filter((p) => {
      const kpi = registry.get(p.key);
      return Object.values(kpi.metrics).every((m) => rollupSpec(m, byOf(p.key), CAL, db.dialect) !== undefined);
    })
    .map((p) => p.key),
);

function byOf(key: string): string | undefined {
  return plans.find((p) => p.key === key)!.by;
}

async function catalog(rollups: boolean): Promise<{ ms: number; additiveMs: number; series: KpiSeries[] }> {
  const t = performance.now();
  let additiveMs = 0;
  const series: KpiSeries[] = [];
  for (const plan of plans) {
    const by = byOf(plan.key);
    const t0 = performance.now();
    series.push(await evaluateKpi(db, registry.get(plan.key), periods[plan.range], CAL, { ...(by ? { by } : {}), rollups }));
    if (additive.has(plan.key)) additiveMs += performance.now() - t0;
  }
  return { ms: performance.now() - t, additiveMs, series };
}

const near = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

const build = await catalog(true);
console.log(`first rollup run done: ${(build.ms / 1000).toFixed(2)} s`);
const raw: number[] = [];
const rolled: number[] = [];
const rawAdditive: number[] = [];
const rolledAdditive: number[] = [];
let reference: KpiSeries[] = [];
for (let k = 0; k < runs; k++) {
  const r = await catalog(false);
  raw.push(r.ms);
  rawAdditive.push(r.additiveMs);
  reference = r.series;
  const q = await catalog(true);
  rolled.push(q.ms);
  rolledAdditive.push(q.additiveMs);
}
let compared = 0;
const mismatches: string[] = [];
for (const [i, s] of build.series.entries()) {
  for (const [j, p] of s.points.entries()) {
    const q = reference[i]!.points[j]!;
    const pairs: [string, number | null, number | null][] = [[p.period.label, p.value, q.value]];
    for (const b of p.breakdown ?? []) pairs.push([`${p.period.label} ${b.key}`, b.value, q.breakdown?.find((x) => x.key === b.key)?.value ?? null]);
    for (const [where, a, b] of pairs) {
      compared++;
      if (!near(a, b)) mismatches.push(`${s.kpi.key} ${where}: rollups ${a}, raw ${b}`);
    }
  }
}
console.log(`catalog without the model KPIs: ${plans.length} KPIs x ${WEEKS} weeks, by one dimension, ${runs} runs each`);
console.log(`first rollup run (builds or refreshes the rollups): ${(build.ms / 1000).toFixed(2)} s`);
console.log(`raw rows: median ${(median(raw) / 1000).toFixed(2)} s  [${raw.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
console.log(`rollups:  median ${(median(rolled) / 1000).toFixed(2)} s  [${rolled.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
console.log(
  `the ${additive.size} KPIs rollups serve whole: raw ${(median(rawAdditive) / 1000).toFixed(2)} s, rollups ${(median(rolledAdditive) / 1000).toFixed(2)} s (medians)`,
);
console.log(`values compared: ${compared}, mismatches: ${mismatches.length}${mismatches.length ? `\n${mismatches.slice(0, 10).join('\n')}` : ''}`);
await db.close();
