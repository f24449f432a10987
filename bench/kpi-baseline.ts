// The hand-written side of the KPI benchmark: the same aggregates as SQL written by hand, run
// directly through better-sqlite3.
import Sqlite from 'better-sqlite3';
import { WEEKS, WEEK_S, type KpiPlan, type KpiSideResult, type Point, type Values } from './kpi-common.ts';

// ---- The hand-written side -------------------------------------------------------------------

/** A dimension as hand-written SQL: its expression and the joins it needs. */
interface Dim {
  expr: string;
  joins: string;
}
/** Rows of a hand-written query by week index, then dimension value ('' for the total). */
type Rows = Map<number, Map<string, number | null>>;
/** A hand-written metric: how to run it, and whether a missing row means 0 (counts, sums). */
interface HandMetric {
  /** the table it reads, which gives the breakdown's SQL */
  table: string;
  zero: boolean;
  run(h: Hand, dim: Dim | undefined): Rows;
}
interface Hand {
  db: Sqlite.Database;
  /** unix seconds of the start of week 0 */
  start: number;
  queries: number;
}

const OWNER = 'LEFT JOIN owners o ON o.id = t.owner_id';
const PARTY = 'LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN customers c ON c.id = t.customer_id';
const DIMS: Readonly<Record<string, Readonly<Record<string, Dim>>>> = {
  deals: { office: { expr: "COALESCE(o.office, '(none)')", joins: OWNER } },
  order_lines: { country: { expr: "COALESCE(t.country, '(none)')", joins: '' } },
  tickets: { country: { expr: "COALESCE(a.country, c.country, '(none)')", joins: PARTY } },
  survey_answers: { country: { expr: "COALESCE(a.country, c.country, '(none)')", joins: PARTY } },
  marketing_spend: { channel: { expr: "COALESCE(t.channel, '(none)')", joins: '' } },
};

function select(h: Hand, sql: string, params: unknown[]): unknown[][] {
  h.queries++;
  return h.db
    .prepare(sql)
    .raw()
    .all(...params) as unknown[][];
}

function toRows(rows: unknown[][], offset = 0): Rows {
  const out: Rows = new Map();
  for (const [i, d, v] of rows) {
    const week = (i as number) + offset;
    let m = out.get(week);
    if (!m) out.set(week, (m = new Map()));
    m.set(d as string, v as number | null);
  }
  return out;
}

const iso = (unix: number) => `${new Date(unix * 1000).toISOString().slice(0, 23)}+00:00`;

/**
 * Parameters of a range of weeks from `origin` (unix seconds): the origin, bound as an integer so
 * that `(unixepoch(t) - ?) / 604800` is integer division (a JS number binds as REAL), then [from, to).
 */
const span = (origin: number) => [BigInt(origin), iso(origin), iso(origin + WEEKS * WEEK_S)];

/** count/sum/avg per week: one GROUP BY over the range of weeks, the week computed from the time. */
function perWeek(table: string, agg: string, time: string, where = '1 = 1', shift = 0, zero = true): HandMetric {
  return {
    table,
    zero,
    run(h, dim) {
      const origin = h.start + shift * WEEK_S;
      const sql = `SELECT (unixepoch(t.${time}) - ?) / ${WEEK_S} AS i, ${dim?.expr ?? "''"} AS d, ${agg} AS v
        FROM ${table} t ${dim?.joins ?? ''}
        WHERE t.${time} >= ? AND t.${time} < ? AND ${where}
        GROUP BY i${dim ? ', d' : ''}`;
      return toRows(select(h, sql, span(origin)));
    },
  };
}

/** Median or percentile (as percentile_cont) per week: the values sorted by SQL, interpolated in JS. */
function percentile(table: string, value: string, time: string, where: string, q: number): HandMetric {
  return {
    table,
    zero: false,
    run(h, dim) {
      const sql = `SELECT (unixepoch(t.${time}) - ?) / ${WEEK_S} AS i, ${dim?.expr ?? "''"} AS d, ${value} AS x
        FROM ${table} t ${dim?.joins ?? ''}
        WHERE t.${time} >= ? AND t.${time} < ? AND ${where} AND ${value} IS NOT NULL
        ORDER BY i, d, x`;
      const rows = select(h, sql, span(h.start));
      const out: unknown[][] = [];
      for (let from = 0; from < rows.length; ) {
        let to = from;
        while (to < rows.length && rows[to]![0] === rows[from]![0] && rows[to]![1] === rows[from]![1]) to++;
        const pos = (to - from - 1) * q;
        const lo = Math.trunc(pos);
        const a = rows[from + lo]![2] as number;
        const b = from + lo + 1 < to ? (rows[from + lo + 1]![2] as number) : a;
        out.push([rows[from]![0], rows[from]![1], a + (b - a) * (pos - lo)]);
        from = to;
      }
      return toRows(out);
    },
  };
}

/**
 * Value of deals open at the end of each week (engaged before it ends, not closed by then): what
 * was engaged up to each week minus what was both engaged and closed by then, as running sums of
 * two GROUP BYs instead of one scan per week.
 */
function openAtWeekEnd(): HandMetric {
  const value = 'COALESCE(t.amount, p.list_price)';
  return {
    table: 'deals',
    zero: true,
    run(h, dim) {
      const end = iso(h.start + WEEKS * WEEK_S);
      const query = (at: string, closedBy: string) =>
        select(
          h,
          `SELECT max(0, (unixepoch(${at}) - ?) / ${WEEK_S}) AS i, ${dim?.expr ?? "''"} AS d, count(*), count(${value}), sum(${value})
          FROM deals t LEFT JOIN products p ON p.id = t.product_id ${dim?.joins ?? ''}
          WHERE t.engaged_at < ? ${closedBy} GROUP BY i${dim ? ', d' : ''}`,
          closedBy ? [BigInt(h.start), end, end] : [BigInt(h.start), end],
        );
      const running = new Map<string, number[][]>();
      const add = (rows: unknown[][], sign: number) => {
        for (const [i, d, n, nn, v] of rows) {
          let weeks = running.get(d as string);
          if (!weeks) running.set(d as string, (weeks = Array.from({ length: WEEKS }, () => [0, 0, 0])));
          const w = weeks[i as number]!;
          w[0]! += sign * (n as number);
          w[1]! += sign * (nn as number);
          w[2]! += sign * ((v as number | null) ?? 0);
        }
      };
      add(query('t.engaged_at', ''), 1);
      add(query('max(t.engaged_at, t.closed_at)', 'AND t.closed_at < ?'), -1);
      const out: unknown[][] = [];
      for (const [d, weeks] of running) {
        let n = 0,
          nn = 0,
          v = 0;
        weeks.forEach((w, i) => {
          n += w[0]!;
          nn += w[1]!;
          v += w[2]!;
          if (n > 0) out.push([i, d, nn > 0 ? v : null]);
        });
      }
      return toRows(out);
    },
  };
}

/**
 * Distinct buyers of each week who also bought the week before: the distinct (week, buyer) pairs
 * once, joined to themselves a week apart.
 */
function retainedBuyers(): HandMetric {
  return {
    table: 'order_lines',
    zero: true,
    run(h, dim) {
      const origin = h.start - WEEK_S;
      const week = `(unixepoch(t.ordered_at) - ?) / ${WEEK_S}`;
      const range = 't.ordered_at >= ? AND t.ordered_at < ? AND t.cancelled = 0 AND t.customer_id IS NOT NULL';
      const sql = `WITH cur AS (SELECT DISTINCT ${week} AS j, ${dim?.expr ?? "''"} AS d, t.customer_id AS k FROM order_lines t WHERE ${range}),
        prev AS (SELECT DISTINCT ${week} AS j, t.customer_id AS k FROM order_lines t WHERE ${range})
        SELECT c.j AS i, c.d AS d, count(*) AS v FROM cur c JOIN prev p ON p.k = c.k AND p.j = c.j - 1
        WHERE c.j >= 1 GROUP BY c.j, c.d`;
      const params = [BigInt(origin), iso(origin), iso(h.start + WEEKS * WEEK_S)];
      return toRows(select(h, sql, [...params, ...params]), -1);
    },
  };
}

/** Buyers with at least two invoices in the week. */
function repeatBuyers(): HandMetric {
  return {
    table: 'order_lines',
    zero: true,
    run(h, dim) {
      const sql = `SELECT i, d, count(*) FROM (
          SELECT (unixepoch(t.ordered_at) - ?) / ${WEEK_S} AS i, ${dim?.expr ?? "''"} AS d FROM order_lines t
          WHERE t.ordered_at >= ? AND t.ordered_at < ? AND t.cancelled = 0 AND t.customer_id IS NOT NULL
          GROUP BY i, d, t.customer_id HAVING count(DISTINCT t.invoice_no) >= 2)
        GROUP BY i, d`;
      return toRows(select(h, sql, span(h.start)));
    },
  };
}

/** Buyers whose first purchase ever falls in the week (no breakdown: only cac uses it, without one). */
function firstPurchases(): HandMetric {
  return {
    table: 'order_lines',
    zero: true,
    run(h, dim) {
      if (dim) throw new Error('[bench] [kpi] firstPurchases has no hand-written breakdown');
      const sql = `SELECT (unixepoch(f.ft) - ?) / ${WEEK_S} AS i, '' AS d, count(*) FROM (
          SELECT min(t.ordered_at) AS ft FROM order_lines t WHERE t.cancelled = 0 AND t.customer_id IS NOT NULL GROUP BY t.customer_id) f
        WHERE f.ft >= ? AND f.ft < ? GROUP BY i`;
      return toRows(select(h, sql, span(h.start)));
    },
  };
}

const WON = "t.status = 'won'";
const BUYER = 't.cancelled = 0 AND t.customer_id IS NOT NULL';
/** Days between two columns, rounded to whole milliseconds (julianday alone is good to ~40 µs). */
const days = (from: string, to: string) => `(round((julianday(t.${to}) - julianday(t.${from})) * 86400000.0) / 86400000.0)`;
const CYCLE_DAYS = days('engaged_at', 'closed_at');
const hours = (from: string, to: string) => `(${days(from, to)} * 24.0)`;
const deals = (agg: string, where?: string, time = 'closed_at', shift = 0, zero = true) => perWeek('deals', agg, time, where, shift, zero);
const buyers = (shift = 0) => perWeek('order_lines', 'count(DISTINCT t.customer_id)', 'ordered_at', BUYER, shift);
const tickets = (where: string) => perWeek('tickets', 'count(*)', 'opened_at', where);
const surveys = (where: string) => perWeek('survey_answers', 'count(*)', 'answered_at', where);
const spend = (agg: string, where?: string) => perWeek('marketing_spend', agg, 'day', where);
type M = Record<string, number>;
/** Division as the engine's formulas do it: by zero gives no value (NaN here, null in the end). */
const div = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);

/** Each KPI of the catalog by hand: its metrics and its formula. */
const HAND: Readonly<Record<string, { metrics: Record<string, HandMetric>; formula: (m: M) => number }>> = {
  win_rate: { metrics: { won: deals('count(*)', WON), lost: deals('count(*)', "t.status = 'lost'") }, formula: (m) => div(m.won!, m.won! + m.lost!) },
  won_revenue: { metrics: { revenue: deals('sum(t.amount)', WON) }, formula: (m) => m.revenue! },
  sales_growth: {
    metrics: { revenue: deals('sum(t.amount)', WON), revenue_before: deals('sum(t.amount)', WON, 'closed_at', -1) },
    formula: (m) => div(m.revenue!, m.revenue_before!) - 1,
  },
  order_sales_growth: {
    metrics: {
      revenue: perWeek('order_lines', 'sum(t.amount)', 'ordered_at'),
      revenue_before: perWeek('order_lines', 'sum(t.amount)', 'ordered_at', '1 = 1', -1),
    },
    formula: (m) => div(m.revenue!, m.revenue_before!) - 1,
  },
  avg_deal_size: { metrics: { size: deals('avg(t.amount)', WON, 'closed_at', 0, false) }, formula: (m) => m.size! },
  sales_cycle_days: { metrics: { days: deals(`avg(${CYCLE_DAYS})`, WON, 'closed_at', 0, false) }, formula: (m) => m.days! },
  sales_cycle_days_median: { metrics: { days: percentile('deals', CYCLE_DAYS, 'closed_at', WON, 0.5) }, formula: (m) => m.days! },
  pipeline_value: { metrics: { value: openAtWeekEnd() }, formula: (m) => m.value! },
  conversion_rate: {
    metrics: { won: deals('count(*)', WON, 'engaged_at'), engaged: deals('count(*)', undefined, 'engaged_at') },
    formula: (m) => div(m.won!, m.engaged!),
  },
  retention_rate: { metrics: { retained: retainedBuyers(), before: buyers(-1) }, formula: (m) => div(m.retained!, m.before!) },
  churn_rate: { metrics: { retained: retainedBuyers(), before: buyers(-1) }, formula: (m) => 1 - div(m.retained!, m.before!) },
  repeat_purchase_rate: { metrics: { repeaters: repeatBuyers(), buyers: buyers() }, formula: (m) => div(m.repeaters!, m.buyers!) },
  csat: {
    metrics: { satisfied: surveys("t.kind = 'csat' AND t.score >= 4"), answers: surveys("t.kind = 'csat'") },
    formula: (m) => div(m.satisfied!, m.answers!),
  },
  nps: {
    metrics: {
      promoters: surveys("t.kind = 'nps' AND t.score >= 9"),
      detractors: surveys("t.kind = 'nps' AND t.score <= 6"),
      answers: surveys("t.kind = 'nps'"),
    },
    formula: (m) => div(100 * (m.promoters! - m.detractors!), m.answers!),
  },
  complaint_rate: {
    metrics: { complaints: tickets("t.category = 'complaint' AND t.customer_id IS NOT NULL"), customers: buyers() },
    formula: (m) => div(m.complaints!, m.customers!),
  },
  complaint_resolution_hours: {
    metrics: { hours: percentile('tickets', hours('opened_at', 'resolved_at'), 'opened_at', "t.category = 'complaint'", 0.5) },
    formula: (m) => m.hours!,
  },
  complaint_resolution_hours_p90: {
    metrics: { hours: percentile('tickets', hours('opened_at', 'resolved_at'), 'opened_at', "t.category = 'complaint'", 0.9) },
    formula: (m) => m.hours!,
  },
  first_response_hours: {
    metrics: { hours: percentile('tickets', hours('opened_at', 'first_response_at'), 'opened_at', '1 = 1', 0.5) },
    formula: (m) => m.hours!,
  },
  cac: {
    metrics: { spend: spend('sum(t.spend)', "t.campaign LIKE 'b2c-%'"), new_customers: firstPurchases() },
    formula: (m) => div(m.spend!, m.new_customers!),
  },
  marketing_roi: {
    metrics: { revenue: spend('sum(t.attributed_revenue)'), spend: spend('sum(t.spend)') },
    formula: (m) => div(m.revenue! - m.spend!, m.spend!),
  },
  clv: {
    metrics: {
      revenue: perWeek('order_lines', 'sum(t.amount)', 'ordered_at', BUYER),
      customers: buyers(),
      retained: retainedBuyers(),
      before: buyers(-1),
    },
    formula: (m) => div(div(m.revenue!, m.customers!), 1 - div(m.retained!, m.before!)),
  },
  customer_revenue: {
    metrics: {
      revenue: perWeek('order_lines', 'sum(t.amount)', 'ordered_at', 't.customer_id IS NOT NULL'),
      customers: perWeek('order_lines', 'count(DISTINCT t.customer_id)', 'ordered_at', 't.customer_id IS NOT NULL'),
    },
    formula: (m) => div(m.revenue!, m.customers!),
  },
  data_completeness: {
    metrics: {
      complete: deals('count(*)', 't.account_id IS NOT NULL AND t.product_id IS NOT NULL AND t.owner_id IS NOT NULL', 'engaged_at'),
      all: deals('count(*)', undefined, 'engaged_at'),
    },
    formula: (m) => div(m.complete!, m.all!),
  },
};

/** A formula applied as the engine does: no value when a metric has none or the result is not finite. */
function point(formula: (m: M) => number, metrics: Record<string, number | null>): Point {
  if (Object.values(metrics).some((v) => v === null)) return { v: null, m: metrics };
  const v = formula(metrics as M);
  return { v: Number.isFinite(v) ? v : null, m: metrics };
}

/** The baseline: every KPI of the plan from hand-written SQL, formulas in plain JS. */
export function baseline(file: string, plans: KpiPlan[]): { result: KpiSideResult; values: Values } {
  const db = new Sqlite(file, { readonly: true });
  const perKpiMs: Record<string, number> = {};
  const values: Values = {};
  let queries = 0;
  const started = performance.now();
  for (const plan of plans) {
    const hand = HAND[plan.key];
    if (!hand) throw new Error(`[bench] [kpi] no hand-written baseline for KPI '${plan.key}'; add it to HAND in bench/kpi.ts`);
    const t = performance.now();
    const h: Hand = { db, start: Date.parse(plan.start) / 1000, queries: 0 };
    const names = Object.keys(hand.metrics);
    const dim = (metric: HandMetric) => {
      const d = DIMS[metric.table]?.[plan.by!];
      if (!d) throw new Error(`[bench] [kpi] no hand-written dimension '${plan.by}' for ${metric.table}; add it to DIMS in bench/kpi.ts`);
      return d;
    };
    const totals = names.map((n) => hand.metrics[n]!.run(h, undefined));
    const split = plan.by === undefined ? undefined : names.map((n) => hand.metrics[n]!.run(h, dim(hand.metrics[n]!)));
    // As the engine reads a metric: a row's value (null included), else 0 for counts and sums.
    const get = (rows: Rows, name: string, i: number, key: string) => {
      const v = rows.get(i)?.get(key);
      return v !== undefined ? v : hand.metrics[name]!.zero ? 0 : null;
    };
    const metricsAt = (all: Rows[], i: number, key: string) => Object.fromEntries(names.map((name, n) => [name, get(all[n]!, name, i, key)]));
    values[plan.key] = Array.from({ length: WEEKS }, (_, i) => {
      const keys = new Set<string>();
      for (const rows of split ?? []) for (const k of rows.get(i)?.keys() ?? []) keys.add(k);
      return {
        total: point(hand.formula, metricsAt(totals, i, '')),
        by: Object.fromEntries([...keys].sort().map((k) => [k, point(hand.formula, metricsAt(split!, i, k))])),
      };
    });
    queries += h.queries;
    perKpiMs[plan.key] = performance.now() - t;
  }
  const ms = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  db.close();
  return { result: { ms, peakRssMb, queries, perKpiMs }, values };
}

// ---- Running and checking --------------------------------------------------------------------
