import { describe, expect, it } from 'vitest';
import type { KpiDefinition } from '../../src/domain/kpi.ts';
import { attributeChange, explanatoryPower, type GroupValue } from '../../src/kpi/change-contributions.ts';
import { compileFormula } from '../../src/kpi/compile-formula.ts';
import { evaluateLinear, formulaShape } from '../../src/kpi/formula-shape.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';

const registry = kpiRegistry();

/** A group's KPI value computed by the KPI's own formula, as evaluateKpi computes it. */
function group(kpi: KpiDefinition, key: string, metrics: Record<string, number>): GroupValue {
  const result = compileFormula(kpi.formula, Object.keys(kpi.metrics), 'test').evaluate(new Map(Object.entries(metrics)));
  return { key, value: result.ok ? result.value : null, metrics };
}

/** The KPI over all groups: each metric summed, then the formula. */
function total(kpi: KpiDefinition, groups: readonly GroupValue[]): number | null {
  const sums: Record<string, number> = {};
  for (const g of groups) for (const [m, v] of Object.entries(g.metrics)) sums[m] = (sums[m] ?? 0) + (v ?? 0);
  return group(kpi, '', sums).value;
}

describe('formulaShape: how each built-in KPI splits over a dimension', () => {
  it('reads sums, ratios (with constant factors, offsets and signs) and the rest', () => {
    const shapes = Object.fromEntries(registry.all.map((k) => [k.key, formulaShape(k)]));
    expect(shapes.won_revenue).toEqual({ kind: 'additive', value: { terms: { revenue: 1 } } });
    expect(shapes.pipeline_value).toEqual({ kind: 'additive', value: { terms: { value: 1 } } });
    expect(shapes.win_rate).toEqual({ kind: 'ratio', numerator: { terms: { won: 1 } }, denominator: { terms: { won: 1, lost: 1 } }, scale: 1, offset: 0 });
    expect(shapes.churn_rate).toEqual({ kind: 'ratio', numerator: { terms: { retained: 1 } }, denominator: { terms: { before: 1 } }, scale: -1, offset: 1 });
    expect(shapes.sales_growth).toEqual({
      kind: 'ratio',
      numerator: { terms: { revenue: 1 } },
      denominator: { terms: { revenue_before: 1 } },
      scale: 1,
      offset: -1,
    });
    expect(shapes.nps).toEqual({
      kind: 'ratio',
      numerator: { terms: { promoters: 100, detractors: -100 } },
      denominator: { terms: { answers: 1 } },
      scale: 1,
      offset: 0,
    });
    expect(shapes.marketing_roi).toEqual({
      kind: 'ratio',
      numerator: { terms: { revenue: 1, spend: -1 } },
      denominator: { terms: { spend: 1 } },
      scale: 1,
      offset: 0,
    });
    expect(shapes.avg_deal_size).toEqual({ kind: 'other', aggregates: ['avg'] });
    expect(shapes.complaint_resolution_hours).toEqual({ kind: 'other', aggregates: ['median'] });
    expect(shapes.clv).toEqual({ kind: 'other', aggregates: [] });
  });

  it('the shape gives back the formula: offset + scale · N / D equals the KPI on any metric values', () => {
    const values = [3, 7, 11, 13, 17, 19, 23, 29];
    for (const kpi of registry.all) {
      const shape = formulaShape(kpi);
      if (shape.kind === 'other') continue;
      const metrics = Object.fromEntries(Object.keys(kpi.metrics).map((m, i) => [m, values[i]!]));
      const expected = group(kpi, '', metrics).value!;
      const got =
        shape.kind === 'additive'
          ? evaluateLinear(shape.value, metrics)!
          : shape.offset + (shape.scale * evaluateLinear(shape.numerator, metrics)!) / evaluateLinear(shape.denominator, metrics)!;
      expect(got, kpi.key).toBeCloseTo(expected, 12);
    }
  });
});

describe('attributeChange', () => {
  it('additive: each value contributes its own change; the contributions add up to the change', () => {
    const kpi = registry.get('won_revenue');
    const before = [group(kpi, 'West', { revenue: 100 }), group(kpi, 'East', { revenue: 100 })];
    const after = [group(kpi, 'West', { revenue: 40 }), group(kpi, 'East', { revenue: 100 }), group(kpi, 'North', { revenue: 5 })];
    const a = attributeChange(formulaShape(kpi), { before: total(kpi, before), after: total(kpi, after) }, before, after);
    expect(a.method).toBe('additive');
    expect(a.change).toBe(-55);
    expect(a.items.map((i) => [i.key, i.before, i.after, i.contribution])).toEqual([
      ['West', 100, 40, -60],
      ['North', 0, 5, 5],
      ['East', 100, 100, 0],
    ]);
    expect(a.items.reduce((s, i) => s + i.contribution!, 0)).toBe(a.change);
    expect(a.unexplained).toBe(0);
    // had both moved alike, each would have lost its half of the 55
    expect(a.items.map((i) => i.expected)).toEqual([-27.5, 0, -27.5]);
    expect(explanatoryPower(a)).toBe(32.5);
  });

  it('shift-share: rate and mix effects per value add up to the change of a ratio', () => {
    const kpi = registry.get('win_rate');
    // North keeps its rate but doubles its share; South's rate falls.
    const before = [group(kpi, 'North', { won: 8, lost: 2 }), group(kpi, 'South', { won: 5, lost: 5 })];
    const after = [group(kpi, 'North', { won: 16, lost: 4 }), group(kpi, 'South', { won: 3, lost: 7 })];
    const totals = { before: total(kpi, before), after: total(kpi, after) };
    const a = attributeChange(formulaShape(kpi), totals, before, after);
    expect(a.method).toBe('shift_share');
    expect(a.change).toBeCloseTo(19 / 30 - 13 / 20, 15);
    const sum = a.items.reduce((s, i) => s + i.contribution!, 0);
    expect(sum).toBeCloseTo(a.change!, 15);
    expect(Math.abs(a.unexplained!)).toBeLessThan(1e-15);
    for (const i of a.items) expect(i.rateEffect! + i.mixEffect!).toBeCloseTo(i.contribution!, 15);
    const north = a.items.find((i) => i.key === 'North')!;
    const south = a.items.find((i) => i.key === 'South')!;
    // North's rate did not move: no rate effect; its share grew with an above-average rate: a positive mix effect.
    expect(north.rateEffect).toBe(0);
    expect(north.mixEffect).toBeGreaterThan(0);
    // South's rate fell from 50% to 30% with an average weight of (1/2 + 1/3) / 2.
    expect(south.rateEffect).toBeCloseTo(((1 / 2 + 1 / 3) / 2) * (0.3 - 0.5), 15);
  });

  it('shift-share with a value that enters: only its mix effect, and still adding up', () => {
    const kpi = registry.get('churn_rate');
    const before = [group(kpi, 'UK', { retained: 30, before: 40 })];
    const after = [group(kpi, 'UK', { retained: 33, before: 40 }), group(kpi, 'France', { retained: 2, before: 10 })];
    const a = attributeChange(formulaShape(kpi), { before: total(kpi, before), after: total(kpi, after) }, before, after);
    expect(a.items.reduce((s, i) => s + i.contribution!, 0)).toBeCloseTo(a.change!, 15);
    expect(a.items.find((i) => i.key === 'France')!.rateEffect).toBe(0);
  });

  it('a KPI that does not split ranks the values by their own change', () => {
    const kpi = registry.get('avg_deal_size');
    const before = [group(kpi, 'A', { size: 1000 }), group(kpi, 'B', { size: 2000 })];
    const after = [group(kpi, 'A', { size: 1500 }), group(kpi, 'B', { size: 1900 })];
    const a = attributeChange(formulaShape(kpi), { before: 1600, after: 1700 }, before, after);
    expect(a.method).toBe('own_change');
    expect(a.items.map((i) => [i.key, i.contribution])).toEqual([
      ['A', null],
      ['B', null],
    ]);
    expect(a.unexplained).toBeNull();
  });

  it('without a value in either period there is no change to attribute', () => {
    const kpi = registry.get('win_rate');
    const a = attributeChange(formulaShape(kpi), { before: null, after: 0.5 }, [], [group(kpi, 'A', { won: 1, lost: 1 })]);
    expect(a.change).toBeNull();
    expect(a.items.map((i) => i.contribution)).toEqual([null]);
  });
});
