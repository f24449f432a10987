import type { KpiDefinition } from '../domain/kpi.ts';

/**
 * The n under which a rate is low-confidence when the config sets none: with 30 answers a share
 * of 50% has a 95% margin of about ±18 pp (1.96·√(0.25/30)), already wide for a decision.
 */
export const DEFAULT_MIN_SAMPLE = 30;

/** The minimum sample of a KPI: its own, else the default. */
export function minSample(kpi: Pick<KpiDefinition, 'min_sample'>): number {
  return kpi.min_sample ?? DEFAULT_MIN_SAMPLE;
}

/**
 * Whether a value is low-confidence: it has a value, an n, and n is under the KPI's minimum. Such
 * a value is shown (marked), but it never counts as unusual and never judges a target.
 * @example isLowSample({ value: 1, n: 4, low: true }) // true
 */
export function isLowSample(v: { readonly value: number | null; readonly low?: boolean | undefined }): boolean {
  return v.value !== null && v.low === true;
}
