import type { KpiDefinition } from '../domain/kpi.ts';
import { closestMatch } from '../lib/closest-match.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { CATALOG } from './catalog.ts';
import { compileFormula } from './compile-formula.ts';
import { compileMetric } from './compile-metric.ts';

/** A KPI as the config writes it (without its key). */
export type KpiConfig = Omit<KpiDefinition, 'key' | 'description'> & { description?: string | undefined };

/** The config's `samples:` section: the default minimum sample and per-KPI ones. */
export interface KpiSamples {
  readonly min?: number | undefined;
  readonly kpis?: Readonly<Record<string, number>> | undefined;
}

/** The KPIs in force: the built-in catalog with the config's additions and replacements. */
export interface KpiRegistry {
  readonly all: readonly KpiDefinition[];
  /** The KPI with this key; an unknown key is a usage error with a suggestion. */
  get(key: string): KpiDefinition;
}

/**
 * Builds the registry (money KPIs without a currency of their own get `currency`, the sources') and checks every definition up front (entities, fields, formula), so that a
 * mistake stops start-up with its place in the config instead of failing a query later.
 * @example kpiRegistry(config.kpis).get('win_rate').formula // 'won / (won + lost)'
 */
export function kpiRegistry(
  overrides: Readonly<Record<string, KpiConfig>> = {},
  where: (path: readonly string[]) => string = (path) => path.join('.'),
  currency?: string,
  samples: KpiSamples = {},
): KpiRegistry {
  // Money KPIs are written in their own currency, else in the one the sources declare.
  const priced = (k: KpiDefinition): KpiDefinition => (k.unit === 'currency' && !k.currency && currency ? { ...k, currency } : k);
  const byKey = new Map(CATALOG.map((k) => [k.key, priced(k)]));
  for (const [key, def] of Object.entries(overrides)) {
    byKey.set(key, priced({ ...def, key, description: def.description ?? def.formula }));
  }
  const problems: string[] = [];
  for (const [key, min] of Object.entries(samples.kpis ?? {})) {
    const kpi = byKey.get(key);
    if (kpi) byKey.set(key, { ...kpi, min_sample: min });
    else {
      const guess = closestMatch(key, byKey.keys());
      problems.push(`[config] samples.kpis.${key}: unknown KPI '${key}'${guess ? `; did you mean '${guess}'?` : ''}`);
    }
  }
  if (samples.min !== undefined) for (const [key, kpi] of byKey) if (kpi.min_sample === undefined) byKey.set(key, { ...kpi, min_sample: samples.min });
  const probe = [{ i: 0, start: new Date(0), end: new Date(1) }];
  for (const kpi of byKey.values()) {
    try {
      compileFormula(kpi.formula, Object.keys(kpi.metrics), where(['kpis', kpi.key, 'formula']));
      if (kpi.sample !== undefined) compileFormula(kpi.sample, Object.keys(kpi.metrics), where(['kpis', kpi.key, 'sample']));
      for (const [name, metric] of Object.entries(kpi.metrics)) {
        compileMetric(metric, probe, { dialect: 'sqlite', where: where(['kpis', kpi.key, 'metrics', name]) });
      }
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) throw new CrmPulseError('config', problems.join('\n'));
  const all = [...byKey.values()];
  return {
    all,
    get(key) {
      const kpi = byKey.get(key);
      if (kpi) return kpi;
      const guess = closestMatch(key, byKey.keys());
      throw new CrmPulseError('usage', `[kpi] unknown KPI '${key}'${guess ? `; did you mean '${guess}'?` : ''}`, {
        hint: `known KPIs: ${all.map((k) => k.key).join(', ')}`,
      });
    },
  };
}
