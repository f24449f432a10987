import type { AlertsConfig } from '../config/alerts-schema.ts';
import type { TargetDefinition } from '../domain/kpi.ts';
import { closestMatch } from '../lib/closest-match.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { kpiDimensions } from '../kpi/kpi-dimensions.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';

/**
 * Checks what the schema cannot: that each rule's KPI, dimension, volume metric and target exist
 * and fit together. Throws one config error listing every problem with its file and line.
 * @example checkRules(config.alerts, kpis, config.targets, loaded.where)
 */
export function checkRules(
  cfg: AlertsConfig,
  kpis: KpiRegistry,
  targets: Readonly<Record<string, TargetDefinition>>,
  where: (path: readonly (string | number)[]) => string,
): void {
  const problems: string[] = [];
  const known = kpis.all.map((k) => k.key);
  const fail = (path: (string | number)[], message: string) => problems.push(`[config] ${where(path)}: ${message}`);
  for (const [name, rule] of Object.entries(cfg.rules)) {
    const at = ['alerts', 'rules', name];
    if (!known.includes(rule.kpi)) {
      const guess = closestMatch(rule.kpi, known);
      fail([...at, 'kpi'], `unknown KPI '${rule.kpi}'${guess ? `; did you mean '${guess}'?` : ''}`);
      continue;
    }
    const kpi = kpis.get(rule.kpi);
    const metrics = Object.keys(kpi.metrics);
    if (rule.min_volume && !metrics.includes(rule.min_volume.metric)) {
      fail([...at, 'min_volume', 'metric'], `'${rule.min_volume.metric}' is not a metric of ${rule.kpi}; its metrics: ${metrics.join(', ')}`);
    }
    if (rule.by !== undefined) {
      const shared = kpiDimensions(kpi);
      if (!shared.includes(rule.by)) fail([...at, 'by'], `${rule.kpi} cannot be broken down by '${rule.by}'; it can by: ${shared.join(', ')}`);
    }
    rule.conditions.forEach((c, i) => {
      // Each period of a computed KPI is a model fit (seconds of CPU): conditions that read a long history of it are refused.
      if (kpi.model !== undefined && (c.type === 'anomaly' || c.type === 'forecast' || c.type === 'forecast_target')) {
        fail(
          [...at, 'conditions', i],
          `${rule.kpi} is computed by a model fitted at each period's end, so ${c.type === 'anomaly' ? 'an' : 'a'} ${c.type} condition (which reads many past periods) is not offered; use threshold, change or target_pace`,
        );
      }
      if (c.type === 'target_pace') {
        if (!targets[rule.kpi]) fail([...at, 'conditions', i], `target_pace needs a target for ${rule.kpi} under targets:`);
        if (rule.by !== undefined) fail([...at, 'conditions', i], 'target_pace judges the whole KPI; remove by: or use another condition');
      }
      if (c.type === 'forecast_target') {
        if (!targets[rule.kpi]) fail([...at, 'conditions', i], `forecast_target needs a target for ${rule.kpi} under targets:`);
        if (rule.by !== undefined)
          fail([...at, 'conditions', i], 'forecast_target judges the whole KPI against its target; remove by: or use another condition');
      }
      if (c.type === 'forecast') {
        if (!['day', 'week', 'month'].includes(rule.grain)) fail([...at, 'grain'], `a forecast condition needs grain day, week or month; got ${rule.grain}`);
        // A running period's value is partial: outside the interval of a whole period's forecast by construction.
        if (rule.period === 'current') fail([...at, 'period'], 'a forecast condition judges complete periods; set period: complete');
      }
      if (c.type === 'anomaly' && c.seasonality !== 'none' && rule.grain !== 'day') {
        fail([...at, 'conditions', i, 'seasonality'], `${c.seasonality} seasonality compares days; set grain: day or seasonality: none`);
      }
    });
  }
  for (const [i, a] of cfg.annotations.entries()) {
    if (a.to < a.from) fail(['alerts', 'annotations', i, 'to'], `ends (${a.to}) before it starts (${a.from})`);
    for (const k of a.kpis ?? []) if (!known.includes(k)) fail(['alerts', 'annotations', i, 'kpis'], `unknown KPI '${k}'`);
  }
  if (problems.length) throw new CrmPulseError('config', problems.join('\n'), { hint: 'correct the alert rules at those lines' });
}
