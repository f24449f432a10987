// Rollups for what adds up (issue 18, part 2): which metrics a rollup can serve, and the key that
// names one. A count, a sum or an average of records placed in periods by a plain date column
// adds up over days: a period of whole local days is the sum of its days. Everything else
// (distinct counts, medians, percentiles, the retained, repeat, first_in_period and open_at_end
// modes, a breakdown by RFM segment) stays exact from raw rows.
import { createHash } from 'node:crypto';
import type { MetricDefinition } from '../domain/kpi.ts';
import type { Calendar } from '../domain/period.ts';
import type { Dialect } from '../store/sql-client.ts';
import { compileMetric } from './compile-metric.ts';
import { plainTime, stableJson, tablesOf } from './kpi-cache.ts';

/** One rollup: what its values depend on, and how to compute them from raw rows. */
export interface RollupSpec {
  /** a hash of `definition`: the rollup's rows in kpi_rollups */
  readonly key: string;
  /** canonical JSON of entity, time field, filters, source, field, aggregate, dimension and time zone */
  readonly definition: string;
  readonly entity: string;
  readonly aggregate: 'count' | 'sum' | 'avg';
  /** the dimension the rows are split by (undefined: totals, d = '') */
  readonly by: string | undefined;
  /** the metric as a day's value is computed: in_period, not shifted; an avg sums here */
  readonly daily: MetricDefinition;
  /** for an avg: the count of values that are not NULL, per day */
  readonly filled: MetricDefinition | undefined;
  /** every record table the values read: the entity's and the ones its dimension or field joins */
  readonly tables: readonly string[];
  readonly calendar: Calendar;
}

/**
 * The rollup that can serve `metric` (broken down `by` a dimension, or not), or undefined when
 * the metric does not add up over days and must be computed from raw rows.
 * @example rollupSpec(kpis.get('won_revenue').metrics.revenue, 'owner', cal, 'sqlite')?.key
 */
export function rollupSpec(metric: MetricDefinition, by: string | undefined, cal: Calendar, dialect: Dialect): RollupSpec | undefined {
  if ((metric.mode ?? 'in_period') !== 'in_period' || by === 'segment' || !plainTime(metric)) return undefined;
  const aggregate = metric.aggregate;
  if (aggregate !== 'count' && aggregate !== 'sum' && aggregate !== 'avg') return undefined;
  const field = aggregate === 'count' ? undefined : metric.field;
  if (aggregate !== 'count' && field === undefined) return undefined;
  // The count of filled values is a filter on the field: one already filtered on keeps raw rows.
  if (aggregate === 'avg' && metric.filter?.[field!] !== undefined) return undefined;
  const base = {
    entity: metric.entity,
    time: metric.time,
    ...(metric.filter ? { filter: metric.filter } : {}),
    ...(metric.source !== undefined ? { source: metric.source } : {}),
  };
  const daily: MetricDefinition = { ...base, aggregate: aggregate === 'avg' ? 'sum' : aggregate, ...(field ? { field } : {}) };
  const filled: MetricDefinition | undefined =
    aggregate === 'avg' ? { ...base, aggregate: 'count', filter: { ...metric.filter, [field!]: { filled: true } } } : undefined;
  // The tables the values read, from the SQL itself: a table without a data version keeps raw rows.
  const probe = compileMetric(daily, [{ i: 0, start: new Date(0), end: new Date(0) }], { dialect, by, where: `rollup of ${metric.entity}` });
  const tables = tablesOf(probe.sql);
  if (tables === undefined) return undefined;
  const definition = stableJson({ ...base, field: field ?? null, aggregate, by: by ?? null, timeZone: cal.timeZone });
  return {
    key: createHash('sha256').update(definition).digest('hex').slice(0, 32),
    definition,
    entity: metric.entity,
    aggregate,
    by,
    daily,
    filled,
    tables: [...tables].sort(),
    calendar: cal,
  };
}
