import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { AlertState, Severity } from '../domain/alert.ts';
import type { Grain } from '../domain/period.ts';
import { parseDuration } from '../lib/duration.ts';
import { periodsBetween } from '../kpi/periods.ts';
import type { KpiSeries } from '../kpi/evaluate-kpi.ts';
import { channelsFor } from './route-notification.ts';
import { evaluateRule, type RuleContext } from './evaluate-rule.ts';
import { okState, transition, type SeriesState } from './transition.ts';

/** One episode a rule would have had. */
export interface BacktestEpisode {
  readonly seriesKey: string;
  /** the evaluation that fired, and the period it judged */
  readonly startedAt: Date;
  readonly startPeriod: string;
  /** the evaluation that resolved it; undefined when still firing at the end */
  readonly endedAt?: Date;
  readonly endPeriod?: string;
  readonly durationMs: number;
  readonly severity: Severity;
  /** the worst value seen */
  readonly peak: number | null;
}

/** What a rule would have done over a stretch of history. */
export interface BacktestReport {
  readonly rule: string;
  readonly kpi: string;
  readonly from: Date;
  readonly to: Date;
  readonly ticks: number;
  readonly episodes: readonly BacktestEpisode[];
  /** notifications it would have sent: every event on every channel, plus reminders */
  readonly notifications: number;
  /** the judged periods in which a series was in breach (pending or firing), per series */
  readonly breaches: readonly { readonly seriesKey: string; readonly period: string; readonly state: AlertState }[];
}

/**
 * Replays history through the same evaluation and lifecycle code as the live ticks, with time
 * passed in: one tick at the start of each period of the rule's grain between `from` and `to`
 * (the end of each period for rules on the running period). Data health is not replayed (there
 * is no record of past syncs); annotations are. Reminders are counted from `repeat`.
 * @example await backtest(ctx, cfg, 'won_revenue_drop', new Date('2016-11-01'), new Date('2018-01-01'))
 */
export async function backtest(ctx: RuleContext, cfg: AlertsConfig, name: string, from: Date, to: Date): Promise<BacktestReport> {
  const rule = cfg.rules[name]!;
  const kpi = ctx.kpis.get(rule.kpi);
  const cache = ctx.cache ?? new Map<string, Promise<KpiSeries>>();
  const ticks = tickTimes(rule, from, to, ctx);
  const states = new Map<string, SeriesState>();
  const open = new Map<string, { startedAt: Date; startPeriod: string; severity: Severity; peak: number | null }>();
  const episodes: BacktestEpisode[] = [];
  const breaches: { seriesKey: string; period: string; state: AlertState }[] = [];
  const repeat = rule.repeat ? parseDuration(rule.repeat)! : undefined;
  let notifications = 0;
  let lastTick: Date | undefined;
  const worse = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : kpi.direction === 'higher' ? Math.min(a, b) : Math.max(a, b));

  for (const now of ticks) {
    const active = (key: string) => ['pending', 'firing'].includes(states.get(key)?.state ?? 'ok');
    const known = [...states.entries()].filter(([, s]) => s.state !== 'ok').map(([k]) => k);
    const outcomes = await evaluateRule({ ...ctx, cache }, rule, now, active, known);
    for (const { seriesKey, outcome } of outcomes) {
      const prev = states.get(seriesKey) ?? okState(now);
      const step = transition(prev, outcome, rule, now);
      states.set(seriesKey, step.next);
      const value = 'value' in outcome ? outcome.value : null;
      const period = 'period' in outcome ? (outcome.period ?? '') : '';
      if (step.next.state === 'pending' || step.next.state === 'firing') breaches.push({ seriesKey, period, state: step.next.state });
      if (step.event) notifications += channelsFor(cfg, name, rule, step.next.severity ?? prev.severity ?? 'warning').length;
      const episode = open.get(seriesKey);
      if (step.episode === 'open') open.set(seriesKey, { startedAt: now, startPeriod: period, severity: step.next.severity ?? 'warning', peak: value });
      else if (episode && (step.episode === 'update' || step.episode === 'close')) {
        episode.peak = worse(episode.peak, value);
        if (step.next.severity === 'critical') episode.severity = 'critical';
        if (repeat && lastTick && step.episode === 'update') notifications += Math.floor((now.getTime() - lastTick.getTime()) / repeat);
        if (step.episode === 'close') {
          episodes.push({ seriesKey, ...episode, endedAt: now, endPeriod: period, durationMs: now.getTime() - episode.startedAt.getTime() });
          open.delete(seriesKey);
        }
      }
    }
    lastTick = now;
  }
  for (const [seriesKey, episode] of open) episodes.push({ seriesKey, ...episode, durationMs: to.getTime() - episode.startedAt.getTime() });
  episodes.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.seriesKey.localeCompare(b.seriesKey));
  return { rule: name, kpi: kpi.key, from, to, ticks: ticks.length, episodes, notifications, breaches };
}

function tickTimes(rule: RuleConfig, from: Date, to: Date, ctx: RuleContext): Date[] {
  const periods = periodsBetween(from, to, rule.grain as Grain, ctx.calendar);
  const times = periods.map((p) => (rule.period === 'current' ? new Date(p.end.getTime() - 1) : p.start));
  return times.filter((t) => t >= from && t <= to);
}
