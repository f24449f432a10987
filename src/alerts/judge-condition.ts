import type { ConditionConfig, LevelsConfig } from '../config/alerts-schema.ts';
import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { Severity } from '../domain/alert.ts';
import { formatKpiChange, formatKpiValue } from '../kpi/format-kpi-value.ts';
import type { DeadlineForecast, PeriodForecast } from './forecast-inputs.ts';
import { judgeForecast, judgeForecastTarget } from './judge-forecast.ts';
import { robustZ } from './robust-z.ts';

/** What one series looks like at the period judged, gathered by evaluateRule. */
export interface ConditionInput {
  readonly value: number;
  readonly unit: KpiUnit;
  /** for a money KPI: the ISO code its values are written with in summaries */
  readonly currency?: string | undefined;
  readonly direction: Direction;
  readonly previous: { readonly label: string; readonly value: number | null };
  readonly lastYear: { readonly label: string; readonly value: number | null };
  /** the anomaly baseline: trailing values, annotated periods left out */
  readonly baseline: readonly number[];
  /** the SMART target and the value projected at its deadline, when the KPI has a target */
  readonly pace?: { readonly target: number; readonly projected: number | null; readonly deadline: string; readonly reason?: string | undefined } | undefined;
  /** the note of an annotation covering the period: the movement was expected */
  readonly expected?: string | undefined;
  /** the judged period's forecast from the periods before it, for `forecast` conditions */
  readonly forecast?: PeriodForecast | undefined;
  /** the forecast for the target's deadline period, for `forecast_target` conditions */
  readonly deadline?: DeadlineForecast | undefined;
}

/** The verdict on one condition: breached at a severity, or not, in words people read. */
export interface ConditionVerdict {
  /** null: clear (or recovered, for a series already firing) */
  readonly severity: Severity | null;
  /** e.g. "dropped 35.2% vs 2017-08 (warning at 30%)" */
  readonly summary: string;
  /** what the value was compared with, e.g. "previous 1,204,331" */
  readonly comparison: string;
  /**
   * true when the condition cannot be judged at all (a target pace with nothing to project from, a
   * change with no earlier value or a % change from 0, an anomaly without a baseline):
   * it is neither breached nor clear, so the rule reports no data and a firing alert holds
   */
  readonly unjudged?: true;
}

/**
 * Judges one condition. `active` says the series is already pending or firing: it then stays in
 * breach until the value gets back past the `recover` level (hysteresis), not just the warning one.
 * @example judgeCondition({ type: 'threshold', below: 0.5 }, input, false) // { severity: 'warning', … }
 */
export function judgeCondition(condition: ConditionConfig, input: ConditionInput, active: boolean): ConditionVerdict {
  switch (condition.type) {
    case 'threshold':
      return threshold(condition, input, active);
    case 'change':
      return change(condition, input, active);
    case 'target_pace':
      return targetPace(condition, input, active);
    case 'anomaly':
      return anomaly(condition, input, active);
    case 'forecast':
      return judgeForecast(condition, input, active);
    case 'forecast_target':
      return judgeForecastTarget(condition, input, active);
  }
}

/** The warning, critical and recovery levels of a condition, normalised. */
export interface Levels<T> {
  readonly warning?: T | undefined;
  readonly critical?: T | undefined;
  readonly recover?: T | undefined;
}

/** A condition's levels as warning/critical/recover, from a bare level or the object form. */
export function normalise<T>(l: LevelsConfig<T>, isLevel: (x: unknown) => x is T): Levels<T> {
  return isLevel(l) ? { warning: l } : (l as Levels<T>);
}

/** Whether a level is a number (not a band). */
export const isNumber = (x: unknown): x is number => typeof x === 'number';
const isBand = (x: unknown): x is readonly [number, number] => Array.isArray(x);

/**
 * The severity past which `past` holds: critical first, then warning, then (for an active series)
 * the recovery level, which keeps the lower severity.
 */
export function grade<T>(levels: Levels<T>, active: boolean, past: (level: T) => boolean): { severity: Severity | null; level: T | undefined } {
  if (levels.critical !== undefined && past(levels.critical)) return { severity: 'critical', level: levels.critical };
  if (levels.warning !== undefined && past(levels.warning)) return { severity: 'warning', level: levels.warning };
  const recover = levels.recover ?? levels.warning ?? levels.critical;
  if (active && recover !== undefined && past(recover)) return { severity: 'warning', level: recover };
  return { severity: null, level: levels.warning ?? levels.critical };
}

function threshold(c: Extract<ConditionConfig, { type: 'threshold' }>, input: ConditionInput, active: boolean): ConditionVerdict {
  const v = input.value;
  const show = (x: number) => formatKpiValue(x, input.unit, input.currency);
  const value = show(v);
  if (c.outside !== undefined) {
    const g = grade(normalise(c.outside, isBand), active, ([lo, hi]) => v < lo || v > hi);
    const [lo, hi] = g.level!;
    const where = v < lo ? 'below' : v > hi ? 'above' : 'inside';
    return { severity: g.severity, summary: `${value} is ${where} the band ${show(lo)}–${show(hi)}`, comparison: `band ${show(lo)}–${show(hi)}` };
  }
  const above = c.above !== undefined;
  const g = grade(normalise((c.above ?? c.below)!, isNumber), active, (t) => (above ? v > t : v < t));
  const side = above ? (v > g.level! ? 'above' : 'not above') : v < g.level! ? 'below' : 'not below';
  return { severity: g.severity, summary: `${value} is ${side} ${show(g.level!)}${label(g.severity)}`, comparison: `threshold ${show(g.level!)}` };
}

function change(c: Extract<ConditionConfig, { type: 'change' }>, input: ConditionInput, active: boolean): ConditionVerdict {
  const base = c.vs === 'previous' ? input.previous : input.lastYear;
  const comparison = `${c.vs === 'previous' ? 'previous' : 'last year'} (${base.label}) ${formatKpiValue(base.value, input.unit, input.currency)}`;
  // Nothing to compare with is not a recovery: it is no data, so a firing alert holds (like target_pace).
  if (base.value === null) return { severity: null, summary: `no value for ${base.label} to compare with`, comparison, unjudged: true };
  const percent = c.measure === 'percent';
  if (percent && base.value === 0) return { severity: null, summary: `${base.label} was 0, so a change in % is undefined`, comparison, unjudged: true };
  const delta = percent ? ((input.value - base.value) / Math.abs(base.value)) * 100 : input.value - base.value;
  const shown = percent ? `${Math.abs(delta).toFixed(1)}%` : formatKpiChange(Math.abs(delta), input.unit, input.currency).slice(1);
  const verb = delta < 0 ? 'dropped' : delta > 0 ? 'rose' : 'did not move';
  const summary = `${verb}${delta === 0 ? '' : ` ${shown}`} vs ${base.label}`;
  if (input.expected !== undefined) return { severity: null, summary: `${summary} (expected: ${input.expected})`, comparison };
  const mode = c.drop !== undefined ? 'drop' : c.rise !== undefined ? 'rise' : 'move';
  const size = mode === 'drop' ? -delta : mode === 'rise' ? delta : Math.abs(delta);
  const g = grade(normalise((c.drop ?? c.rise ?? c.move)!, isNumber), active, (t) => size >= t);
  const limit = percent ? `${g.level}%` : formatKpiValue(g.level!, input.unit, input.currency);
  return { severity: g.severity, summary: `${summary}${g.severity ? ` (${g.severity} at a ${mode} of ${limit})` : ''}`, comparison };
}

function targetPace(c: Extract<ConditionConfig, { type: 'target_pace' }>, input: ConditionInput, active: boolean): ConditionVerdict {
  const pace = input.pace;
  if (!pace) return { severity: null, summary: 'no SMART target for this KPI', comparison: 'no target' };
  const show = (x: number) => formatKpiValue(x, input.unit, input.currency);
  const comparison = `target ${show(pace.target)} by ${pace.deadline}`;
  // No pace is not a recovery: "clear" here resolved a firing pace alert when a new target reset the start (issue 14).
  if (pace.projected === null) return { severity: null, summary: pace.reason ?? 'no pace yet to project from', comparison, unjudged: true };
  const higher = input.direction === 'higher';
  const miss = ((higher ? pace.target - pace.projected : pace.projected - pace.target) / Math.abs(pace.target || 1)) * 100;
  const g = grade(normalise(c.shortfall, isNumber), active, (t) => miss > t);
  const summary =
    miss > 0
      ? `projected ${show(pace.projected)} at ${pace.deadline}, ${miss.toFixed(1)}% short of the target ${show(pace.target)}`
      : `projected ${show(pace.projected)} at ${pace.deadline} meets the target ${show(pace.target)}`;
  return { severity: g.severity, summary, comparison };
}

function anomaly(c: Extract<ConditionConfig, { type: 'anomaly' }>, input: ConditionInput, active: boolean): ConditionVerdict {
  const z = robustZ(input.value, input.baseline);
  const n = input.baseline.length;
  if (z === null) {
    return { severity: null, summary: `only ${n} baseline periods; an anomaly needs at least 4`, comparison: 'no baseline', unjudged: true };
  }
  const comparison = `expected ${formatKpiValue(z.median, input.unit, input.currency)} (median of ${n} periods)`;
  const summary = `robust z-score ${z.z >= 0 ? '+' : ''}${Number.isFinite(z.z) ? z.z.toFixed(1) : '∞'} against the median ${formatKpiValue(z.median, input.unit, input.currency)} of ${n} periods`;
  if (input.expected !== undefined) return { severity: null, summary: `${summary} (expected: ${input.expected})`, comparison };
  const wanted = c.direction === 'bad' ? (input.direction === 'higher' ? 'down' : 'up') : c.direction;
  const signed = wanted === 'up' ? z.z : wanted === 'down' ? -z.z : Math.abs(z.z);
  const g = grade(normalise(c.sensitivity, isNumber), active, (t) => signed >= t);
  return { severity: g.severity, summary: `${summary}${label(g.severity)}`, comparison };
}

function label(severity: Severity | null): string {
  return severity ? ` (${severity})` : '';
}
