import type { TargetDefinition as TargetConfig } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { evaluateKpi } from './evaluate-kpi.ts';
import type { KpiRegistry } from './kpi-registry.ts';
import { periodContaining, samePeriodLastYear } from './periods.ts';
import { isLowSample, minSample } from './sample-size.ts';
import { targetProgress, type TargetProgress } from './smart-target.ts';

/** Where a KPI stands against its SMART target. */
export interface TargetStatus {
  readonly key: string;
  readonly title: string;
  readonly target: number;
  readonly deadline: string;
  readonly start: { readonly period: Period; readonly value: number | null };
  readonly current: { readonly period: Period; readonly value: number | null };
  /** null when the start or current value is missing, with the reason */
  readonly progress: TargetProgress | null;
  readonly reason?: string;
  /**
   * which way the value moved from the start: towards the target's side (up for a higher-is-better
   * KPI), away from it, or not at all; progress is floored at 0, so "0%" alone hides moving away
   */
  readonly heading?: 'toward' | 'away' | 'flat';
  /** the start or current value stands on fewer than the KPI's minimum sample, so it judges nothing */
  readonly lowSample?: { readonly n: number; readonly min: number };
}

/**
 * Each target's progress: the KPI over its grain at the start (the period containing `from`,
 * default the same period a year before as-of) and now (the period containing as-of), and the value
 * projected at the deadline at the pace between them.
 * @example await targetStatuses(db, registry, config.targets, asOf, cal)
 */
export async function targetStatuses(
  db: Database,
  registry: KpiRegistry,
  targets: Readonly<Record<string, TargetConfig>>,
  asOf: Date,
  cal: Calendar,
): Promise<TargetStatus[]> {
  const out: TargetStatus[] = [];
  for (const [key, t] of Object.entries(targets)) {
    const kpi = registry.get(key);
    const grain = t.grain as Grain;
    const current = periodContaining(asOf, grain, cal);
    const start = t.from ? periodContaining(new Date(`${t.from}T12:00:00Z`), grain, cal) : samePeriodLastYear(current, cal);
    const [s, c] = (await evaluateKpi(db, kpi, [start, current], cal, { asOf })).points;
    const base = {
      key,
      title: kpi.title,
      target: t.value,
      deadline: t.by,
      start: { period: start, value: s!.value },
      current: { period: current, value: c!.value },
    };
    if (s!.value === null || c!.value === null) {
      out.push({ ...base, progress: null, reason: `no value for ${s!.value === null ? start.label : current.label}: ${(s!.value === null ? s! : c!).reason}` });
      continue;
    }
    // A value on a handful of answers makes a target neither on nor off track (issue 14).
    const weak = [c!, s!].find(isLowSample);
    if (weak) {
      const lowSample = { n: weak.n!, min: minSample(kpi) };
      out.push({
        ...base,
        progress: null,
        reason: `n = ${lowSample.n} in ${weak === c ? current.label : start.label}, under the minimum sample of ${lowSample.min}`,
        lowSample,
      });
      continue;
    }
    const moved = c!.value - s!.value;
    const heading = moved === 0 ? 'flat' : moved > 0 === (kpi.direction === 'higher') ? 'toward' : 'away';
    const deadline = periodContaining(new Date(`${t.by}T12:00:00Z`), 'day', cal).end;
    const at = (p: Period) => new Date(Math.min(p.end.getTime(), asOf.getTime()));
    const progress = targetProgress(
      {
        direction: kpi.direction,
        start: { at: at(start), value: s!.value },
        current: { at: at(current), value: c!.value },
        target: t.value,
        deadline,
        now: asOf,
      },
      `targets.${key}`,
    );
    out.push({ ...base, progress, heading });
  }
  return out;
}
