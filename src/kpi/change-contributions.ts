import { evaluateLinear, type FormulaShape } from './formula-shape.ts';

/** One dimension value's KPI value and metric values in one period. */
export interface GroupValue {
  readonly key: string;
  readonly value: number | null;
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** What one dimension value did to the KPI's change. */
export interface ChangeContribution {
  readonly key: string;
  /** the value's own KPI value in each period (null: none, e.g. a ratio without records; 0 for a sum) */
  readonly before: number | null;
  readonly after: number | null;
  /** its share of the total change, in the KPI's unit; null with the `own_change` method */
  readonly contribution: number | null;
  /** shift-share only: its own rate's change weighted by its average share of the denominator */
  readonly rateEffect?: number;
  /** shift-share only: its change in share times how far its rate is from the overall rate */
  readonly mixEffect?: number;
  /**
   * what it would have contributed had every value moved like the whole: the total change times
   * its share of the earlier total (additive), or its average weight times the change of the
   * overall rate (shift-share); null with `own_change`
   */
  readonly expected: number | null;
}

/**
 * How the change was attributed:
 * - `additive`: each value's own change; they add up to the total change;
 * - `shift_share`: rate effect + mix effect per value; they add up to the total change;
 * - `own_change`: the KPI does not split (averages, medians…), so values are ranked by their own change.
 */
export type AttributionMethod = 'additive' | 'shift_share' | 'own_change';

/** The change of a KPI between two periods, split over the values of one dimension. */
export interface ChangeAttribution {
  readonly method: AttributionMethod;
  readonly before: number | null;
  readonly after: number | null;
  /** after − before; null when either has no value */
  readonly change: number | null;
  /** largest effect first (the largest own change with `own_change`) */
  readonly items: readonly ChangeContribution[];
  /**
   * the change the values do not account for: records counted under several values (distinct
   * counts) or floating-point crumbs; null with `own_change` or without a change
   */
  readonly unexplained: number | null;
}

/**
 * Splits a KPI's change between two periods over the values of a dimension.
 *
 * For an additive KPI (a sum or count), a value's contribution is its own change, and absent
 * values count as 0, so the contributions add up to the total change.
 *
 * For a ratio KPI = offset + scale · ρ with ρ = N / D, the symmetric shift-share decomposition:
 * with each value's weight w = d / D and rate r = n / d, and bars for the mean of both periods,
 * ρ₁ − ρ₀ = Σ w̄ Δr + Σ (r̄ − ρ̄) Δw exactly (Σ Δw = 0, so subtracting ρ̄ changes no total but makes
 * a value that gains share with an above-average rate lift the KPI). The first term is the rate
 * effect, the second the mix effect. A value without records in one period takes its rate from
 * the other (its weight there is 0, so only its mix effect counts: entering or leaving).
 * See e.g. https://en.wikipedia.org/wiki/Shift-share_analysis.
 * @example attributeChange(shape, { before: 200, after: 140 }, febByRegion, marByRegion).items[0] // { key: 'West', contribution: -60, … }
 */
export function attributeChange(
  shape: FormulaShape,
  total: { readonly before: number | null; readonly after: number | null },
  before: readonly GroupValue[],
  after: readonly GroupValue[],
): ChangeAttribution {
  const change = total.before === null || total.after === null ? null : total.after - total.before;
  const keys = [...new Set([...before.map((g) => g.key), ...after.map((g) => g.key)])].sort();
  const b = new Map(before.map((g) => [g.key, g]));
  const a = new Map(after.map((g) => [g.key, g]));
  const own = (key: string) => ({ key, before: b.get(key)?.value ?? null, after: a.get(key)?.value ?? null });

  if (shape.kind === 'other' || change === null) {
    const items = keys.map((key) => ({ ...own(key), contribution: null, expected: null }));
    const size = (i: ChangeContribution) => (i.before === null || i.after === null ? -1 : Math.abs(i.after - i.before));
    return {
      method: shape.kind === 'other' ? 'own_change' : methodOf(shape),
      ...total,
      change,
      items: items.sort((x, y) => size(y) - size(x) || x.key.localeCompare(y.key)),
      unexplained: null,
    };
  }

  let items: ChangeContribution[];
  if (shape.kind === 'additive') {
    const v = (g: GroupValue | undefined) => (g ? (evaluateLinear(shape.value, g.metrics) ?? 0) : 0);
    // Shares of the earlier total, or of the later one when there was nothing before.
    const base = keys.reduce((s, k) => s + v(b.get(k)), 0) !== 0 ? b : a;
    const baseTotal = keys.reduce((s, k) => s + v(base.get(k)), 0);
    // A sum over no records is 0: a value absent in a period had 0 there.
    items = keys.map((key) => ({
      key,
      before: v(b.get(key)),
      after: v(a.get(key)),
      contribution: z(v(a.get(key)) - v(b.get(key))),
      expected: baseTotal === 0 ? 0 : z((change * v(base.get(key))) / baseTotal),
    }));
  } else {
    const parts = (g: GroupValue | undefined) => ({
      n: g ? (evaluateLinear(shape.numerator, g.metrics) ?? 0) : 0,
      d: g ? (evaluateLinear(shape.denominator, g.metrics) ?? 0) : 0,
    });
    const rows = keys.map((key) => ({ key, p0: parts(b.get(key)), p1: parts(a.get(key)) }));
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
    const [N0, D0, N1, D1] = [sum((r) => r.p0.n), sum((r) => r.p0.d), sum((r) => r.p1.n), sum((r) => r.p1.d)];
    if (D0 === 0 || D1 === 0) {
      return { method: 'shift_share', ...total, change, items: keys.map((key) => ({ ...own(key), contribution: null, expected: null })), unexplained: null };
    }
    const meanRate = (N0 / D0 + N1 / D1) / 2;
    items = rows.map(({ key, p0, p1 }) => {
      const [w0, w1] = [p0.d / D0, p1.d / D1];
      const r0 = p0.d !== 0 ? p0.n / p0.d : p1.d !== 0 ? p1.n / p1.d : 0;
      const r1 = p1.d !== 0 ? p1.n / p1.d : r0;
      const rateEffect = z(shape.scale * ((w0 + w1) / 2) * (r1 - r0));
      const mixEffect = z(shape.scale * ((r0 + r1) / 2 - meanRate) * (w1 - w0));
      const expected = z(shape.scale * ((w0 + w1) / 2) * (N1 / D1 - N0 / D0));
      return { ...own(key), contribution: rateEffect + mixEffect, rateEffect, mixEffect, expected };
    });
  }
  const explained = items.reduce((s, i) => s + (i.contribution ?? 0), 0);
  items.sort((x, y) => Math.abs(y.contribution!) - Math.abs(x.contribution!) || x.key.localeCompare(y.key));
  return { method: methodOf(shape), ...total, change, items, unexplained: change - explained };
}

/** −0 as 0, so that "no effect" reads and compares as 0. */
function z(x: number): number {
  return x === 0 ? 0 : x;
}

function methodOf(shape: FormulaShape): AttributionMethod {
  return shape.kind === 'additive' ? 'additive' : shape.kind === 'ratio' ? 'shift_share' : 'own_change';
}

/**
 * How much of a change a dimension explains beyond every value moving alike: the largest
 * |contribution − expected| of its values (0 when all moved in step, e.g. a dimension with one
 * value). The largest single gap rather than a sum, so that a dimension with many small values
 * (owners) does not win on noise over one with a few that tell the story (regions). With
 * `own_change`, the largest own change stands in.
 * @example explanatoryPower(attributeChange(shape, total, febByRegion, marByRegion)) // 30
 */
export function explanatoryPower(a: ChangeAttribution): number {
  if (a.method === 'own_change' || a.items.some((i) => i.contribution === null)) {
    return Math.max(0, ...a.items.map((i) => (i.before === null || i.after === null ? 0 : Math.abs(i.after - i.before))));
  }
  return Math.max(0, ...a.items.map((i) => Math.abs(i.contribution! - (i.expected ?? 0))));
}
