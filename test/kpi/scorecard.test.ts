import { describe, expect, it } from 'vitest';
import { attainment, scorecard, type ScorecardKpi } from '../../src/kpi/scorecard.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';

const kpi = (key: string, over: Partial<ScorecardKpi>): ScorecardKpi => ({
  key,
  title: key,
  perspective: 'financial',
  direction: 'higher',
  value: null,
  target: null,
  ...over,
});

describe('attainment', () => {
  it.each<[string, Partial<ScorecardKpi>, number]>([
    ['higher: value / target', { value: 30, target: 40 }, 75],
    ['higher: beating the target caps at 100', { value: 50, target: 40 }, 100],
    ['higher: a negative value floors at 0', { value: -5, target: 40 }, 0],
    ['lower: target / value', { direction: 'lower', value: 48, target: 24 }, 50],
    ['lower: beating the target caps at 100', { direction: 'lower', value: 12, target: 24 }, 100],
    ['lower: a value of 0 is 100', { direction: 'lower', value: 0, target: 24 }, 100],
    ['lower: target 0 with any value above it is 0', { direction: 'lower', value: 3, target: 0 }, 0],
    ['lower: target 0 met exactly is 100', { direction: 'lower', value: 0, target: 0 }, 100],
    ['higher with baseline: linear from baseline to target', { value: 35, target: 40, baseline: 20 }, 75],
    ['higher with baseline: below baseline is 0', { value: 10, target: 40, baseline: 20 }, 0],
    ['higher with baseline: allows target ≤ 0', { value: -5, target: 0, baseline: -20 }, 75],
    ['lower with baseline: linear from baseline down to target', { direction: 'lower', value: 30, target: 24, baseline: 48 }, 75],
    ['lower with baseline: past the target is 100', { direction: 'lower', value: 20, target: 24, baseline: 48 }, 100],
    ['lower with baseline: worse than baseline is 0', { direction: 'lower', value: 60, target: 24, baseline: 48 }, 0],
    ['a null baseline means no baseline', { value: 30, target: 40, baseline: null }, 75],
  ])('%s', (_, over, expected) => {
    expect(attainment(kpi('k', over))).toEqual({ ok: true, attainment: expected });
  });

  it.each<[Partial<ScorecardKpi>, string]>([
    [{ target: 40 }, 'no value'],
    [{ value: 30 }, 'no target'],
    [{ value: Number.NaN, target: 40 }, 'value NaN is not a finite number'],
    [{ value: 30, target: 0 }, 'target 0 must be positive to score without a baseline'],
    [{ direction: 'lower', value: 30, target: -1 }, 'target -1 must not be negative to score without a baseline'],
    [{ value: 30, target: 20, baseline: 40 }, 'target 20 is not above baseline 40 (higher is better)'],
    [{ direction: 'lower', value: 30, target: 40, baseline: 40 }, 'target 40 is not below baseline 40 (lower is better)'],
  ])('no attainment for %o', (over, reason) => {
    expect(attainment(kpi('k', over))).toEqual({ ok: false, reason });
  });
});

describe('scorecard', () => {
  const KPIS: ScorecardKpi[] = [
    kpi('revenue_growth', { value: 8, target: 10 }), // 80
    kpi('win_rate', { value: 0.3, target: 0.4 }), // 75
    kpi('csat', { perspective: 'customer', value: 4.2, target: 5 }), // 84
    kpi('churn', { perspective: 'customer', direction: 'lower', value: 0.05, target: 0.04 }), // 80
    kpi('nps', { perspective: 'customer', value: null, target: 40 }), // missing
    kpi('handling_time', { perspective: 'internal_process', direction: 'lower', value: 30, target: 24, baseline: 48 }), // 75
    kpi('crm_adoption', { perspective: 'learning_growth', value: 0.9, target: null }), // missing
  ];

  it('weights KPIs within perspectives, renormalizes around missing ones, and weights perspectives', () => {
    const result = scorecard({
      kpis: KPIS,
      kpiWeights: { revenue_growth: 0.75, win_rate: 0.25, csat: 0.5, churn: 0.3, nps: 0.2, handling_time: 1, crm_adoption: 1 },
      perspectiveWeights: { financial: 0.4, customer: 0.3, internal_process: 0.2, learning_growth: 0.1 },
    });
    // financial: 0.75·80 + 0.25·75 = 78.75
    // customer: nps is missing, so csat 0.5/0.8 = 0.625 and churn 0.3/0.8 = 0.375: 0.625·84 + 0.375·80 = 82.5
    // internal_process: 75; learning_growth: nothing scored, so it drops out of the composite
    // composite: (0.4·78.75 + 0.3·82.5 + 0.2·75) / 0.9 = 71.25 / 0.9
    expect(result.composite).toBeCloseTo(71.25 / 0.9, 10);
    expect(result.perspectives).toEqual([
      {
        perspective: 'financial',
        score: expect.closeTo(78.75, 10),
        weight: expect.closeTo(0.4 / 0.9, 12),
        kpis: [
          { key: 'revenue_growth', attainment: expect.closeTo(80, 10), weight: 0.75 },
          { key: 'win_rate', attainment: expect.closeTo(75, 10), weight: 0.25 },
        ],
      },
      {
        perspective: 'customer',
        score: expect.closeTo(82.5, 10),
        weight: expect.closeTo(0.3 / 0.9, 12),
        kpis: [
          { key: 'csat', attainment: expect.closeTo(84, 10), weight: expect.closeTo(0.625, 12) },
          { key: 'churn', attainment: expect.closeTo(80, 10), weight: expect.closeTo(0.375, 12) },
        ],
      },
      {
        perspective: 'internal_process',
        score: 75,
        weight: expect.closeTo(0.2 / 0.9, 12),
        kpis: [{ key: 'handling_time', attainment: 75, weight: 1 }],
      },
      { perspective: 'learning_growth', score: null, weight: 0, kpis: [] },
    ]);
    expect(result.missing).toEqual([
      { key: 'nps', reason: 'no value' },
      { key: 'crm_adoption', reason: 'no target' },
    ]);
  });

  it('defaults to equal weights and lists only perspectives that have KPIs', () => {
    const result = scorecard({ kpis: KPIS.slice(0, 3) });
    // financial (80 + 75) / 2 = 77.5; customer 84; composite (77.5 + 84) / 2 = 80.75
    expect(result.composite).toBeCloseTo(80.75, 10);
    expect(result.perspectives.map((p) => [p.perspective, p.weight])).toEqual([
      ['financial', 0.5],
      ['customer', 0.5],
    ]);
    expect(result.perspectives[0]!.score).toBeCloseTo(77.5, 10);
    expect(result.missing).toEqual([]);
  });

  it('has no composite when nothing can be scored', () => {
    expect(scorecard({ kpis: [] })).toEqual({ composite: null, perspectives: [], missing: [] });
    expect(scorecard({ kpis: [kpi('a', { target: 1 })] })).toEqual({
      composite: null,
      perspectives: [{ perspective: 'financial', score: null, weight: 0, kpis: [] }],
      missing: [{ key: 'a', reason: 'no value' }],
    });
  });

  it('gives a perspective no score when the KPIs left all weigh 0', () => {
    const result = scorecard({
      kpis: [kpi('a', { value: 1, target: 2 }), kpi('b', { target: 2 }), kpi('c', { perspective: 'customer', value: 3, target: 4 })],
      kpiWeights: { a: 0, b: 1, c: 1 },
    });
    expect(result.perspectives[0]).toEqual({ perspective: 'financial', score: null, weight: 0, kpis: [{ key: 'a', attainment: 50, weight: 0 }] });
    expect(result.composite).toBe(75);
  });

  describe('rejects a wrong configuration', () => {
    const reject = (input: Parameters<typeof scorecard>[0]) => {
      try {
        scorecard(input, 'scorecards.exec');
      } catch (error) {
        expect(error).toBeInstanceOf(CrmPulseError);
        expect((error as CrmPulseError).code).toBe('config');
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const two = [kpi('a', { value: 1, target: 2 }), kpi('b', { perspective: 'customer', value: 1, target: 2 })];

    it.each<[string, Parameters<typeof scorecard>[0], string]>([
      ['a duplicate KPI', { kpis: [two[0]!, two[0]!] }, "KPI 'a' is listed twice\n  fix: list each KPI once"],
      [
        'an unknown perspective',
        { kpis: [kpi('a', { perspective: 'sales' as never })] },
        "KPI 'a' has unknown perspective 'sales'; known: financial, customer, internal_process, learning_growth\n  fix: use one of those",
      ],
      [
        'a weight for an unknown KPI',
        { kpis: two, kpiWeights: { a: 1, b: 1, c: 1 } },
        "a weight is given for 'c', which is not a KPI of this scorecard; known: a, b\n  fix: remove it or fix its name",
      ],
      ['a KPI without a weight', { kpis: two, kpiWeights: { a: 1 } }, "KPI 'b' has no weight\n  fix: give every KPI a weight, or none for equal weights"],
      ['a negative weight', { kpis: two, kpiWeights: { a: 1, b: -1 } }, "the weight of 'b' is -1; weights must be numbers ≥ 0\n  fix: fix the weight"],
      [
        'a perspective without a weight',
        { kpis: two, perspectiveWeights: { financial: 1 } },
        "perspective 'customer' has KPIs but no weight\n  fix: give every perspective that has KPIs a weight, or none for equal weights",
      ],
      [
        'a NaN perspective weight',
        { kpis: two, perspectiveWeights: { financial: 1, customer: Number.NaN } },
        "the weight of perspective 'customer' is NaN; weights must be numbers ≥ 0\n  fix: fix the weight",
      ],
    ])('%s', (_, input, message) => {
      expect(reject(input)).toBe(`[kpi] scorecards.exec: ${message}`);
    });

    it('accepts a weight for a perspective that has no KPIs', () => {
      const result = scorecard({ kpis: two, perspectiveWeights: { financial: 3, customer: 1, learning_growth: 5 } });
      expect(result.perspectives.map((p) => p.weight)).toEqual([0.75, 0.25]);
      expect(result.composite).toBe(50);
    });
  });
});
