import type { ConditionConfig } from '../config/alerts-schema.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { normalQuantile } from '../kpi/forecast/normal.ts';
import { grade, isNumber, normalise, type ConditionInput, type ConditionVerdict } from './judge-condition.ts';

/**
 * The `forecast` condition: seasonal anomaly detection. The judged value is compared with the
 * forecast of its period made from the periods before it; it breaches a level L when it falls
 * outside the L% prediction interval, on the side the condition watches.
 * @example judgeForecast({ type: 'forecast', interval: 95, direction: 'bad' }, input, false)
 */
export function judgeForecast(c: Extract<ConditionConfig, { type: 'forecast' }>, input: ConditionInput, active: boolean): ConditionVerdict {
  const f = input.forecast;
  if (!f || f.kind === 'none') return { severity: null, summary: f?.reason ?? 'no forecast', comparison: 'no forecast' };
  const show = (x: number) => formatKpiValue(x, input.unit, input.currency);
  const comparison = `forecast ${show(f.mean)} (${f.model}, 95% ${show(f.lo95!)}–${show(f.hi95!)})`;
  // How many standard deviations out, signed the way the condition watches.
  const z = f.sd! > 0 ? (input.value - f.mean) / f.sd! : input.value === f.mean ? 0 : Math.sign(input.value - f.mean) * Infinity;
  const wanted = c.direction === 'bad' ? (input.direction === 'higher' ? 'down' : 'up') : c.direction;
  const signed = wanted === 'up' ? z : wanted === 'down' ? -z : Math.abs(z);
  const outside = (coverage: number) => signed > normalQuantile((1 + coverage / 100) / 2);
  const where =
    input.value < f.lo95!
      ? 'below'
      : input.value > f.hi95!
        ? 'above'
        : input.value < f.lo80!
          ? 'below the 80% but inside the 95%'
          : input.value > f.hi80!
            ? 'above the 80% but inside the 95%'
            : 'inside';
  const summary = `${show(input.value)} is ${where} interval of the forecast ${show(f.mean)} (${f.model} on ${f.history} periods; 95% ${show(f.lo95!)}–${show(f.hi95!)})`;
  if (input.expected !== undefined) return { severity: null, summary: `${summary} (expected: ${input.expected})`, comparison };
  const g = grade(normalise(c.interval, isNumber), active, outside);
  return { severity: g.severity, summary: `${summary}${g.severity ? ` (${g.severity}: outside the ${g.level}% interval)` : ''}`, comparison };
}

/**
 * The `forecast_target` condition: the forecast for the target's deadline period (its total, for a
 * sum or count) against the target. It breaches when the shortfall in percent of the target exceeds
 * the level and the probability of missing, from the forecast's distribution, is at least `likelihood`.
 * @example judgeForecastTarget({ type: 'forecast_target', shortfall: 10, likelihood: 0 }, input, false)
 */
export function judgeForecastTarget(c: Extract<ConditionConfig, { type: 'forecast_target' }>, input: ConditionInput, active: boolean): ConditionVerdict {
  const d = input.deadline;
  if (!d || d.kind === 'none') return { severity: null, summary: d?.reason ?? 'no SMART target for this KPI', comparison: 'no target' };
  const show = (x: number) => formatKpiValue(x, input.unit, input.currency);
  const comparison = `target ${show(d.target)} for ${d.period}`;
  const higher = input.direction === 'higher';
  const miss = ((higher ? d.target - d.mean : d.mean - d.target) / Math.abs(d.target || 1)) * 100;
  const likely = `${Math.round(d.missProbability * 100)}% likely`;
  const summary =
    miss > 0
      ? `forecast to miss ${d.period} by ${miss.toFixed(1)}%, ${likely}: ${show(d.mean)} against the target ${show(d.target)} (${d.method})`
      : `forecast to meet ${d.period}: ${show(d.mean)} against the target ${show(d.target)}; ${Math.round(d.missProbability * 100)}% likely to miss (${d.method})`;
  const g = grade(normalise(c.shortfall, isNumber), active, (t) => miss > t && d.missProbability >= c.likelihood);
  return { severity: g.severity, summary, comparison };
}
