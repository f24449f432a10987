import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRules } from '../../src/alerts/check-rules.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { tempFiles } from '../helpers/import.ts';

let file = '';
function check(yaml: string): () => void {
  const dir = tempFiles({});
  file = join(dir, 'crm-pulse.yaml');
  writeFileSync(join(dir, 'crm-pulse.yaml'), yaml);
  const loaded = loadConfig(join(dir, 'crm-pulse.yaml'), { explicit: true });
  return () => checkRules(loaded.config.alerts, kpiRegistry(loaded.config.kpis), loaded.config.targets, loaded.where);
}

describe('alert rules that parse but do not fit the KPIs are config errors with their line', () => {
  it('reports every problem at once', () => {
    const yaml = `alerts:
  rules:
    a:
      kpi: win_rte
      conditions: [{ type: threshold, below: 0.3 }]
    b:
      kpi: csat
      by: region
      min_volume: { metric: surveys, at_least: 20 }
      conditions: [{ type: threshold, below: 0.3 }]
    c:
      kpi: won_revenue
      grain: month
      conditions:
        - { type: target_pace }
        - { type: anomaly, seasonality: weekly }
`;
    const run = check(yaml);
    expect(run).toThrow(
      [
        "[config] crm-pulse.yaml:4: alerts.rules.a.kpi: unknown KPI 'win_rte'; did you mean 'win_rate'?",
        "[config] crm-pulse.yaml:9: alerts.rules.b.min_volume.metric: 'surveys' is not a metric of csat; its metrics: satisfied, answers",
        "[config] crm-pulse.yaml:8: alerts.rules.b.by: csat cannot be broken down by 'region'; it can by: kind, sector, country, segment",
        '[config] crm-pulse.yaml:15: alerts.rules.c.conditions[0]: target_pace needs a target for won_revenue under targets:',
        '[config] crm-pulse.yaml:16: alerts.rules.c.conditions[1].seasonality: weekly seasonality compares days; set grain: day or seasonality: none',
      ]
        .join('\n')
        .replaceAll('crm-pulse.yaml:', `${file}:`),
    );
  });

  it('refuses forecast conditions that cannot be judged: no target, a breakdown, a running period, a long grain', () => {
    const yaml = `alerts:
  rules:
    miss:
      kpi: won_revenue
      by: region
      conditions: [{ type: forecast_target, shortfall: 10 }]
    off:
      kpi: orders
      grain: quarter
      period: current
      conditions: [{ type: forecast, interval: 95 }]
`;
    expect(check(yaml)).toThrow(
      [
        '[config] crm-pulse.yaml:6: alerts.rules.miss.conditions[0]: forecast_target needs a target for won_revenue under targets:',
        '[config] crm-pulse.yaml:6: alerts.rules.miss.conditions[0]: forecast_target judges the whole KPI against its target; remove by: or use another condition',
        '[config] crm-pulse.yaml:9: alerts.rules.off.grain: a forecast condition needs grain day, week or month; got quarter',
        '[config] crm-pulse.yaml:10: alerts.rules.off.period: a forecast condition judges complete periods; set period: complete',
      ]
        .join('\n')
        .replaceAll('crm-pulse.yaml:', `${file}:`),
    );
  });

  it('accepts the bundled rules', () => {
    const loaded = loadConfig('/nonexistent/crm-pulse.yaml', { explicit: false });
    expect(() => checkRules(loaded.config.alerts, kpiRegistry(loaded.config.kpis), loaded.config.targets, loaded.where)).not.toThrow();
    expect(Object.keys(loaded.config.alerts.rules).length).toBeGreaterThanOrEqual(5);
  });
});
