import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { TrendThreshold } from '../charts/trend-chart.ts';
import type { Grain } from '../domain/period.ts';

type Level<T> = T | { readonly warning?: T | undefined; readonly critical?: T | undefined };

/**
 * The threshold to draw on a KPI's trend: the warning level (else the critical one) of a
 * threshold condition of an alert rule on the KPI. Rules of the chart's grain and on the KPI's
 * total (no `by`) come first, as their levels apply to the line drawn.
 * @example chartThreshold(config.alerts, 'win_rate', 'month') // { value: 0.45 }
 */
export function chartThreshold(alerts: Pick<AlertsConfig, 'rules'>, kpi: string, grain: Grain): TrendThreshold | undefined {
  const rank = (r: RuleConfig) => (r.grain === grain ? 0 : 2) + (r.by === undefined ? 0 : 1);
  const rules = Object.values(alerts.rules)
    .filter((r) => r.kpi === kpi)
    .sort((a, b) => rank(a) - rank(b));
  for (const rule of rules) {
    for (const c of rule.conditions) {
      if (c.type !== 'threshold') continue;
      const one = level(c.above) ?? level(c.below);
      if (one !== undefined) return { value: one };
      const band = level(c.outside);
      if (band) return { low: band[0], high: band[1] };
    }
  }
  return undefined;
}

function level<T extends number | readonly [number, number]>(l: Level<T> | undefined): T | undefined {
  if (l === undefined) return undefined;
  if (typeof l === 'number' || Array.isArray(l)) return l as T;
  const levels = l as { warning?: T; critical?: T };
  return levels.warning ?? levels.critical;
}
