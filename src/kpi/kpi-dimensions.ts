import type { KpiDefinition } from '../domain/kpi.ts';
import { ENTITIES } from './entities.ts';
import { MODEL_DIMENSIONS } from './evaluate-model-kpi.ts';

/** Dimensions `why` leaves out unless asked: aliases, tautologies and ones with thousands of values. */
const NOT_DRIVERS: ReadonlySet<string> = new Set([
  // region is what sales teams call the office
  'office',
  // a deal's stage is what won and lost mean; a survey's kind is fixed by the KPI's filter
  'stage',
  'kind',
  // one value per customer: thousands of rows, none a driver on its own
  'customer',
  // segments are a snapshot re-scored at each date, not a stable attribute
  'segment',
]);

/**
 * The dimensions a KPI can be broken down by: those every one of its metrics' entities has.
 * @example kpiDimensions(registry.get('complaint_rate')) // ['country', 'segment']
 */
export function kpiDimensions(kpi: KpiDefinition): string[] {
  // A computed KPI splits only as its model does.
  if (kpi.model !== undefined) return [...MODEL_DIMENSIONS];
  const lists = Object.values(kpi.metrics).map((m) => Object.keys(ENTITIES[m.entity]?.dimensions ?? {}));
  const [first = [], ...rest] = lists;
  return first.filter((d) => rest.every((l) => l.includes(d)));
}

/** Coarse dimensions first: when a region and its owners explain a change equally, the region is the answer. */
const COARSE_FIRST = ['region', 'country', 'sector', 'product', 'channel', 'category', 'priority', 'campaign', 'manager', 'owner'];

/**
 * The dimensions `why` ranks by default: the KPI's dimensions less aliases and non-drivers,
 * coarse ones first.
 * @example whyDimensions(registry.get('won_revenue')) // ['region', 'country', 'sector', 'product', 'manager', 'owner']
 */
export function whyDimensions(kpi: KpiDefinition): string[] {
  const rank = (d: string) => (COARSE_FIRST.includes(d) ? COARSE_FIRST.indexOf(d) : COARSE_FIRST.length);
  return kpiDimensions(kpi)
    .filter((d) => !NOT_DRIVERS.has(d))
    .sort((a, b) => rank(a) - rank(b));
}

/**
 * The KPI a sales owner's team is shown by (App Home's "Your team"): the first KPI with a target
 * that splits by owner, else won_revenue, else the first KPI of the catalog that splits by owner.
 * Undefined when no KPI splits by owner.
 * @example ownerKpi(registry.all, config.targets) // 'won_revenue'
 */
export function ownerKpi(kpis: readonly KpiDefinition[], targets: Readonly<Record<string, unknown>>): string | undefined {
  const byOwner = kpis.filter((k) => kpiDimensions(k).includes('owner'));
  const keys = new Set(byOwner.map((k) => k.key));
  return Object.keys(targets).find((k) => keys.has(k)) ?? (keys.has('won_revenue') ? 'won_revenue' : byOwner[0]?.key);
}
