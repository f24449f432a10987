// Differential test of the incremental tick (issue 18, part 1): random sequences of syncs
// (inserts, updates, deletes, late deals into closed periods, owner renames) go through the
// production record writer. After each sync, every KPI series the rules read, computed through the
// KPI cache (kept across every tick and sequence), must equal the same computed afresh without it.
// Every FULL-th sequence also goes, sync by sync, into a second database alike, and the two are
// ticked (evaluateAlerts), with the cache and without: the transitions, the stored alert states and
// every rule's judgement must be the same. Each sequence runs on SQLite and PostgreSQL.
// (A full tick costs ~150 ms of alert bookkeeping, so not every sequence pays for two.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts, type AlertsDeps } from '../../src/alerts/evaluate-alerts.ts';
import { evaluateRule, rulePeriods } from '../../src/alerts/evaluate-rule.ts';
import { alertsSchema } from '../../src/config/alerts-schema.ts';
import type { Calendar } from '../../src/domain/period.ts';
import { evaluateKpi, type KpiSeries } from '../../src/kpi/evaluate-kpi.ts';
import { createKpiCache, type KpiCache } from '../../src/kpi/kpi-cache.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { loadSeries } from '../../src/store/alert-store.ts';
import type { Database } from '../../src/store/open-database.ts';
import { createRecordWriter, type RecordWriter, type ResolvedRecord } from '../../src/store/record-writer.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/** Sequences per engine; KPI_CACHE_SEQUENCES sets another number for a quick run. */
const SEQUENCES = Number(process.env.KPI_CACHE_SEQUENCES ?? 200);
const SYNCS = 3;
/** Every FULL-th sequence also compares full ticks on two databases. */
const FULL = 10;
const CAL: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const OWNERS = ['ann', 'bob', 'cy'];
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

const kpis = kpiRegistry({
  first_owner_deals: {
    title: 'Owners with a first deal',
    unit: 'count',
    direction: 'higher',
    metrics: { owners: { entity: 'deals', aggregate: 'count', mode: 'first_in_period', field: 'owner', time: 'created_at' } },
    formula: 'owners',
  },
  owners_retained: {
    title: 'Owners closing again',
    unit: 'count',
    direction: 'higher',
    metrics: { owners: { entity: 'deals', aggregate: 'count_distinct', mode: 'retained', field: 'owner', time: 'created_at' } },
    formula: 'owners',
  },
});

const alerts = alertsSchema.parse({
  channels: ['#alerts'],
  rules: {
    revenue_drop: { kpi: 'won_revenue', grain: 'month', by: 'owner', conditions: [{ type: 'change', drop: { warning: 20, critical: 50 } }] },
    win_rate_low: { kpi: 'win_rate', grain: 'week', conditions: [{ type: 'threshold', below: { warning: 0.5, critical: 0.3 } }], for: 2 },
    pipeline_now: { kpi: 'pipeline_value', grain: 'month', period: 'current', conditions: [{ type: 'threshold', below: 500 }] },
    deal_size: { kpi: 'avg_deal_size', grain: 'month', by: 'owner', period: 'current', conditions: [{ type: 'threshold', below: 40 }] },
    cycle: { kpi: 'sales_cycle_days_median', grain: 'week', conditions: [{ type: 'anomaly', window: 4 }] },
    growth: { kpi: 'sales_growth', grain: 'month', conditions: [{ type: 'threshold', below: 0 }] },
    firsts: { kpi: 'first_owner_deals', grain: 'month', conditions: [{ type: 'change', vs: 'previous', drop: 50 }] },
    retained: { kpi: 'owners_retained', grain: 'week', conditions: [{ type: 'threshold', below: 2 }], recover_for: 2 },
  },
});

/** A seeded generator, so that a failing sequence can be replayed by its seed. */
const random = mulberry32;

/** One side: a database, its writers and the alert deps over it. */
interface Side {
  readonly test: MigratedDb;
  readonly db: Database;
  readonly deals: RecordWriter;
  readonly owners: RecordWriter;
  ownerIds: Map<string, number>;
  readonly deps: AlertsDeps;
}

async function side(create: () => Promise<{ url: string; drop(): Promise<void> }>, cache: KpiCache | undefined): Promise<Side> {
  const test = await migratedDb(create);
  const { db } = test;
  const source = await db.prisma.source.create({ data: { key: 'crm', kind: 'csv', name: 'crm' } });
  const s: Side = {
    test,
    db,
    deals: createRecordWriter(db, 'deals', source.id),
    owners: createRecordWriter(db, 'owners', source.id),
    ownerIds: new Map(),
    deps: { db, kpis, calendar: CAL, alerts, targets: {}, ...(cache ? { kpiCache: cache } : {}) },
  };
  return s;
}

async function writeOwners(s: Side, names: Readonly<Record<string, string>>): Promise<void> {
  await s.owners.write(OWNERS.map((o) => ({ externalId: o, rowHash: names[o]!, values: { name: names[o]!, office: o === 'cy' ? 'East' : 'West' } })));
  const rows = await s.db.sql.all<{ id: number; external_id: string }>('SELECT "id", "external_id" FROM "owners"');
  s.ownerIds = new Map(rows.map((r) => [r.external_id, Number(r.id)]));
}

/** A deal as the generator draws it; owner is the owner's external id. */
interface DealDraw {
  id: string;
  status: 'open' | 'won' | 'lost';
  amount: number | null;
  owner: string;
  created: number;
  engaged: number | null;
  closed: number | null;
}

function drawDeal(r: () => number, id: string): DealDraw {
  const created = START + Math.floor(r() * 170) * DAY + Math.floor(r() * 24) * 3_600_000;
  const engaged = r() < 0.85 ? created + Math.floor(r() * 10) * DAY : null;
  const statusDraw = r();
  const status = engaged === null || statusDraw < 0.25 ? 'open' : statusDraw < 0.7 ? 'won' : 'lost';
  const closed = status === 'open' ? null : engaged! + Math.floor(r() * 40) * DAY + Math.floor(r() * 24) * 3_600_000;
  const amount = r() < 0.1 ? null : 10 * (1 + Math.floor(r() * 20));
  return { id, status, amount, owner: OWNERS[Math.floor(r() * OWNERS.length)]!, created, engaged, closed };
}

function record(s: Side, d: DealDraw): ResolvedRecord {
  const values = {
    stage: d.status === 'open' ? 'Engaging' : d.status === 'won' ? 'Won' : 'Lost',
    status: d.status,
    amount: d.amount,
    owner: s.ownerIds.get(d.owner)!,
    created_at: new Date(d.created),
    engaged_at: d.engaged === null ? null : new Date(d.engaged),
    closed_at: d.closed === null ? null : new Date(d.closed),
  };
  return { externalId: d.id, rowHash: JSON.stringify(d), values };
}

/** Every KPI series the rules read at `now`, with the cache view or without, from rollups or raw rows. */
async function seriesOf(db: Database, now: Date, cache: KpiCache | undefined, rollups = false): Promise<unknown[]> {
  const view = cache?.view(db);
  // All rules at once, as a tick's shared series run: PostgreSQL's pool then works in parallel.
  return Promise.all(
    Object.entries(alerts.rules).map(async ([name, rule]) => {
      const { periods } = rulePeriods({ calendar: CAL, annotations: [], kpis }, rule, now);
      const s: KpiSeries = await evaluateKpi(db, kpis.get(rule.kpi), periods, CAL, {
        ...(rule.by ? { by: rule.by } : {}),
        asOf: now,
        ...(view ? { cache: view } : {}),
        rollups,
      });
      return [name, s.points.map((p) => [p.period.label, said(p), (p.breakdown ?? []).map((b) => [b.key, said(b)])])];
    }),
  );
}

/** Every rule's judgement at `now` (no series active), with the cache view or without. */
async function outcomesOf(db: Database, now: Date, cache: KpiCache | undefined): Promise<unknown[]> {
  const view = cache?.view(db);
  const ctx = { db, kpis, calendar: CAL, targets: {}, annotations: [], cache: new Map(), ...(view ? { kpiCache: view } : {}) };
  const out: unknown[] = [];
  for (const [name, rule] of Object.entries(alerts.rules)) {
    const judged = await evaluateRule(ctx, rule, now, () => false, []).catch((e: Error) => e.message);
    out.push([name, typeof judged === 'string' ? judged : judged.map((o) => [o.seriesKey, JSON.stringify(o.outcome)])]);
  }
  return out;
}

/** A value as it reads, past float noise (a sum may add in another order). */
function said(v: {
  value: number | null;
  reason?: string;
  cutAt?: Date;
  dataFrom?: Date;
  n?: number | null;
  low?: boolean;
  metrics: Readonly<Record<string, number | null>>;
}) {
  const round = (x: number | null | undefined) => (x === null || x === undefined ? x : Number(x.toPrecision(12)));
  return [round(v.value), v.reason, v.cutAt?.getTime(), v.dataFrom?.getTime(), round(v.n), v.low, Object.entries(v.metrics).map(([k, x]) => [k, round(x)])];
}

/** Deep equality of two series, numbers within a relative 1e-9 (the rounding of `said` may fall either side of a digit). */
function expectClose(actual: unknown, expected: unknown, where: string): void {
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) expect(a, `${where} at ${path}`).toBe(b);
    } else if (Array.isArray(a) && Array.isArray(b)) {
      expect(a.length, `${where} at ${path}`).toBe(b.length);
      a.forEach((x, k) => walk(x, b[k], `${path}[${k}]`));
    } else expect(a, `${where} at ${path}`).toEqual(b);
  };
  walk(actual, expected, '');
}

async function states(db: Database): Promise<unknown[]> {
  return (await loadSeries(db))
    .map((s) => [
      s.rule,
      s.seriesKey,
      s.state,
      s.severity,
      s.pendingCount,
      s.recoverCount,
      s.episodeId === null,
      s.since.getTime(),
      s.lastValue === null ? null : Number(s.lastValue.toPrecision(12)),
      s.lastPeriod,
    ])
    .sort((a, b) => `${a[0]}|${a[1]}`.localeCompare(`${b[0]}|${b[1]}`));
}

const ALERT_TABLES = [
  'alert_outbox',
  'alert_transitions',
  'alert_threads',
  'alert_series',
  'alert_episodes',
  'alert_ticks',
  'alert_rule_versions',
  'audit_log',
];

/**
 * The suite on one engine; each engine has a test file of its own, so that the two run in parallel.
 * @example differentialSuite('sqlite')
 */
export function differentialSuite(engine: (typeof ENGINES)[number]['engine']): void {
  const { create } = ENGINES.find((e) => e.engine === engine)!;
  describe(`the incremental tick equals a from-scratch one on ${engine}`, () => {
    const cache = createKpiCache();
    let cached: Side;
    let fresh: Side;
    beforeAll(async () => {
      cached = await side(create, cache);
      fresh = await side(create, undefined);
    }, 60_000);
    afterAll(async () => {
      for (const s of [cached, fresh]) {
        await s.deals.close();
        await s.owners.close();
        await s.test.close();
      }
    });

    it(`over ${SEQUENCES} random sequences of ${SYNCS} syncs`, async () => {
      let reused = 0;
      // Ranges reused and recomputed on the first read after a sync, when ticking after the data.
      const afterSyncs = { reused: 0, computed: 0 };
      let compared = 0;
      let ticks = 0;
      for (let seed = 1; seed <= SEQUENCES; seed++) {
        const r = random(seed);
        const names: Record<string, string> = Object.fromEntries(OWNERS.map((o) => [o, o.toUpperCase()]));
        // A new sequence starts from no deals and no alert state; the cache stays, as in a long-running bot.
        const full = seed % FULL === 0;
        const sides = full ? [cached, fresh] : [cached];
        for (const s of sides) {
          await s.deals.remove((await s.db.sql.all<{ external_id: string }>('SELECT "external_id" FROM "deals"')).map((d) => d.external_id));
          for (const t of ALERT_TABLES) await s.db.sql.run(`DELETE FROM "${t}"`);
          await writeOwners(s, names);
        }
        const deals = new Map<string, DealDraw>();
        let next = 0;
        // Odd sequences tick after every date of the data (late records then reach back into closed
        // periods), even ones inside it (the as-of cut then passes over close dates between ticks).
        const after = seed % 2 === 1;
        let now = START + (after ? 225 : 40 + Math.floor(r() * 60)) * DAY + Math.floor(r() * 24) * 3_600_000;
        for (let sync = 0; sync < SYNCS; sync++) {
          const written: DealDraw[] = [];
          const removed: string[] = [];
          const ops = sync === 0 ? 20 + Math.floor(r() * 20) : 1 + Math.floor(r() * 6);
          for (let k = 0; k < ops; k++) {
            const op = sync === 0 ? 0 : r();
            const ids = [...deals.keys()];
            if (op < 0.45 || ids.length === 0) {
              // A new deal: its dates are anywhere in the half year, often in periods already closed.
              const d = drawDeal(r, `d${++next}`);
              deals.set(d.id, d);
              written.push(d);
            } else if (op < 0.8) {
              // An update: new status, amount, dates (it may move to another period) or owner.
              const id = ids[Math.floor(r() * ids.length)]!;
              const d = { ...drawDeal(r, id), ...(r() < 0.5 ? { created: deals.get(id)!.created } : {}) };
              deals.set(id, d);
              written.push(d);
            } else if (op < 0.95) {
              const id = ids[Math.floor(r() * ids.length)]!;
              deals.delete(id);
              removed.push(id);
            } else {
              // A rename of an owner: every breakdown by owner changes in every period.
              const o = OWNERS[Math.floor(r() * OWNERS.length)]!;
              names[o] = `${o.toUpperCase()}${sync}${k}`;
            }
          }
          const live = written.filter((d) => deals.get(d.id) === d && !removed.includes(d.id));
          for (const s of sides) {
            await writeOwners(s, names);
            if (live.length) await s.deals.write(live.map((d) => record(s, d)));
            if (removed.length) await s.deals.remove(removed);
          }
          // The next tick: an hour to two weeks later, so the as-of cut passes over close dates.
          now += sync === 0 ? 0 : Math.floor(r() * 14 * 24) * 3_600_000 + 3_600_000;
          const at = new Date(now);
          const where = `seed ${seed}, sync ${sync}, now ${at.toISOString()}`;
          if (full) {
            const a = await evaluateAlerts(cached.deps, at);
            const b = await evaluateAlerts(fresh.deps, at);
            expect(a.errors, where).toEqual(b.errors);
            expect(a.transitions, where).toEqual(b.transitions);
            expect(await states(cached.db), where).toEqual(await states(fresh.db));
            ticks++;
          }
          const mark = { ...cache.stats };
          const incremental = await seriesOf(cached.db, at, cache);
          if (after && sync > 0) {
            afterSyncs.reused += cache.stats.reused - mark.reused;
            afterSyncs.computed += cache.stats.computed - mark.computed;
          }
          const raw = await seriesOf(cached.db, at, undefined);
          expect(incremental, where).toEqual(raw);
          // Rollups, kept current across every sync and sequence, give the raw values (sums may add
          // in another order: within a relative 1e-9).
          expectClose(await seriesOf(cached.db, at, undefined, true), raw, where);
          if (full) expect(await outcomesOf(cached.db, at, cache), where).toEqual(await outcomesOf(cached.db, at, undefined));
          compared++;
          // Read again with nothing changed: every range comes from the cache, with the same values.
          const before = cache.size;
          expect(await seriesOf(cached.db, at, cache), where).toEqual(incremental);
          if (cache.size === before) reused++;
        }
      }
      expect([compared, ticks]).toEqual([SEQUENCES * SYNCS, Math.floor(SEQUENCES / FULL) * SYNCS]);
      expect(reused).toBe(SEQUENCES * SYNCS);
      // After a sync of a few deals, part of the ranges is still true and reused, part recomputed.
      expect(afterSyncs.reused).toBeGreaterThan(afterSyncs.computed / 10);
      expect(afterSyncs.computed).toBeGreaterThan(0);
      // The rollups served: counts (win rate), sums by owner (won revenue) and averages (deal size).
      const keys = await cached.db.sql.all<{ definition: string }>('SELECT "definition" FROM "kpi_rollup_keys"');
      expect(new Set(keys.map((k) => JSON.parse(k.definition).aggregate))).toEqual(new Set(['count', 'sum', 'avg']));
      console.log(`[kpi-cache] after-data syncs: ${afterSyncs.reused} ranges reused, ${afterSyncs.computed} recomputed`);
    }, 600_000);
  });
}
