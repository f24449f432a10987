import type { RuleConfig } from '../config/alerts-schema.ts';
import type { Calendar, Grain } from '../domain/period.ts';
import { periodsBetween } from '../kpi/periods.ts';

/**
 * The evaluation instants missed between the last tick and `now`: every period boundary of every
 * rule's grain in (last, now], then `now` itself. Replaying them in order tells what fired and
 * resolved while nothing ran, instead of jumping straight to the current state. The catch-up
 * reaches back at most `maxBackMs` (default 183 days) and to at most `limit` ticks, newest kept.
 * @example catchUpTicks(rules, cal, undefined, new Date('2017-12-31T23:59:59Z')) // monthly rules: Jul 1 … Dec 1, then Dec 31
 */
export function catchUpTicks(
  rules: readonly Pick<RuleConfig, 'grain' | 'period'>[],
  cal: Calendar,
  last: Date | undefined,
  now: Date,
  options: { maxBackMs?: number; limit?: number } = {},
): Date[] {
  const floor = new Date(now.getTime() - (options.maxBackMs ?? 183 * 86_400_000));
  const from = last && last > floor ? last : floor;
  if (from >= now) return [now];
  const times = new Set<number>([now.getTime()]);
  for (const grain of new Set(rules.map((r) => r.grain as Grain))) {
    for (const p of periodsBetween(from, now, grain, cal)) {
      if (p.start > from && p.start <= now) times.add(p.start.getTime());
    }
  }
  return [...times]
    .sort((a, b) => a - b)
    .slice(-(options.limit ?? 400))
    .map((t) => new Date(t));
}
