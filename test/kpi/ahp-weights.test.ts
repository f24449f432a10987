import { eigs } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { ahpWeights, assertConsistent } from '../../src/kpi/ahp-weights.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';

/** The consistent matrix a_ij = w_i / w_j, whose eigenvector is w by construction. */
const fromWeights = (w: readonly number[]) => w.map((wi) => w.map((wj) => wi / wj));
/** Sets a_ij and its reciprocal a_ji. */
const withPair = (m: number[][], i: number, j: number, value: number) => {
  const copy = m.map((row) => [...row]);
  copy[i]![j] = value;
  copy[j]![i] = 1 / value;
  return copy;
};

type Scalar = number | { re: number; im: number };
/** An independent principal eigenpair: mathjs's QR-based `eigs`, taking the largest real eigenvalue. */
function eigenpair(matrix: number[][]): { lambda: number; w: number[] } {
  const { eigenvectors } = eigs(matrix) as unknown as { eigenvectors: { value: Scalar; vector: Scalar[] }[] };
  const real = eigenvectors.filter((e): e is { value: number; vector: Scalar[] } => typeof e.value === 'number');
  const best = real.reduce((a, b) => (b.value > a.value ? b : a));
  // eigs may return the vector times a complex phase; the moduli are the positive Perron vector.
  const moduli = best.vector.map((x) => (typeof x === 'number' ? Math.abs(x) : Math.hypot(x.re, x.im)));
  const total = moduli.reduce((s, x) => s + x, 0);
  return { lambda: best.value, w: moduli.map((x) => x / total) };
}
const trim2 = (x: number) => String(Number(x.toFixed(2)));

const LABELS = ['win_rate', 'csat', 'retention', 'nps'];
const KNOWN = [0.4, 0.3, 0.2, 0.1];

describe('ahpWeights', () => {
  it('recovers the weights a consistent matrix was built from, to 1e-9, with λmax = n and CR = 0', () => {
    const result = ahpWeights(LABELS, fromWeights(KNOWN));
    LABELS.forEach((label, i) => expect(Math.abs(result.weights[label]! - KNOWN[i]!)).toBeLessThan(1e-9));
    expect(result.lambdaMax).toBeCloseTo(4, 9);
    expect(result.ci).toBeCloseTo(0, 9);
    expect(result.cr).toBeCloseTo(0, 9);
    expect(result.mostInconsistent).toBeNull();
  });

  it('recovers uneven weights of 7 items too', () => {
    const w = [0.31, 0.22, 0.17, 0.12, 0.09, 0.06, 0.03];
    const labels = w.map((_, i) => `k${i}`);
    const result = ahpWeights(labels, fromWeights(w));
    labels.forEach((label, i) => expect(Math.abs(result.weights[label]! - w[i]!)).toBeLessThan(1e-9));
  });

  it('matches the closed form for an inconsistent 3×3 matrix', () => {
    // For n = 3 the eigenvector equals the normalized row geometric means (Crawford & Williams
    // 1985), and λmax = 1 + (ac/b)^(1/3) + (b/(ac))^(1/3) for a12 = a, a13 = b, a23 = c.
    const [a, b, c] = [5, 1 / 3, 3];
    const matrix = [
      [1, a, b],
      [1 / a, 1, c],
      [1 / b, 1 / c, 1],
    ];
    const gm = matrix.map((row) => Math.cbrt(row[0]! * row[1]! * row[2]!));
    const gmTotal = gm[0]! + gm[1]! + gm[2]!;
    const lambda = 1 + Math.cbrt((a * c) / b) + Math.cbrt(b / (a * c));
    const result = ahpWeights(['x', 'y', 'z'], matrix);
    expect(result.weights.x).toBeCloseTo(gm[0]! / gmTotal, 10);
    expect(result.weights.y).toBeCloseTo(gm[1]! / gmTotal, 10);
    expect(result.weights.z).toBeCloseTo(gm[2]! / gmTotal, 10);
    expect(result.lambdaMax).toBeCloseTo(lambda, 10);
    expect(result.ci).toBeCloseTo((lambda - 3) / 2, 10);
    expect(result.cr).toBeCloseTo((lambda - 3) / 2 / 0.58, 10);
    // For n = 3 every pair deviates by the same |ln(ac/b)| / 3; any of them may be named.
    expect(result.mostInconsistent).not.toBeNull();
  });

  it('matches an independent eigen-solver, and names the one perturbed comparison', () => {
    const matrix = withPair(fromWeights(KNOWN), 0, 3, 1 / 4); // consistent value is 4
    const { lambda, w } = eigenpair(matrix);
    const result = ahpWeights(LABELS, matrix);
    LABELS.forEach((label, i) => expect(result.weights[label]).toBeCloseTo(w[i]!, 9));
    expect(result.lambdaMax).toBeCloseTo(lambda, 9);
    // And λ by a third route: (A·w)_i / w_i is the same λ for every i when w is the eigenvector.
    const ratios = matrix.map((row, i) => row.reduce((s, x, j) => s + x * w[j]!, 0) / w[i]!);
    for (const ratio of ratios) expect(ratio).toBeCloseTo(lambda, 9);
    const cr = (lambda - 4) / 3 / 0.9;
    expect(result.ci).toBeCloseTo((lambda - 4) / 3, 9);
    expect(result.cr).toBeCloseTo(cr, 9);
    expect(result.mostInconsistent).toEqual({ a: 'win_rate', b: 'nps', given: 0.25, implied: expect.closeTo(w[0]! / w[3]!, 9) });
  });

  it('gives weight 1 to a single item and CR 0 for two', () => {
    expect(ahpWeights(['only'], [[1]])).toEqual({ weights: { only: 1 }, lambdaMax: 1, ci: 0, cr: 0, mostInconsistent: null });
    const two = ahpWeights(
      ['a', 'b'],
      [
        [1, 3],
        [1 / 3, 1],
      ],
    );
    expect(two.weights.a).toBeCloseTo(0.75, 12);
    expect(two.weights.b).toBeCloseTo(0.25, 12);
    expect(two.cr).toBe(0);
    expect(two.mostInconsistent).toBeNull();
  });
});

describe('ahpWeights validation', () => {
  const reject = (labels: string[], matrix: number[][]) => {
    try {
      ahpWeights(labels, matrix, 'scorecard.weights.customer');
    } catch (error) {
      expect(error).toBeInstanceOf(CrmPulseError);
      expect((error as CrmPulseError).code).toBe('config');
      return (error as Error).message;
    }
    throw new Error('matrix was accepted');
  };
  const where = '[kpi] scorecard.weights.customer';

  it.each<[string, string[], number[][], string]>([
    ['no items', [], [], `${where}: nothing to compare\n  fix: list at least one item`],
    [
      'a duplicate label',
      ['a', 'a'],
      [
        [1, 1],
        [1, 1],
      ],
      `${where}: 'a' is listed twice\n  fix: give each item once`,
    ],
    ['too few rows', ['a', 'b'], [[1, 2]], `${where}: the matrix has 1 rows for 2 items (a, b)\n  fix: give one row per item`],
    ['a short row', ['a', 'b'], [[1, 2], [0.5]], `${where}: the row for 'b' has 1 values; expected 2\n  fix: give one value per item`],
    [
      'a negative comparison',
      ['a', 'b'],
      [
        [1, -2],
        [-0.5, 1],
      ],
      `${where}: 'a' vs 'b' is -2; comparisons must be positive numbers\n  fix: use 1 for equal, 3, 5, 7, 9 for more important, 1/3 … 1/9 for less`,
    ],
    [
      'a zero comparison',
      ['a', 'b'],
      [
        [1, 2],
        [0, 1],
      ],
      `${where}: 'b' vs 'a' is 0; comparisons must be positive numbers\n  fix: use 1 for equal, 3, 5, 7, 9 for more important, 1/3 … 1/9 for less`,
    ],
    [
      'a diagonal not 1',
      ['a', 'b'],
      [
        [1, 2],
        [0.5, 2],
      ],
      `${where}: 'b' vs 'b' is 2; an item compared with itself must be 1\n  fix: set the diagonal to 1`,
    ],
    [
      'a non-reciprocal pair',
      ['win_rate', 'csat', 'nps'],
      [
        [1, 5, 1],
        [0.5, 1, 1],
        [1, 1, 1],
      ],
      `${where}: 'win_rate' vs 'csat' is 5 but 'csat' vs 'win_rate' is 0.5; one must be the reciprocal of the other\n  fix: set 'csat' vs 'win_rate' to 1/5 = 0.2`,
    ],
  ])('rejects %s', (_, labels, matrix, message) => {
    expect(reject(labels, matrix)).toBe(message);
  });

  it('accepts reciprocals within 1e-6 and rejects beyond', () => {
    expect(() =>
      ahpWeights(
        ['a', 'b'],
        [
          [1, 3],
          [0.3333334, 1],
        ],
      ),
    ).not.toThrow();
    expect(
      reject(
        ['a', 'b'],
        [
          [1, 3],
          [0.3334, 1],
        ],
      ),
    ).toMatch(/'a' vs 'b' is 3 but 'b' vs 'a' is 0.3334; one must be the reciprocal/);
  });

  it('refuses more than 15 items, where Saaty gives no random index', () => {
    const labels = Array.from({ length: 16 }, (_, i) => `k${i}`);
    expect(reject(labels, fromWeights(labels.map(() => 1)))).toBe(
      `${where}: 16 items are compared; the consistency check is defined for at most 15\n  fix: group the items and weigh the groups`,
    );
  });
});

describe('assertConsistent', () => {
  it('passes a mildly inconsistent matrix (CR ≤ 0.10)', () => {
    const matrix = withPair(fromWeights(KNOWN), 0, 3, 5); // consistent value is 4
    const { lambda } = eigenpair(matrix);
    expect((lambda - 4) / 3 / 0.9).toBeLessThan(0.1);
    expect(() => assertConsistent(ahpWeights(LABELS, matrix), 'kpis.scorecard.weights')).not.toThrow();
  });

  it('names CR, the limit and the worst comparison with what the others imply', () => {
    const matrix = withPair(fromWeights(KNOWN), 0, 3, 1 / 4);
    const { lambda, w } = eigenpair(matrix);
    const cr = (lambda - 4) / 3 / 0.9;
    expect(cr).toBeGreaterThan(0.1);
    const implied = trim2(w[0]! / w[3]!);
    expect(() => assertConsistent(ahpWeights(LABELS, matrix), 'kpis.scorecard.weights')).toThrow(
      new CrmPulseError(
        'config',
        `[kpi] kpis.scorecard.weights: the pairwise comparisons are inconsistent: CR = ${cr.toFixed(2)} (must be ≤ 0.10); most inconsistent: 'win_rate' vs 'nps' is given as 0.25 but the other answers imply ${implied}`,
        { hint: `revise that comparison, for example towards ${implied}` },
      ),
    );
  });
});
