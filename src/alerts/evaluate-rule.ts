import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { KpiDefinition, TargetDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import type { Severity } from '../domain/alert.ts';
import type { Database } from '../store/open-database.ts';
import { evaluateKpi, type KpiSeries, type KpiValue } from '../kpi/evaluate-kpi.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import type { KpiCacheView } from '../kpi/kpi-cache.ts';
import { periodContaining, previousPeriod, samePeriodLastYear, shiftPeriod } from '../kpi/periods.ts';
import { targetStatuses } from '../kpi/target-status.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { judgeCondition, type ConditionInput, type ConditionVerdict } from './judge-condition.ts';
import { deadlineForecast, judgedPeriodForecasts } from './forecast-inputs.ts';
import type { Outcome } from './transition.ts';

/** What rule evaluation reads: the store, the KPIs, the calendar, targets and annotations. */
export interface RuleContext {
  readonly db: Database;
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
  readonly targets: Readonly<Record<string, TargetDefinition>>;
  readonly annotations: AlertsConfig['annotations'];
  /** KPI series already computed in this tick, shared by rules over the same KPI and periods */
  readonly cache?: Map<string, Promise<KpiSeries>>;
  /** per KPI and dimension (`kpi|by`), one series over every period the tick's rules need */
  readonly shared?: Map<string, Promise<KpiSeries>>;
  /** metric values kept across ticks with the data versions they stand on (issue 18); none: all computed afresh */
  readonly kpiCache?: KpiCacheView;
}

/** One series' outcome of one evaluation. */
export interface SeriesOutcome {
  /** the dimension value, '' without `by` */
  readonly seriesKey: string;
  readonly outcome: Outcome;
}

/**
 * The period a rule judges at `now`: the last complete one, or the one running, cut at `now` so
 * that a replay never reads records from after its own clock.
 */
export function judgedPeriod(rule: Pick<RuleConfig, 'grain' | 'period'>, now: Date, cal: Calendar): Period {
  const running = periodContaining(now, rule.grain as Grain, cal);
  if (rule.period !== 'current') return previousPeriod(running, cal);
  return { ...running, end: new Date(Math.min(running.end.getTime(), now.getTime() + 1)) };
}

/**
 * Evaluates one rule at `now`: computes its KPI over the judged period and what its conditions
 * compare with (previous period, same period last year, the anomaly baseline, the target pace),
 * per dimension value when the rule has `by`, and judges each series. `isActive` says which
 * series are pending or firing (they recover only past the recovery level); `known` lists series
 * with a stored state, so that one that vanished from the data gets "no data" instead of silence.
 * Throws when the KPI cannot be computed; the caller turns that into the rule's error state.
 * @example await evaluateRule(ctx, 'won_drop', rule, new Date('2017-10-01'), () => false, [])
 */
export async function evaluateRule(
  ctx: RuleContext,
  rule: RuleConfig,
  now: Date,
  isActive: (seriesKey: string) => boolean,
  known: Iterable<string>,
): Promise<SeriesOutcome[]> {
  const cal = ctx.calendar;
  const kpi = ctx.kpis.get(rule.kpi);
  const { judged, previous, lastYear, baselines, periods } = rulePeriods(ctx, rule, now);
  const series = await kpiSeries(ctx, kpi, periods, rule.by, now);
  const at = new Map(series.points.map((p) => [p.period.label, p]));
  const valueOf = (label: string, key: string): KpiValue | undefined => {
    const point = at.get(label);
    if (!point) return undefined;
    return rule.by === undefined ? point : point.breakdown?.find((b) => b.key === key);
  };

  const keys = new Set<string>(rule.by === undefined ? [''] : (at.get(judged.label)?.breakdown ?? []).map((b) => b.key));
  for (const k of known) keys.add(k);
  // The pace is read at the end of the judged period, so a complete-period rule never projects from a period just begun.
  const pace = rule.conditions.some((c) => c.type === 'target_pace')
    ? await targetPace(ctx, kpi, new Date(Math.min(now.getTime(), judged.end.getTime() - 1)))
    : undefined;
  const expected = annotationOf(ctx, kpi.key, judged, cal);
  const forecasts = rule.conditions.some((c) => c.type === 'forecast') ? await judgedPeriodForecasts(ctx, rule, kpi, judged) : undefined;
  const target = ctx.targets[kpi.key];
  const deadline =
    target && rule.conditions.some((c) => c.type === 'forecast_target')
      ? await deadlineForecast(ctx, kpi, target, new Date(Math.min(now.getTime(), judged.end.getTime() - 1)))
      : undefined;
  const window = Math.max(0, ...rule.conditions.map((c) => (c.type === 'anomaly' ? c.window : 0)));

  return [...keys].sort().map((seriesKey) => {
    const current = valueOf(judged.label, seriesKey);
    const nodata = (summary: string): SeriesOutcome => ({ seriesKey, outcome: { kind: 'nodata', period: judged.label, summary } });
    if (current === undefined || current.value === null) {
      const what = rule.by === undefined ? kpi.title : `${kpi.title} for ${rule.by} ${seriesKey}`;
      return nodata(`no value of ${what} in ${judged.label}${current?.reason ? `: ${current.reason}` : ''}`);
    }
    if (rule.min_volume) {
      const volume = current.metrics[rule.min_volume.metric] ?? 0;
      if (volume < rule.min_volume.at_least) {
        return nodata(`only ${volume} ${rule.min_volume.metric} in ${judged.label}, under the floor of ${rule.min_volume.at_least}`);
      }
    }
    const input: ConditionInput = {
      value: current.value,
      unit: kpi.unit,
      currency: kpi.currency,
      direction: kpi.direction,
      previous: { label: previous.label, value: valueOf(previous.label, seriesKey)?.value ?? null },
      lastYear: { label: lastYear.label, value: valueOf(lastYear.label, seriesKey)?.value ?? null },
      baseline: baselines
        .map((p) => valueOf(p.label, seriesKey)?.value)
        .filter((v): v is number => typeof v === 'number')
        .slice(-window),
      pace,
      expected,
      forecast: forecasts?.get(seriesKey),
      deadline,
    };
    const verdicts = rule.conditions.map((c) => judgeCondition(c, input, isActive(seriesKey)));
    const undecided = unjudged(rule.match, verdicts);
    if (undecided) return nodata(`${kpi.title} ${formatKpiValue(current.value, kpi.unit, kpi.currency)} in ${judged.label}: ${undecided}`);
    return { seriesKey, outcome: combine(rule.match, verdicts, current.value, judged.label, kpi) };
  });
}

/** The periods a rule reads at `now`, in time order: the judged one, its comparisons and the anomaly baseline. */
export function rulePeriods(
  ctx: Pick<RuleContext, 'calendar' | 'annotations' | 'kpis'>,
  rule: RuleConfig,
  now: Date,
): { judged: Period; previous: Period; lastYear: Period; baselines: Period[]; periods: Period[] } {
  const cal = ctx.calendar;
  const judged = judgedPeriod(rule, now, cal);
  const previous = previousPeriod(judged, cal);
  const lastYear = samePeriodLastYear(judged, cal);
  const baselines = baselinePeriods(rule, judged, cal).filter((p) => annotationOf(ctx, rule.kpi, p, cal) === undefined);
  const all = new Map<string, Period>();
  // A computed KPI costs a model fit per period: read only the periods its conditions compare with.
  const kpi = ctx.kpis.get(rule.kpi);
  const read = kpi.model === undefined ? [judged, previous, lastYear, ...baselines] : [judged, ...modelComparisons(rule, previous, lastYear)];
  for (const p of read) all.set(p.label, p);
  return { judged, previous, lastYear, baselines, periods: [...all.values()].sort((a, b) => a.start.getTime() - b.start.getTime()) };
}

/** The periods a computed KPI's change conditions compare with (anomaly and forecasts are refused for them by checkRules). */
function modelComparisons(rule: RuleConfig, previous: Period, lastYear: Period): Period[] {
  const vs = new Set(rule.conditions.flatMap((c) => (c.type === 'change' ? [c.vs] : [])));
  return [...(vs.has('previous') ? [previous] : []), ...(vs.has('last_year') ? [lastYear] : [])];
}

/**
 * Why the rule cannot be judged, or undefined when it can: with `any`, no judged condition holds
 * and one cannot be judged; with `all`, every judged condition holds and one cannot be judged.
 * The rule then reports no data, which keeps a firing alert firing instead of resolving it.
 */
function unjudged(match: 'any' | 'all', verdicts: readonly ConditionVerdict[]): string | undefined {
  const open = verdicts.filter((v) => v.unjudged);
  if (open.length === 0) return undefined;
  const judged = verdicts.filter((v) => !v.unjudged);
  const decided = match === 'any' ? judged.some((v) => v.severity !== null) : judged.some((v) => v.severity === null);
  return decided ? undefined : open.map((v) => v.summary).join('; ');
}

/** any: the worst severity of the conditions that hold; all: every condition must hold, at the mildest severity among them. */
function combine(match: 'any' | 'all', verdicts: readonly ConditionVerdict[], value: number, period: string, kpi: KpiDefinition): Outcome {
  const rank = (s: Severity | null) => (s === 'critical' ? 2 : s === 'warning' ? 1 : 0);
  const ranks = verdicts.map((v) => rank(v.severity));
  const level = match === 'any' ? Math.max(...ranks) : Math.min(...ranks);
  const shown = level > 0 ? verdicts.filter((v) => v.severity !== null) : verdicts;
  const summary = shown.map((v) => v.summary).join('; ');
  const comparison = shown[0]!.comparison;
  if (level === 0) return { kind: 'clear', value, period, summary, comparison };
  return {
    kind: 'breach',
    severity: level === 2 ? 'critical' : 'warning',
    value,
    period,
    summary: `${kpi.title} ${formatKpiValue(value, kpi.unit, kpi.currency)}: ${summary}`,
    comparison,
  };
}

/** The trailing periods an anomaly baseline draws from: twice the window, so annotated ones can be left out. */
function baselinePeriods(rule: RuleConfig, judged: Period, cal: Calendar): Period[] {
  const anomaly = rule.conditions.find((c) => c.type === 'anomaly');
  if (!anomaly || anomaly.type !== 'anomaly') return [];
  const out: Period[] = [];
  for (let k = 2 * anomaly.window; k >= 1; k--) {
    if (anomaly.seasonality === 'weekly') out.push(shiftPeriod(judged, -7 * k, cal));
    else if (anomaly.seasonality === 'monthly') {
      const p = sameDayMonthsBack(judged, k, cal);
      if (p) out.push(p);
    } else out.push(shiftPeriod(judged, -k, cal));
  }
  return out;
}

/** The same day of the month k months earlier, or undefined when that month is too short. */
function sameDayMonthsBack(day: Period, k: number, cal: Calendar): Period | undefined {
  const [y, m, d] = day.label.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1 - k, d, 12));
  if (at.getUTCDate() !== d) return undefined;
  return periodContaining(at, 'day', cal);
}

/** The note of an annotation covering the period for this KPI, if any. */
function annotationOf(ctx: Pick<RuleContext, 'annotations'>, kpi: string, p: Period, cal: Calendar): string | undefined {
  for (const a of ctx.annotations) {
    if (a.kpis && !a.kpis.includes(kpi)) continue;
    const from = periodContaining(new Date(`${a.from}T12:00:00Z`), 'day', cal).start;
    const to = periodContaining(new Date(`${a.to}T12:00:00Z`), 'day', cal).end;
    if (p.start < to && p.end > from) return a.note;
  }
  return undefined;
}

async function kpiSeries(ctx: RuleContext, kpi: KpiDefinition, periods: readonly Period[], by: string | undefined, now: Date): Promise<KpiSeries> {
  // Rules over the same KPI and dimension share one evaluation over all the periods they need.
  const shared = ctx.shared?.get(`${kpi.key}|${by ?? ''}`);
  if (shared) {
    const series = await shared;
    const have = new Set(series.points.map((p) => p.period.label));
    if (periods.every((p) => have.has(p.label))) return series;
  }
  const key = `${kpi.key}|${by ?? ''}|${periods.map((p) => p.label).join(',')}`;
  const cached = ctx.cache?.get(key);
  if (cached) return cached;
  // A replay reads nothing after its own clock: the evaluation is as of now.
  const pending = evaluateKpi(ctx.db, kpi, periods, ctx.calendar, {
    ...(by === undefined ? {} : { by }),
    asOf: now,
    ...(ctx.kpiCache ? { cache: ctx.kpiCache } : {}),
  });
  ctx.cache?.set(key, pending);
  return pending;
}

async function targetPace(ctx: RuleContext, kpi: KpiDefinition, now: Date): Promise<ConditionInput['pace']> {
  const target = ctx.targets[kpi.key];
  if (!target) return undefined;
  const [status] = await targetStatuses(ctx.db, ctx.kpis, { [kpi.key]: target }, now, ctx.calendar);
  const projected = status?.progress?.projected ?? null;
  const why = status?.reason ?? (status ? `no pace yet: the target counts from ${status.start.period.label}, the period read now` : undefined);
  return { target: target.value, projected, deadline: target.by, ...(projected === null && why ? { reason: why } : {}) };
}
