import { closedPeriods } from './closed-periods.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain } from '../domain/period.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Database } from '../store/open-database.ts';
import { evaluateKpi } from './evaluate-kpi.ts';
import { minimumLength } from './forecast/fit-ets.ts';
import { rollingOrigin, type AccuracyReport } from './forecast/rolling-origin.ts';
import { completePeriods, countsOrSums, forecastHistory, HISTORY_PERIODS, SEASON_PERIOD, type ForecastHistory } from './kpi-forecast.ts';

/** What to backtest. */
export interface ForecastAccuracyRequest {
  readonly grain: Grain;
  readonly asOf: Date;
  /** periods ahead scored from each origin; default 1 */
  readonly horizon?: number | undefined;
  /** at most this many origins, the latest; default 60 (each refits every candidate model) */
  readonly maxOrigins?: number | undefined;
}

/** A KPI's forecast accuracy: the history it was measured on and the rolling-origin report. */
export interface ForecastAccuracy {
  readonly kpi: KpiDefinition;
  readonly grain: Grain;
  readonly history: ForecastHistory;
  readonly report: AccuracyReport;
}

/**
 * Measures how well the forecast would have done on this KPI's own history: a rolling-origin
 * backtest from the first origin exponential smoothing can fit, scored by MASE and 80%/95%
 * interval coverage against naive and seasonal naive on the same held-out periods.
 * @example await kpiForecastAccuracy(db, registry.get('won_revenue'), { grain: 'month', asOf }, cal)
 */
export async function kpiForecastAccuracy(db: Database, kpi: KpiDefinition, request: ForecastAccuracyRequest, cal: Calendar): Promise<ForecastAccuracy> {
  const periods = completePeriods(request.asOf, request.grain, HISTORY_PERIODS[request.grain], cal);
  const series = await evaluateKpi(db, kpi, periods, cal);
  const history = forecastHistory(
    periods,
    series.points.map((p) => p.value),
    countsOrSums(kpi),
    await closedPeriods(db, kpi, periods, cal),
  );
  const firstOrigin = minimumLength({ trend: 'none', period: 0 });
  if (history.values.length <= firstOrigin) {
    throw new CrmPulseError('usage', `[kpi] ${kpi.key} has ${history.values.length} ${request.grain}s of history; a backtest needs more than ${firstOrigin}`, {
      hint: 'choose a shorter grain (--grain week or day)',
    });
  }
  const report = rollingOrigin(history.values, {
    horizon: request.horizon ?? 1,
    seasonPeriod: SEASON_PERIOD[request.grain],
    firstOrigin,
    maxOrigins: request.maxOrigins ?? 60,
  });
  return { kpi, grain: request.grain, history, report };
}
