import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { dbValue } from '../store/record-writer.ts';
import type { SqlParam } from '../store/sql-client.ts';
import { AS_OF_MASKS, bareTimeColumn, maskLaterEvents } from './compile-metric.ts';
import { ENTITIES, fieldSql } from './entities.ts';
import { periodContaining } from './periods.ts';

/** The span a metric's data covers on its time field: its first and last record (undefined: none). */
export interface Coverage {
  readonly first?: Date;
  readonly last?: Date;
}

/**
 * The first and last record of each metric of `kpi`, on the metric's own time field and source,
 * counting only records before the as-of `cut`: a period outside that span has no value rather
 * than 0, because the data says nothing about it. One small min/max query per metric.
 * @example await metricCoverage(db, registry.get('won_revenue'), new Date('2017-09-16T00:00:00Z'))
 * // Map { 'revenue' => { first: 2017-03-01…, last: 2017-09-15… } }
 */
export async function metricCoverage(db: Database, kpi: KpiDefinition, cut: Date | undefined): Promise<Map<string, Coverage>> {
  const out = new Map<string, Coverage>();
  for (const [name, metric] of Object.entries(kpi.metrics)) {
    const entity = ENTITIES[metric.entity];
    const raw = entity ? fieldSql(entity, metric.time, db.dialect) : undefined;
    // An unknown entity or field is reported by compileMetric with its config path; nothing to cover here.
    if (!entity || raw === undefined) {
      out.set(name, {});
      continue;
    }
    const masks = cut === undefined ? undefined : AS_OF_MASKS[metric.entity];
    // The same rows through the bare column where the cut only hides it, so an index can answer.
    const time = bareTimeColumn(raw, masks) ?? maskLaterEvents(raw, masks)!;
    const cutParams: SqlParam[] = [];
    const params: SqlParam[] = [];
    const where: string[] = [`${time} IS NOT NULL`];
    let cte = '';
    if (cut !== undefined) {
      cte = `WITH cut(c) AS (VALUES (?${db.dialect === 'postgres' ? '::timestamp' : ''}))\n`;
      cutParams.push(dbValue(db.dialect, cut));
      where.push(`${time} < (SELECT c FROM cut)`);
    }
    if (metric.source !== undefined) {
      where.push('t."source_id" IN (SELECT "id" FROM "sources" WHERE "key" = ?)');
      params.push(metric.source);
    }
    // min and max each in a query of its own: each is then one step along an index on the
    // column, where one query holding both reads every row.
    const from = `FROM "${entity.table}" t WHERE ${where.join(' AND ')}`;
    const sql = `${cte}SELECT (SELECT min(${time}) ${from}) AS f, (SELECT max(${time}) ${from}) AS l`;
    const bound = [...cutParams, ...params, ...params];
    const row = (await db.sql.all<{ f: string | number | Date | null; l: string | number | Date | null }>(sql, bound))[0];
    out.set(name, { ...(row?.f == null ? {} : { first: asDate(row.f) }), ...(row?.l == null ? {} : { last: asDate(row.l) }) });
  }
  return out;
}

function asDate(v: string | number | Date): Date {
  return v instanceof Date ? v : new Date(v);
}

/**
 * The last instant of the day of the KPI's last record (its earliest-ending metric), when that is
 * before the period of `grain` holding `asOf`: the data stopped before the clock (the demo's older
 * datasets, a source no longer synced). Otherwise undefined.
 * @example await dataEndBefore(db, registry.get('orders'), new Date('2017-12-31T00:00:00Z'), 'week', cal) // 2011-12-09T23:59:59.999Z
 */
export async function dataEndBefore(db: Database, kpi: KpiDefinition, asOf: Date, grain: Grain, cal: Calendar): Promise<Date | undefined> {
  const coverage = [...(await metricCoverage(db, kpi, new Date(asOf.getTime() + 1))).values()];
  const lasts = coverage.map((c) => c.last);
  if (lasts.some((l) => l === undefined)) return undefined;
  const last = new Date(Math.min(...lasts.map((l) => l!.getTime())));
  if (last >= periodContaining(asOf, grain, cal).start) return undefined;
  return new Date(periodContaining(last, 'day', cal).end.getTime() - 1);
}
