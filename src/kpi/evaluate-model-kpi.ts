// Computed KPIs (KpiDefinition.model): a value per period from a model fitted to the data as of
// that period's end, in the same KpiSeries shape as the SQL KPIs, so that rules, the digest and
// `/kpi` read them alike. Each value says what it stands on: its cut, n = the customers fitted,
// and no value (with the reason) outside the data or when the model cannot be fitted.
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar } from '../domain/period.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Database } from '../store/open-database.ts';
import { cachedClv } from './clv/cached-clv.ts';
import type { ClvReport } from './clv/predict-clv.ts';
import { BEFORE_DATA, NO_DATA_SINCE, type KpiSeries, type KpiValue } from './evaluate-kpi.ts';
import { metricCoverage } from './metric-coverage.ts';
import { periodContaining } from './periods.ts';
import { minSample } from './sample-size.ts';
import type { Period } from '../domain/period.ts';

/** The one dimension a computed KPI splits by: the RFM segment each customer is in at the cut. */
export const MODEL_DIMENSIONS: readonly string[] = ['segment'];

/**
 * Values a computed KPI per period, as of each period's end (or `asOf`, whichever is first): one
 * model fit per distinct cut, kept in the fit cache (clv/cached-clv.ts). With `by: 'segment'`,
 * each RFM segment's share.
 * @example await evaluateModelKpi(db, registry.get('clv_predicted'), lastPeriods(asOf, 'month', 2, cal), cal, { asOf })
 */
export async function evaluateModelKpi(
  db: Database,
  kpi: KpiDefinition,
  periods: readonly Period[],
  cal: Calendar,
  options: { by?: string; asOf?: Date } = {},
): Promise<KpiSeries> {
  if (options.by !== undefined && !MODEL_DIMENSIONS.includes(options.by)) {
    throw new CrmPulseError('usage', `[kpi] ${kpi.key} is computed by a model and splits by ${MODEL_DIMENSIONS.join(', ')} only, not by '${options.by}'`, {
      hint: `use by ${MODEL_DIMENSIONS.join(', ')}, or no by`,
    });
  }
  const cut = options.asOf === undefined ? undefined : new Date(options.asOf.getTime() + 1);
  const coverage = (await metricCoverage(db, kpi, cut)).get(Object.keys(kpi.metrics)[0]!) ?? {};
  const points = [];
  for (const period of periods) {
    const end = cut !== undefined && period.end > cut ? new Date(Math.max(cut.getTime(), period.start.getTime())) : period.end;
    const natural = periodContaining(period.start, period.grain, cal);
    const cutAt = period.range || end >= natural.end ? undefined : end;
    const dataFrom = coverage.first !== undefined && coverage.first > period.start && coverage.first < end ? coverage.first : undefined;
    const stamps = { ...(cutAt ? { cutAt } : {}), ...(dataFrom ? { dataFrom } : {}) };
    const none = (reason: string): KpiValue => ({ value: null, reason, metrics: { customers: null }, n: null, low: false, ...stamps });
    let gap: string | undefined;
    if (coverage.first === undefined || end <= coverage.first) gap = BEFORE_DATA;
    else if (coverage.last !== undefined && period.start > coverage.last) gap = `${NO_DATA_SINCE} ${periodContaining(coverage.last, 'day', cal).label}`;
    if (gap !== undefined) {
      points.push({ period, ...none(gap), ...(options.by !== undefined ? { breakdown: [] } : {}) });
      continue;
    }
    let report: ClvReport;
    try {
      // The last instant inside the period, as app.asOf gives "as of <day>": one fit serves /kpi clv_predicted and the KPI.
      report = await cachedClv(db, { asOf: new Date(end.getTime() - 1) });
    } catch (error) {
      // Data the model cannot identify (too few customers, no repeat purchase) is a value-less period, said why.
      if (!(error instanceof CrmPulseError)) throw error;
      points.push({ period, ...none(error.message.split('\n')[0]!), ...(options.by !== undefined ? { breakdown: [] } : {}) });
      continue;
    }
    const valued = (value: number, n: number): KpiValue => ({ value, metrics: { customers: n }, n, low: n < minSample(kpi), ...stamps });
    const total = valued(modelValue(kpi, report), report.bgNbd.customers);
    const breakdown = options.by === undefined ? undefined : segmentValues(kpi, report).map((s) => ({ key: s.key, ...valued(s.value, s.customers) }));
    points.push({ period, ...total, ...(breakdown ? { breakdown } : {}) });
  }
  return { kpi, ...(options.by !== undefined ? { by: options.by } : {}), points };
}

/** The KPI's value from one fit: the total predicted CLV, or the number of customers flagged at risk. */
export function modelValue(kpi: KpiDefinition, report: ClvReport): number {
  return kpi.model === 'customers_at_risk' ? report.atRisk.flagged : report.total;
}

/** Per RFM segment: its predicted CLV, or its customers flagged at risk (top quintile, P(alive) under the threshold). */
function segmentValues(kpi: KpiDefinition, report: ClvReport): { key: string; value: number; customers: number }[] {
  if (kpi.model !== 'customers_at_risk')
    return report.segments.filter((s) => s.customers > 0).map((s) => ({ key: s.segment, value: s.clv, customers: s.customers }));
  const { minPastValue, aliveBelow } = report.atRisk;
  return report.segments
    .filter((s) => s.customers > 0)
    .map((s) => {
      const members = report.customers.filter((c) => c.segment === s.segment);
      return { key: s.segment, value: members.filter((c) => c.pastValue > minPastValue && c.pAlive < aliveBelow).length, customers: members.length };
    });
}
