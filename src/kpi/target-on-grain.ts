import type { KpiDefinition } from '../domain/kpi.ts';
import type { Grain } from '../domain/period.ts';
import { formulaShape } from './formula-shape.ts';

/** Months in a period of each grain that is made of months. */
const MONTHS: Partial<Record<Grain, number>> = { month: 1, quarter: 3, year: 12 };

/**
 * A target read on a chart of another grain:
 * - `as_is`: the grains match, or the KPI is a rate or an average, whose level does not depend on
 *   the period's length (a 65% win rate is 65% a month or a quarter);
 * - `pace`: a sum or a count, converted by the ratio of the periods' months (3,200,000 a quarter
 *   is 1,066,667 a month), labelled so on the chart;
 * - undefined: a sum or count whose grains do not convert in whole months (a weekly chart of a
 *   monthly target), so it is not drawn at all.
 * @example targetOnGrain(wonRevenue, { value: 3_200_000, grain: 'quarter' }, 'month') // { value: 1066666.67, kind: 'pace' }
 */
export function targetOnGrain(
  kpi: KpiDefinition,
  target: { readonly value: number; readonly grain: Grain },
  grain: Grain,
): { readonly value: number; readonly kind: 'as_is' | 'pace' } | undefined {
  if (target.grain === grain || formulaShape(kpi).kind !== 'additive') return { value: target.value, kind: 'as_is' };
  const from = MONTHS[target.grain];
  const to = MONTHS[grain];
  if (from === undefined || to === undefined) return undefined;
  return { value: (target.value * to) / from, kind: 'pace' };
}
