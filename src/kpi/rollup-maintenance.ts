// Backfill and repair of rollups (issue 18, part 4): rebuild the rollups of some KPIs from raw rows,
// or check a sample of their stored days against raw rows and report any drift.
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Period } from '../domain/period.ts';
import { dataVersions } from '../store/data-versions.ts';
import type { Database } from '../store/open-database.ts';
import { parsePeriod, periodContaining } from './periods.ts';
import { dayRows, refreshRollup } from './refresh-rollup.ts';
import { rollupSpec, type RollupSpec } from './rollup-spec.ts';

/** A KPI and a breakdown (undefined: totals) whose rollups are kept. */
export interface RollupTarget {
  readonly kpi: KpiDefinition;
  readonly by: string | undefined;
}

/** One rollup and where it comes from: `kpi.metric`, by a dimension or totals. */
export interface NamedRollup {
  readonly spec: RollupSpec;
  /** e.g. won_revenue.revenue by owner */
  readonly name: string;
}

/** What a rebuild did to one rollup. */
export interface Rebuilt extends NamedRollup {
  readonly days: number;
  readonly rows: number;
  readonly seconds: number;
}

/** A stored value that differs from raw rows: one day and dimension value of one rollup. */
export interface Drift extends NamedRollup {
  readonly day: string;
  readonly d: string;
  /** the stored value, for an average [sum, count of values] (undefined: no row) */
  readonly rollup: readonly number[] | null | undefined;
  /** the value from raw rows, alike (undefined: no row) */
  readonly raw: readonly number[] | null | undefined;
}

/**
 * The rollups of the targets' metrics that add up, each once (two KPIs may share a metric).
 * @example rollupsOf([{ kpi: kpis.get('won_revenue'), by: 'owner' }], cal, 'sqlite')
 */
export function rollupsOf(targets: readonly RollupTarget[], cal: Calendar, dialect: Database['dialect']): NamedRollup[] {
  const out = new Map<string, NamedRollup>();
  for (const { kpi, by } of targets) {
    if (kpi.model !== undefined) continue;
    for (const [name, metric] of Object.entries(kpi.metrics)) {
      const spec = rollupSpec(metric, by, cal, dialect);
      if (spec && !out.has(spec.key)) out.set(spec.key, { spec, name: `${kpi.key}.${name} ${by === undefined ? 'totals' : `by ${by}`}` });
    }
  }
  return [...out.values()];
}

/**
 * Rebuilds each rollup whole from raw rows, one transaction each.
 * @example for (const r of await rebuildRollups(db, rollupsOf(targets, cal, db.dialect))) console.log(r.name, r.days)
 */
export async function rebuildRollups(db: Database, rollups: readonly NamedRollup[]): Promise<Rebuilt[]> {
  const out: Rebuilt[] = [];
  for (const r of rollups) {
    const t0 = performance.now();
    const done = await refreshRollup(db, r.spec, { whole: true });
    out.push({ ...r, days: done?.days ?? 0, rows: done?.rows ?? 0, seconds: (performance.now() - t0) / 1000 });
  }
  return out;
}

/**
 * Brings each rollup up to date as a read would, then compares `days` of its days, drawn at
 * random among the days it stores and the days its data spans, with the same days computed from
 * raw rows. Values agree within a relative 1e-9 (a sum may add in another order).
 * @example const drift = await checkRollups(db, rollupsOf(targets, cal, db.dialect), 30)
 */
export async function checkRollups(
  db: Database,
  rollups: readonly NamedRollup[],
  days: number,
  random: () => number = Math.random,
): Promise<{ days: number; drift: Drift[] }> {
  const drift: Drift[] = [];
  let checked = 0;
  for (const r of rollups) {
    await refreshRollup(db, r.spec);
    const sample = await sampleDays(db, r.spec, days, random);
    checked += sample.length;
    if (sample.length === 0) continue;
    const raw = new Map((await dayRows(db, r.spec, sample)).map(([day, d, v, n]) => [`${day}|${d}`, valueOf(r.spec, v, n)]));
    const labels = sample.map((p) => p.label);
    const stored = await db.sql.all<{ day: string; d: string; v: number | string | null; n: number | string }>(
      `SELECT "day", "d", "v", "n" FROM "kpi_rollups" WHERE "key" = ? AND "day" IN (${labels.map(() => '?').join(', ')})`,
      [r.spec.key, ...labels],
    );
    const kept = new Map(stored.map((s) => [`${s.day}|${s.d}`, valueOf(r.spec, s.v === null ? null : Number(s.v), Number(s.n))]));
    for (const k of new Set([...raw.keys(), ...kept.keys()])) {
      const [a, b] = [kept.get(k), raw.get(k)];
      if (!same(a, b)) drift.push({ ...r, day: k.slice(0, k.indexOf('|')), d: k.slice(k.indexOf('|') + 1), rollup: a, raw: b });
    }
  }
  return { days: checked, drift };
}

/** What a row says: the value, and for an average its count of values too. */
function valueOf(spec: RollupSpec, v: number | null, n: number): number[] | null {
  if (v === null) return spec.aggregate === 'avg' ? [Number.NaN, n] : null;
  return spec.aggregate === 'avg' ? [v, n] : [v];
}

function same(a: number[] | null | undefined, b: number[] | null | undefined): boolean {
  if (a === undefined || b === undefined || a === null || b === null) return a === b;
  return a.every((x, i) => (Number.isNaN(x) && Number.isNaN(b[i]!)) || Math.abs(x - b[i]!) <= 1e-9 * Math.max(1, Math.abs(b[i]!)));
}

/** Up to `n` days of the rollup: half among the days it stores, the rest anywhere in its data's span. */
async function sampleDays(db: Database, spec: RollupSpec, n: number, random: () => number): Promise<Period[]> {
  const cal = spec.calendar;
  const stored = (await db.sql.all<{ day: string }>('SELECT DISTINCT "day" FROM "kpi_rollups" WHERE "key" = ?', [spec.key])).map((r) => r.day);
  const labels = new Set<string>();
  for (let k = 0; k < Math.ceil(n / 2) && stored.length > 0; k++) labels.add(stored.splice(Math.floor(random() * stored.length), 1)[0]!);
  const data = (await dataVersions(db)).get(spec.entity);
  const [lo, hi] = [data?.lo?.getTime() ?? NaN, data?.hi?.getTime() ?? NaN];
  for (let k = 0; labels.size < n && k < n && Number.isFinite(lo) && Number.isFinite(hi); k++) {
    labels.add(periodContaining(new Date(lo + Math.floor(random() * (hi - lo + 1))), 'day', cal).label);
  }
  return [...labels].sort().map((label) => parsePeriod(label, new Date(0), cal));
}
