import type { AlertsService } from '../alerts/alerts-service.ts';
import { robustZ } from '../alerts/robust-z.ts';
import type { Config } from '../config/config-schema.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar, Period } from '../domain/period.ts';
import type { ScorecardReport } from '../kpi/build-scorecard.ts';
import { attributeChange } from '../kpi/change-contributions.ts';
import { evaluateKpi, type KpiSeries } from '../kpi/evaluate-kpi.ts';
import { formulaShape } from '../kpi/formula-shape.ts';
import { kpiDimensions, whyDimensions } from '../kpi/kpi-dimensions.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import { lastPeriods, periodContaining, previousPeriod } from '../kpi/periods.ts';
import { isLowSample, minSample } from '../kpi/sample-size.ts';
import type { TargetStatus } from '../kpi/target-status.ts';
import { parseDuration } from '../lib/duration.ts';
import { latestRecordTime } from '../store/data-range.ts';
import { episodeThreads } from '../store/episode-threads.ts';
import type { Database } from '../store/open-database.ts';
import { sourceHealth } from '../store/source-health.ts';
import type { Digest, DigestAlert, DigestDriver, DigestForecast, DigestFreshness, DigestKpi, DigestScope } from './digest.ts';
import { deadlineForecast } from '../alerts/forecast-inputs.ts';

/** What building a digest reads: a subset of the App (src/app.ts), which satisfies it as it is. */
export interface DigestDeps {
  readonly db: Database;
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
  readonly config: { readonly config: Pick<Config, 'alerts' | 'scorecard'> };
  readonly alerts: Pick<AlertsService, 'overview'>;
  scorecard(asOf: Date): Promise<ScorecardReport>;
  targets(asOf: Date): Promise<TargetStatus[]>;
}

/** Weeks of history a week's value is judged against, and weeks drawn in the chart. */
const BASELINE_WEEKS = 12;
const CHART_WEEKS = 8;
/** Top movers named with their drivers. */
const MOVERS = 3;

/**
 * Builds digests of the week before `now`. One builder serves every recipient of a run: each KPI
 * is evaluated once for the company and once split by manager and by owner, and each manager's
 * digest reads its own slice, so fifty managers cost no more queries than one.
 */
export interface DigestBuilder {
  build(name: string, scope: DigestScope, kpiKeys: readonly string[] | undefined): Promise<Digest>;
}

/**
 * The digest builder for the week before `now` (the last complete ISO week in the config time
 * zone). A manager digest covers the KPIs that split by manager, valued over that manager's
 * agents only; a company digest covers every KPI asked for.
 * @example const digest = await digestBuilder(app, now).build('weekly', { kind: 'manager', manager: 'Dustin Brinkmann', agents }, undefined);
 */
export function digestBuilder(deps: DigestDeps, now: Date): DigestBuilder {
  const cal = deps.calendar;
  const week = previousPeriod(periodContaining(now, 'week', cal), cal);
  const weeks = lastPeriods(week.start, 'week', BASELINE_WEEKS + 1, cal);
  const before = weeks.at(-2)!;
  const asOf = new Date(week.end.getTime() - 1);
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, fn());
    return memo.get(key) as Promise<T>;
  };
  const series = (kpi: KpiDefinition, by: string | undefined) =>
    once(`series|${kpi.key}|${by ?? ''}`, async () => {
      const options = by === undefined ? { asOf: now } : { by, asOf: now };
      if (kpi.model === undefined) return evaluateKpi(deps.db, kpi, weeks, cal, options);
      // A computed KPI (a model fit per week end) is read at the last two week ends only: a change, no
      // baseline z; the earlier weeks stay empty, so its small chart spans the same weeks as the others.
      const read = await evaluateKpi(deps.db, kpi, weeks.slice(-2), cal, options);
      const unread = weeks.slice(0, -2).map((period) => ({ period, value: null, reason: 'not computed (a model fit per week)', metrics: {} }));
      return { ...read, points: [...unread, ...read.points] };
    });
  const split = (kpi: KpiDefinition, by: string) => once(`split|${kpi.key}|${by}`, () => evaluateKpi(deps.db, kpi, [before, week], cal, { by, asOf: now }));
  const shared = {
    targets: () => once('targets', async () => new Map((await deps.targets(asOf)).map((t) => [t.key, t]))),
    scorecard: () => once('scorecard', () => scorecardSummary(deps, asOf)),
    overview: () => once('overview', () => deps.alerts.overview(now)),
    freshness: () => once('freshness', () => freshness(deps, week, now)),
  };

  return {
    async build(name, scope, kpiKeys) {
      const inScope = scopeKpis(deps, scope, kpiKeys);
      const targets = await shared.targets();
      const items: DigestKpi[] = [];
      for (const kpi of inScope) {
        const s = await series(kpi, scope.kind === 'manager' ? 'manager' : undefined);
        items.push(digestKpi(kpi, s, scope, targets.get(kpi.key)));
      }
      items.sort(bySignificance);
      const movers = items.filter((i) => i.change !== null && i.change !== 0 && i.z !== null).slice(0, MOVERS);
      for (const m of movers) {
        const driver = await biggestDriver(deps.kpis.get(m.key), m, scope, split);
        if (driver) items[items.indexOf(m)] = { ...m, driver };
      }
      return {
        name,
        scope,
        period: { label: week.label, start: week.start.toISOString(), end: week.end.toISOString() },
        previousLabel: before.label,
        builtAt: now.toISOString(),
        kpis: items,
        movers: movers.map((m) => m.key),
        alerts: await openAlerts(deps, await shared.overview(), scope, new Set(inScope.map((k) => k.key))),
        ...(await forecastMisses(deps, inScope, targets, asOf, once)),
        scorecard: await shared.scorecard(),
        freshness: await shared.freshness(),
      };
    },
  };
}

/** The KPIs a digest covers: those asked for (default the scorecard's, else all), and for a manager those that split by manager. */
function scopeKpis(deps: DigestDeps, scope: DigestScope, keys: readonly string[] | undefined): KpiDefinition[] {
  const scorecard = Object.values(deps.config.config.scorecard.perspectives).flatMap((p) => p?.kpis ?? []);
  const wanted = keys ?? (scorecard.length ? scorecard : deps.kpis.all.map((k) => k.key));
  const kpis = [...new Set(wanted)].map((k) => deps.kpis.get(k));
  return scope.kind === 'manager' ? kpis.filter((k) => kpiDimensions(k).includes('manager')) : kpis;
}

/** Most unusual first; KPIs without a z (no value, short history) after, in the order asked. */
function bySignificance(a: DigestKpi, b: DigestKpi): number {
  const za = a.z === null ? -1 : Math.abs(a.z);
  const zb = b.z === null ? -1 : Math.abs(b.z);
  return zb - za;
}

function digestKpi(kpi: KpiDefinition, s: KpiSeries, scope: DigestScope, target: TargetStatus | undefined): DigestKpi {
  const values = s.points.map((p) => {
    if (scope.kind === 'company') return { period: p.period.label, value: p.value, reason: p.reason, n: p.n, low: isLowSample(p) };
    const mine = p.breakdown?.find((b) => b.key === scope.manager);
    // A team without records in a week: counts and sums are 0, ratios and averages have no value.
    return {
      period: p.period.label,
      value: mine ? mine.value : zeroWhenAdditive(kpi),
      reason: mine?.reason ?? 'no records of the team this week',
      n: mine ? mine.n : kpi.sample === undefined ? undefined : 0,
      low: mine ? isLowSample(mine) : false,
    };
  });
  const last = values.at(-1)!;
  const prev = values.at(-2)!;
  // Low-confidence weeks are neither judged nor part of the baseline: a week of four NPS answers is noise (issue 14).
  const baseline = values.slice(0, -1).flatMap((v) => (v.value === null || v.low ? [] : [v.value]));
  const rz = last.value === null || last.low ? null : robustZ(last.value, baseline);
  // A "–" or low-confidence week is never on or off track, and a team is never judged by the company's pace.
  const judged = last.value !== null && !last.low;
  const grainFree = zeroWhenAdditive(kpi) === null;
  const meets =
    scope.kind === 'manager' && target && judged && grainFree
      ? kpi.direction === 'higher'
        ? last.value! >= target.target
        : last.value! <= target.target
      : null;
  return {
    key: kpi.key,
    unit: kpi.unit,
    ...(kpi.currency ? { currency: kpi.currency } : {}),
    ...(kpi.direction ? { direction: kpi.direction } : {}),
    value: last.value,
    previous: prev.value,
    change: last.value === null || prev.value === null ? null : last.value - prev.value,
    ...(last.value === null && last.reason ? { reason: last.reason } : {}),
    ...(kpi.sample !== undefined ? { n: last.n ?? null, low: last.low, minSample: minSample(kpi) } : {}),
    z: rz && Number.isFinite(rz.z) ? rz.z : null,
    points: values.slice(-CHART_WEEKS).map(({ period, value }) => ({ period, value })),
    ...(target
      ? {
          target:
            scope.kind === 'company'
              ? {
                  target: target.target,
                  deadline: target.deadline,
                  progress: target.progress?.progress ?? null,
                  onTrack: judged ? (target.progress?.onTrack ?? null) : null,
                }
              : { target: target.target, deadline: target.deadline, progress: null, onTrack: null, company: true, meets },
        }
      : {}),
  };
}

/**
 * The KPIs in scope whose forecast for their target's deadline period falls short of the target
 * (alerts/forecast-inputs.ts), the worst first; nothing when none does.
 */
async function forecastMisses(
  deps: DigestDeps,
  kpis: readonly KpiDefinition[],
  targets: ReadonlyMap<string, TargetStatus>,
  asOf: Date,
  once: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
): Promise<{ forecasts?: DigestForecast[] }> {
  const out: DigestForecast[] = [];
  for (const kpi of kpis) {
    const t = targets.get(kpi.key);
    if (!t) continue;
    const target = { value: t.target, by: t.deadline, grain: t.current.period.grain };
    const ctx = { db: deps.db, kpis: deps.kpis, calendar: deps.calendar, targets: {}, annotations: [] };
    const f = await once(`forecast|${kpi.key}`, () => deadlineForecast(ctx, kpi, target, asOf));
    if (f.kind !== 'forecast') continue;
    const missBy = ((kpi.direction === 'higher' ? f.target - f.mean : f.mean - f.target) / Math.abs(f.target || 1)) * 100;
    if (missBy > 0) out.push({ key: kpi.key, period: f.period, missBy, probability: f.missProbability });
  }
  out.sort((a, b) => b.missBy - a.missBy);
  return out.length ? { forecasts: out } : {};
}

/** 0 for a KPI that is a plain sum or count of its records, null (no value) otherwise. */
function zeroWhenAdditive(kpi: KpiDefinition): number | null {
  const metrics = Object.values(kpi.metrics);
  return metrics.length === 1 && ['count', 'sum', 'count_distinct'].includes(metrics[0]!.aggregate) && kpi.formula.trim() === Object.keys(kpi.metrics)[0]
    ? 0
    : null;
}

/**
 * The dimension value that moved the KPI most between the two weeks: for a manager, which of their
 * agents; for the company, the strongest of the KPI's usual `why` dimensions.
 */
async function biggestDriver(
  kpi: KpiDefinition,
  item: DigestKpi,
  scope: DigestScope,
  split: (kpi: KpiDefinition, by: string) => Promise<KpiSeries>,
): Promise<DigestDriver | undefined> {
  const dims =
    scope.kind === 'manager'
      ? kpiDimensions(kpi).includes('owner')
        ? ['owner']
        : []
      : whyDimensions(kpi)
          .filter((d) => d !== 'owner' && d !== 'manager')
          .slice(0, 3);
  // The value that pushed most in the direction the KPI moved: "won revenue fell, mostly West".
  const sign = Math.sign(item.change ?? 0);
  let best: DigestDriver | undefined;
  for (const dimension of dims) {
    const s = await split(kpi, dimension);
    const keep = (g: { key: string }) => scope.kind === 'company' || scope.agents.includes(g.key);
    const a = attributeChange(
      formulaShape(kpi),
      { before: item.previous, after: item.value },
      (s.points[0]?.breakdown ?? []).filter(keep),
      (s.points[1]?.breakdown ?? []).filter(keep),
    );
    for (const i of a.items) {
      const effect = i.contribution ?? (i.after !== null && i.before !== null ? i.after - i.before : null);
      if (effect === null || Math.sign(effect) !== sign) continue;
      if (!best || Math.abs(effect) > Math.abs(best.effect)) best = { dimension, key: i.key, effect };
    }
  }
  return best;
}

/** Open alerts of the KPIs in scope; for a manager, those about the whole company, the manager, their office or one of their agents. */
async function openAlerts(
  deps: DigestDeps,
  overview: Awaited<ReturnType<AlertsService['overview']>>,
  scope: DigestScope,
  kpis: ReadonlySet<string>,
): Promise<DigestAlert[]> {
  const mine = overview.open.filter((e) => {
    // Data-health and error episodes concern whoever runs crm-pulse, not a sales team.
    if (e.kind !== 'kpi') return scope.kind === 'company';
    if (!kpis.has(e.kpi) && scope.kind === 'manager') return false;
    return scope.kind === 'company' || e.seriesKey === '' || e.seriesKey === scope.manager || scope.agents.includes(e.seriesKey);
  });
  const threads = await episodeThreads(
    deps.db,
    mine.map((e) => e.id),
  );
  return mine.map((e) => ({
    id: e.id,
    kpi: e.kpi,
    severity: e.currentSeverity,
    seriesKey: e.seriesKey,
    startedAt: e.startedAt.toISOString(),
    lastValue: e.lastValue,
    threads: threads.filter((t) => t.episodeId === e.id).map(({ channel, ref }) => ({ channel, ref })),
  }));
}

async function scorecardSummary(deps: DigestDeps, asOf: Date): Promise<Digest['scorecard']> {
  if (!Object.values(deps.config.config.scorecard.perspectives).some((p) => p !== undefined)) return null;
  const report = await deps.scorecard(asOf);
  return {
    period: report.period.label,
    composite: report.card.composite,
    perspectives: report.card.perspectives.map((p) => ({ perspective: p.perspective, score: p.score })),
  };
}

/** Each source's last successful sync against its data-health limit, and whether the week has any record at all. */
async function freshness(deps: DigestDeps, week: Period, now: Date): Promise<DigestFreshness> {
  const limits = deps.config.config.alerts.data_health;
  const sources = (await sourceHealth(deps.db)).map((s) => {
    const limitText = limits.sources[s.key] ?? limits.max_sync_age;
    const limit = limitText === undefined ? undefined : parseDuration(limitText)!;
    const stale = limit !== undefined && (s.lastSuccess === null || now.getTime() - s.lastSuccess.getTime() > limit);
    return { key: s.key, name: s.name, lastSuccess: s.lastSuccess?.toISOString() ?? null, stale };
  });
  const latest = await latestRecordTime(deps.db);
  const empty = latest === undefined || latest < week.start;
  return { sources, latestRecord: latest?.toISOString() ?? null, stale: empty || sources.some((s) => s.stale) };
}
