// Know what changed (issue 18): a metric's value over a closed range is kept with the data versions
// it was computed from, and reused while no change since then could reach it. A change to a record
// can only move a metric over [start, end) when one of the record's dates, before or after the
// change, lies before `end` (the record counts in a range by its time field, in open_at_end also
// by its close field, and a first_in_period or retained value reads earlier records only), so the
// change log's earliest day decides. Anything this reasoning does not cover is recomputed: a
// change to a joined table, a time field that is not a plain date column, a segment breakdown.
import type { MetricDefinition } from '../domain/kpi.ts';
import { CRM_OBJECTS, type CrmObject } from '../domain/crm-objects.ts';
import { changedSince, dataVersions, type DataVersion } from '../store/data-versions.ts';
import type { Database } from '../store/open-database.ts';
import { AS_OF_MASKS, type MetricRange } from './compile-metric.ts';
import type { Coverage } from './metric-coverage.ts';

/** A metric's rows over one range: dimension value → value. */
export type RangeRows = ReadonlyMap<string, number | null>;

/** What the cache needs to know of one metric evaluation. */
export interface MetricRequest {
  readonly metric: MetricDefinition;
  readonly by: string | undefined;
  /** the compiled SQL over all ranges: the tables it names are what the values depend on */
  readonly sql: string;
  readonly ranges: readonly MetricRange[];
  /** the as-of cut: the first instant left out (undefined: none) */
  readonly cut: Date | undefined;
}

/** A process-wide cache of metric values per closed range, checked against the data versions. */
export interface KpiCache {
  /** A view for one tick: it reads the data versions once, at its first use. */
  view(db: Database): KpiCacheView;
  /** whether evaluations through this cache read rollups for metrics that add up (read-rollup.ts) */
  readonly rollups: boolean;
  /** How many ranges are kept. */
  readonly size: number;
  /** Ranges served from the cache and ranges computed, since it was created. */
  readonly stats: { readonly reused: number; readonly computed: number };
}

/** The cache as one tick sees it. */
export interface KpiCacheView {
  /** whether evaluations through this view read rollups for metrics that add up (read-rollup.ts) */
  readonly rollups: boolean;
  /**
   * The metric's rows per range index: kept ones where still true, the others from `run`, which
   * gets only the ranges to recompute (one query for all of them).
   */
  metricRows(
    request: MetricRequest,
    run: (ranges: readonly MetricRange[]) => Promise<Map<number, Map<string, number | null>>>,
  ): Promise<Map<number, RangeRows>>;
  /** The KPI's coverage (first and last record per metric), kept while no change or cut move could alter it. */
  coverage(
    metrics: Readonly<Record<string, MetricDefinition>>,
    cut: Date | undefined,
    run: () => Promise<Map<string, Coverage>>,
  ): Promise<Map<string, Coverage>>;
}

interface Entry<T> {
  readonly value: T;
  /** the version of each table the value depends on, when it was computed */
  readonly versions: ReadonlyMap<string, number>;
  readonly cut: number | undefined;
}

/** Ranges kept at most, the least recently used going first: a range of 30 dimension values holds about 2 KB. */
const MAX_ENTRIES = 50_000;

const RECORD_TABLES = new Set<string>(Object.keys(CRM_OBJECTS));

/**
 * Creates an empty cache. One per process and database: the alerts service keeps one across ticks.
 * @example const cache = createKpiCache(); await evaluateKpi(db, kpi, periods, cal, { asOf, cache: cache.view(db) });
 */
export function createKpiCache(options: { rollups?: boolean } = {}): KpiCache {
  const rollups = options.rollups ?? false;
  const entries = new Map<string, Entry<unknown>>();
  const get = <T>(key: string): Entry<T> | undefined => {
    const e = entries.get(key);
    if (e) {
      entries.delete(key);
      entries.set(key, e);
    }
    return e as Entry<T> | undefined;
  };
  const put = (key: string, e: Entry<unknown>) => {
    entries.delete(key);
    entries.set(key, e);
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  };
  const stats = { reused: 0, computed: 0 };
  /** Ranges being computed now, by range, data versions and cut: concurrent answers share one query. */
  const inFlight = new Map<string, Promise<RangeRows>>();
  return {
    stats,
    rollups,
    get size() {
      return entries.size;
    },
    view(db) {
      let versions: Promise<Map<string, DataVersion>> | undefined;
      const current = () => (versions ??= dataVersions(db));
      const since = new Map<string, Promise<Date | undefined>>();
      const changed = (entity: string, version: number) => {
        const k = `${entity}|${version}`;
        let p = since.get(k);
        if (!p) since.set(k, (p = changedSince(db, entity, version)));
        return p;
      };
      /** Whether an entry still holds: the versions of its tables, changes only after `end`, and the cut. */
      const holds = async (
        e: Entry<unknown>,
        now: Map<string, DataVersion>,
        cut: number | undefined,
        own: string | undefined,
        end: number,
        cutMatters: (entity: string) => boolean,
      ) => {
        for (const [table, version] of e.versions) {
          const v = now.get(table);
          if (v === undefined) return false;
          if (v.version !== version) {
            if (table !== own) return false;
            const from = await changed(table, version);
            if (from !== undefined && from.getTime() < end) return false;
          }
          if (cutMatters(table) && !cutPassesNothing(v, e.cut, cut)) return false;
        }
        return true;
      };
      return {
        rollups,
        async metricRows(request, run) {
          const out = new Map<number, RangeRows>();
          const entity = request.metric.entity;
          const tables = tablesOf(request.sql);
          if (tables === undefined || !plainTime(request.metric)) {
            stats.computed += request.ranges.length;
            return run(request.ranges);
          }
          const now = await current();
          const cut = request.cut?.getTime();
          const base = `${db.dialect}|${stableJson(request.metric)}|${request.by ?? ''}|${cut === undefined ? 'all' : 'as-of'}`;
          const keyOf = (r: MetricRange) => `${base}|${r.start.getTime()}|${r.end.getTime()}|${r.prevStart?.getTime() ?? ''}|${r.prevEnd?.getTime() ?? ''}`;
          // Only the masks of later events read the cut; the range bounds are in the key.
          const masked = (table: string) => table === entity && AS_OF_MASKS[entity] !== undefined;
          const missing: MetricRange[] = [];
          for (const r of request.ranges) {
            const e = get<RangeRows>(keyOf(r));
            const end = Math.max(r.end.getTime(), r.prevEnd?.getTime() ?? 0);
            if (e && (await holds(e, now, cut, entity, end, masked))) out.set(r.i, e.value);
            else missing.push(r);
          }
          // A range another evaluation is computing from the same data versions and cut is awaited, not computed again.
          const versions = new Map([...tables].map((t) => [t, now.get(t)?.version ?? -1]));
          const flightOf = (r: MetricRange) => `${keyOf(r)}|${[...versions].join(',')}|${cut ?? ''}`;
          const waits: [number, Promise<RangeRows>][] = [];
          const mine: MetricRange[] = [];
          for (const r of missing) {
            const rows = inFlight.get(flightOf(r));
            if (rows) waits.push([r.i, rows]);
            else mine.push(r);
          }
          stats.reused += request.ranges.length - mine.length;
          stats.computed += mine.length;
          if (mine.length > 0) {
            const fresh = run(mine);
            for (const r of mine) {
              const key = flightOf(r);
              const rows = fresh.then((f) => f.get(r.i) ?? new Map<string, number | null>());
              inFlight.set(key, rows);
              rows.then(
                () => inFlight.delete(key),
                () => inFlight.delete(key),
              );
            }
            const done = await fresh;
            for (const r of mine) {
              const rows = done.get(r.i) ?? new Map<string, number | null>();
              out.set(r.i, rows);
              put(keyOf(r), { value: rows, versions, cut });
            }
          }
          for (const [i, rows] of waits) out.set(i, await rows);
          return out;
        },
        async coverage(metrics, cut, run) {
          const all = Object.values(metrics);
          if (!all.every((m) => plainTime(m))) return run();
          const now = await current();
          const at = cut?.getTime();
          const key = `${db.dialect}|coverage|${stableJson(Object.entries(metrics).map(([name, m]) => [name, m.entity, m.time, m.source ?? null]))}|${at === undefined ? 'all' : 'as-of'}`;
          const e = get<Map<string, Coverage>>(key);
          // Coverage reads every time field against the cut: a move of the cut over any date counts.
          if (e && (await holds(e, now, at, undefined, Infinity, () => true))) return e.value;
          const value = await run();
          const tables = new Set(all.map((m) => m.entity));
          put(key, { value, versions: new Map([...tables].map((t) => [t, now.get(t)?.version ?? -1])), cut: at });
          return value;
        },
      };
    },
  };
}

/**
 * Whether moving the as-of cut from `a` to `b` passes over no date value of the table: then every
 * comparison of a date with the cut reads the same (undefined: no cut, after every date).
 */
function cutPassesNothing(v: DataVersion, a: number | undefined, b: number | undefined): boolean {
  if (a === b) return true;
  if (v.lo === undefined || v.hi === undefined) return true;
  // A date stored in a form that does not parse cannot be placed: the cut may pass over it.
  if (Number.isNaN(v.lo.getTime()) || Number.isNaN(v.hi.getTime())) return false;
  const low = Math.min(a ?? Infinity, b ?? Infinity);
  const high = Math.max(a ?? Infinity, b ?? Infinity);
  return v.hi.getTime() < low || v.lo.getTime() >= high;
}

/** The record tables a query reads, or undefined when it reads one that has no data version. */
export function tablesOf(sql: string): Set<string> | undefined {
  const tables = new Set<string>();
  for (const m of sql.matchAll(/(?:FROM|JOIN)\s+"([a-z_]+)"/g)) {
    if (!RECORD_TABLES.has(m[1]!) && m[1] !== 'sources') return undefined;
    // A source filter reads sources by key; its records' changes are what count.
    if (m[1] !== 'sources') tables.add(m[1]!);
  }
  return tables;
}

/** Whether the metric places records by plain date columns of its own table, as the change log notes them. */
export function plainTime(metric: MetricDefinition): boolean {
  const fields = CRM_OBJECTS[metric.entity as CrmObject];
  if (fields === undefined) return false;
  const isDate = (name: string | undefined) =>
    name !== undefined && (fields[name]?.type === 'date' || fields[name]?.type === 'datetime') && !fields[name]?.column;
  return isDate(metric.time) && (metric.mode !== 'open_at_end' || isDate(metric.closed ?? 'closed_at'));
}

/** JSON with object keys sorted, so that the same definition always gives the same key. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
