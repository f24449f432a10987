// A week with no record at all is not a week of zero demand. Online Retail has no invoice of any
// kind from 24 December 2010 to 3 January 2011: the shop was closed, so 2010-W52's 0 orders say
// nothing about demand, yet as a value it puts two huge jumps into every forecast fitted after it
// (README, Forecasts). Exponential smoothing needs evenly spaced values, so the forecast history
// treats such a period as a gap (forecastHistory then keeps only the periods after it).
import type { KpiDefinition, MetricDefinition } from '../domain/kpi.ts';
import type { Calendar, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { evaluateKpi } from './evaluate-kpi.ts';
import { countsOrSums } from './kpi-forecast.ts';

/**
 * The labels of the weeks and months, strictly between the first and the last one with records,
 * in which the KPI's entities hold no record at all on its metrics' time fields (filters aside:
 * not one order line, cancelled or not). Only for counts and sums, whose empty period would
 * otherwise read 0, and never for days: a shop that never trades on Saturdays has a weekly
 * season, not a gap every week.
 * @example await closedPeriods(db, registry.get('orders'), weeks, cal) // Set { '2010-W52' }
 */
export async function closedPeriods(db: Database, kpi: KpiDefinition, periods: readonly Period[], cal: Calendar): Promise<Set<string>> {
  const closed = new Set<string>();
  if (kpi.model !== undefined || !countsOrSums(kpi) || periods.length === 0 || periods[0]!.grain === 'day') return closed;
  const seen = new Map<string, MetricDefinition>();
  for (const m of Object.values(kpi.metrics)) {
    const probe: MetricDefinition = { entity: m.entity, aggregate: 'count', time: m.time, ...(m.source !== undefined ? { source: m.source } : {}) };
    seen.set(JSON.stringify(probe), probe);
  }
  const metrics = Object.fromEntries([...seen.values()].map((m, i) => [`records${i}`, m]));
  const probe: KpiDefinition = {
    key: `${kpi.key}#records`,
    title: `${kpi.title} records`,
    unit: 'count',
    direction: 'higher',
    description: 'records of any kind',
    metrics,
    formula: Object.keys(metrics).join(' + '),
  };
  const counts = (await evaluateKpi(db, probe, periods, cal)).points.map((p) => p.value ?? 0);
  const first = counts.findIndex((c) => c > 0);
  const last = counts.findLastIndex((c) => c > 0);
  for (let i = first + 1; i < last; i++) if (counts[i] === 0) closed.add(periods[i]!.label);
  return closed;
}
