import type { FieldFilter, MetricDefinition } from '../domain/kpi.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Dialect, SqlParam } from '../store/sql-client.ts';
import { ENTITIES, JOINS, fieldJoins, fieldNames, fieldSql, type EntitySpec, type JoinName } from './entities.ts';
import { periodsCte, segmentsCte, utcDate } from './periods-cte.ts';

/** A period a metric is evaluated over: index i, [start, end), and for `retained` the period before. */
export interface MetricRange {
  readonly i: number;
  readonly start: Date;
  readonly end: Date;
  readonly prevStart?: Date;
  readonly prevEnd?: Date;
}

/** A customer's RFM segment, as a breakdown by segment reads it (kpi/rfm.ts: rfmAssignments). */
export interface SegmentOf {
  readonly customerId: number;
  readonly segment: string;
}

/** A parameterized query whose rows are { i, d, v }: period index, dimension value, metric value. */
export interface CompiledMetric {
  readonly sql: string;
  readonly params: SqlParam[];
  /** whether an absent row means 0 (counts, sums) rather than "no value" (averages) */
  readonly zeroWhenEmpty: boolean;
}

/**
 * Compiles a metric into one SQL aggregate over all requested periods at once, optionally broken
 * down by a dimension. Every value is a bound parameter; names come only from the entity catalog.
 * `where` names the metric in errors (e.g. kpis.win_rate.metrics.won).
 * @example compileMetric(def.metrics.won, ranges, { dialect: 'sqlite', where: 'kpis.win_rate.metrics.won' })
 */
export function compileMetric(
  metric: MetricDefinition,
  ranges: readonly MetricRange[],
  options: {
    dialect: Dialect;
    by?: string | undefined;
    where: string;
    cut?: Date | undefined;
    segments?: readonly SegmentOf[] | undefined;
    /** join records to periods also on the UTC dates they overlap (many short periods, mode in_period, no cut: rollups) */
    dayKeys?: boolean | undefined;
  },
): CompiledMetric {
  const { dialect, where } = options;
  const masks = options.cut === undefined ? undefined : AS_OF_MASKS[metric.entity];
  const entity = ENTITIES[metric.entity];
  if (!entity) {
    throw new CrmPulseError('config', `[kpi] ${where}.entity: unknown entity '${metric.entity}'; known: ${Object.keys(ENTITIES).join(', ')}`);
  }
  const params: SqlParam[] = [];
  const joins = new Set<JoinName>();
  const field = (name: string, path: string) => {
    const sql = maskLaterEvents(fieldSql(entity, name, dialect), masks);
    if (sql === undefined) {
      throw new CrmPulseError('config', `[kpi] ${where}.${path}: unknown field '${name}' of ${metric.entity}; known: ${fieldNames(entity).join(', ')}`);
    }
    for (const j of fieldJoins(entity, name)) joins.add(j);
    return sql;
  };
  const time = field(metric.time, 'time');
  const mode = metric.mode ?? 'in_period';
  // A plain count needs no field; every other aggregate and the per-value modes do.
  const needsField = metric.aggregate !== 'count' || mode === 'retained' || mode === 'repeat' || mode === 'first_in_period';
  const value = needsField ? field(requireField(metric, where), 'field') : undefined;
  const dim = dimension(entity, metric.entity, options.by, joins);
  // PostgreSQL refuses a constant in GROUP BY, so the dimension is grouped only when there is one.
  const byDim = options.by === undefined ? '' : `, ${dim}`;
  const filters = Object.entries(metric.filter ?? {}).map(([name, f]) => filterSql(field(name, `filter.${name}`), f, params, dialect));
  if (metric.source !== undefined) {
    filters.push('t."source_id" IN (SELECT "id" FROM "sources" WHERE "key" = ?)');
    params.push(metric.source);
  }

  // The requested periods as a CTE (bound parameters), joined to the records by time range.
  const dayKeys = options.dayKeys === true;
  if (dayKeys && (mode !== 'in_period' || options.cut !== undefined)) throw new Error(`[kpi] ${where}: day keys need mode in_period and no cut`);
  const per = periodsCte(ranges, dialect, options.cut, dayKeys);
  if (joins.has('segment')) segmentsCte(per, options.segments, dialect, where);
  const joinSql = [...joins].map((j) => JOINS[j]).join('\n');
  const and = filters.map((f) => ` AND ${f}`).join('');
  const closed = mode === 'open_at_end' ? field(metric.closed ?? 'closed_at', 'closed') : '';
  // A time field the cut only hides is bounded on its bare column, which an index can search.
  const bare = bareTimeColumn(fieldSql(entity, metric.time, dialect), masks);
  // per.ce is the period's end or the cut, whichever is first: one upper bound, so that SQLite
  // searches the time index per period instead of scanning every record before the cut per period.
  const before = (end: string) => (bare ? `${bare} < per.ce` : `${time} < ${end}`);
  // With day keys, a record meets only the periods that overlap its UTC date: an equality SQLite
  // answers from an automatic index (one pass over the records, not one per period); the exact
  // bounds stay, so a period that starts or ends inside a UTC day (time zones, DST) still cuts there.
  const onKey = dayKeys ? `${utcDate(time, dialect)} = per.k AND ` : '';
  const inPeriod =
    mode === 'open_at_end' ? `${before('per.e')} AND (${closed} IS NULL OR ${closed} >= per.e)` : `${onKey}${bare ?? time} >= per.s AND ${before('per.e')}`;
  // FROM … WHERE over the periods and the records; the caller adds its select list and grouping.
  const body = `FROM per JOIN "${entity.table}" t ON ${inPeriod}\n${joinSql}\nWHERE 1 = 1${and}`;
  const query = (sql: string, extra: SqlParam[] = []): Omit<CompiledMetric, 'zeroWhenEmpty'> => ({
    sql: `${per.sql}\n${sql}`,
    params: [...per.params, ...params, ...extra],
  });

  switch (mode) {
    case 'in_period':
    case 'open_at_end':
      return aggregate(metric, body, value, dim, byDim, query, dialect);
    case 'retained': {
      // Active in this period and in the previous one: an EXISTS on the same table and filters.
      const column = plainColumn(value!, where);
      const again = filters
        .map((f) => f.replaceAll('t."', 't2."'))
        .map((f) => ` AND ${f}`)
        .join('');
      const t2time = plainColumn(time, where).replace('t."', 't2."');
      const exists = `EXISTS (SELECT 1 FROM "${entity.table}" t2 WHERE ${column.replace('t."', 't2."')} = ${column} AND ${t2time} >= per.ps AND ${t2time} < per.pe${again})`;
      return {
        ...query(`SELECT per.i AS i, ${dim} AS d, count(DISTINCT ${column}) AS v ${body} AND ${column} IS NOT NULL AND ${exists}\nGROUP BY per.i${byDim}`, [
          ...params,
        ]),
        zeroWhenEmpty: true,
      };
    }
    case 'repeat': {
      const of = field(metric.repeat_of ?? 'invoice_no', 'repeat_of');
      const inner = `SELECT per.i AS i, ${dim} AS d, ${value} AS k ${body} AND ${value} IS NOT NULL GROUP BY per.i${byDim}, ${value} HAVING count(DISTINCT ${of}) >= 2`;
      return { ...query(`SELECT i, d, count(*) AS v FROM (${inner}) r GROUP BY i, d`), zeroWhenEmpty: true };
    }
    case 'first_in_period': {
      // The first occurrence of each value over all time (with the same filters), then bucketed.
      const firsts = `SELECT ${value} AS k, ${dim} AS d, min(${time}) AS ft FROM "${entity.table}" t\n${joinSql}\nWHERE ${value} IS NOT NULL${and} GROUP BY ${value}${byDim}`;
      return {
        ...query(`SELECT per.i AS i, f.d AS d, count(*) AS v FROM per JOIN (${firsts}) f ON f.ft >= per.s AND f.ft < per.e GROUP BY per.i, f.d`),
        zeroWhenEmpty: true,
      };
    }
  }
}

/** A field that must be a plain column (t."name") because the SQL reuses it under another alias. */
function plainColumn(sql: string, where: string): string {
  if (!/^t\."[a-z_]+"$/.test(sql)) throw new CrmPulseError('config', `[kpi] ${where}: mode 'retained' needs plain fields, not ${sql}`);
  return sql;
}

function requireField(metric: MetricDefinition, where: string): string {
  if (metric.field === undefined) {
    throw new CrmPulseError('config', `[kpi] ${where}: aggregate '${metric.aggregate}'${metric.mode ? ` with mode '${metric.mode}'` : ''} needs a field`, {
      hint: 'add field: <name>',
    });
  }
  return metric.field;
}

function dimension(entity: EntitySpec, name: string, by: string | undefined, joins: Set<JoinName>): string {
  if (by === undefined) return "''";
  const d = entity.dimensions[by];
  if (!d) {
    throw new CrmPulseError('usage', `[kpi] ${name} cannot be broken down by '${by}'; dimensions of ${name}: ${Object.keys(entity.dimensions).join(', ')}`);
  }
  for (const j of d.joins) joins.add(j);
  return `COALESCE(${d.expr}, '(none)')`;
}

function aggregate(
  metric: MetricDefinition,
  body: string,
  value: string | undefined,
  dim: string,
  byDim: string,
  query: (sql: string) => Omit<CompiledMetric, 'zeroWhenEmpty'>,
  dialect: Dialect,
): CompiledMetric {
  const simple = (agg: string, zeroWhenEmpty: boolean) => ({
    ...query(`SELECT per.i AS i, ${dim} AS d, ${agg} AS v ${body}\nGROUP BY per.i${byDim}`),
    zeroWhenEmpty,
  });
  switch (metric.aggregate) {
    case 'count':
      return simple('count(*)', true);
    case 'count_distinct':
      return simple(`count(DISTINCT ${value})`, true);
    case 'sum':
      return simple(`sum(${value})`, true);
    case 'avg':
      return simple(`avg(${value})`, false);
    case 'median':
    case 'percentile': {
      // Linear interpolation between the two ranks around (n − 1)·q, as percentile_cont does,
      // with window functions so that SQLite and PostgreSQL run the same query.
      const q = metric.aggregate === 'median' ? 0.5 : (metric.p ?? 50) / 100;
      const floor = (x: string) => (dialect === 'postgres' ? `FLOOR(${x})` : `CAST(${x} AS INTEGER)`);
      const pos = `((n - 1) * ${q})`;
      const sql = `, base AS (SELECT per.i AS i, ${dim} AS d, ${value} AS x ${body} AND ${value} IS NOT NULL),
ranked AS (SELECT i, d, x, row_number() OVER (PARTITION BY i, d ORDER BY x) AS rn, count(*) OVER (PARTITION BY i, d) AS n FROM base)
SELECT i, d, min(x) + (max(x) - min(x)) * (${pos} - ${floor(pos)}) AS v FROM ranked
WHERE rn = ${floor(pos)} + 1 OR rn = ${floor(pos)} + 2 GROUP BY i, d, n`;
      return { ...query(sql), zeroWhenEmpty: false };
    }
  }
}

/**
 * What a record looked like at the as-of cut, for fields that a later event filled in: a deal
 * closed after the cut was still open then, without its close date or close value (the stored
 * amount of a closed deal is what it closed at, not what was known before); a ticket answered
 * or resolved after the cut had no response or resolution yet. The record's own time field is
 * cut by the period bounds; these masks cover the other fields, so that an "as of" replay reads
 * exactly what a database synced at that instant would hold.
 */
export const AS_OF_MASKS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  deals: {
    closed_at: 'CASE WHEN t."closed_at" < (SELECT c FROM cut) THEN t."closed_at" END',
    status: 'CASE WHEN t."closed_at" >= (SELECT c FROM cut) THEN \'open\' ELSE t."status" END',
    amount: 'CASE WHEN t."closed_at" >= (SELECT c FROM cut) THEN NULL ELSE t."amount" END',
  },
  tickets: {
    resolved_at: 'CASE WHEN t."resolved_at" < (SELECT c FROM cut) THEN t."resolved_at" END',
    first_response_at: 'CASE WHEN t."first_response_at" < (SELECT c FROM cut) THEN t."first_response_at" END',
  },
};

/**
 * A time field that the cut only hides (`CASE WHEN t."x" < cut THEN t."x" END`), as its bare
 * column `t."x"`: "the hidden value is before `end`" is then "the column is before the cut and
 * before `end`", the same rows, in a form an index on the column can search. Undefined for a
 * field read through an expression or not masked.
 */
export function bareTimeColumn(sql: string | undefined, masks: Readonly<Record<string, string>> | undefined): string | undefined {
  const column = sql === undefined ? undefined : /^t\."([a-z_]+)"$/.exec(sql)?.[1];
  if (column === undefined || masks === undefined) return undefined;
  return masks[column] === `CASE WHEN ${sql} < (SELECT c FROM cut) THEN ${sql} END` ? sql : undefined;
}

/** A field's SQL with the as-of masks applied to every column it reads (derived fields included). */
export function maskLaterEvents(sql: string | undefined, masks: Readonly<Record<string, string>> | undefined): string | undefined {
  if (sql === undefined || masks === undefined) return sql;
  return sql.replace(/t\."([a-z_]+)"/g, (whole, column: string) => (masks[column] === undefined ? whole : `(${masks[column]})`));
}

function filterSql(column: string, filter: FieldFilter, params: SqlParam[], dialect: Dialect): string {
  const bind = (v: string | number | boolean) => {
    params.push(typeof v === 'boolean' && dialect === 'sqlite' ? (v ? 1 : 0) : v);
    return '?';
  };
  if (Array.isArray(filter)) return `${column} IN (${filter.map(bind).join(', ')})`;
  if (typeof filter !== 'object') return `${column} = ${bind(filter as string | number | boolean)}`;
  const f = filter as Exclude<FieldFilter, string | number | boolean | readonly unknown[]>;
  const parts: string[] = [];
  if (f.eq !== undefined) parts.push(`${column} = ${bind(f.eq)}`);
  if (f.ne !== undefined) parts.push(`(${column} IS NULL OR ${column} <> ${bind(f.ne)})`);
  if (f.in !== undefined) parts.push(`${column} IN (${f.in.map(bind).join(', ')})`);
  if (f.gt !== undefined) parts.push(`${column} > ${bind(f.gt)}`);
  if (f.gte !== undefined) parts.push(`${column} >= ${bind(f.gte)}`);
  if (f.lt !== undefined) parts.push(`${column} < ${bind(f.lt)}`);
  if (f.lte !== undefined) parts.push(`${column} <= ${bind(f.lte)}`);
  if (f.filled !== undefined) parts.push(f.filled ? `${column} IS NOT NULL` : `${column} IS NULL`);
  if (f.prefix !== undefined) parts.push(`${column} LIKE ${bind(`${f.prefix.replace(/[%_]/g, '')}%`)}`);
  return parts.length ? `(${parts.join(' AND ')})` : '1 = 1';
}
