import { CrmPulseError } from '../lib/errors.ts';

/** Weights derived from an AHP pairwise comparison matrix, with how consistent the answers were. */
export interface AhpResult {
  /** principal-eigenvector weights by label, summing to 1 */
  weights: Record<string, number>;
  /** the principal eigenvalue; equals n exactly when every answer agrees with every other */
  lambdaMax: number;
  /** consistency index (λmax − n) / (n − 1) */
  ci: number;
  /** consistency ratio CI / RI; Saaty accepts up to 0.10 */
  cr: number;
  /** the comparison furthest from what the weights imply, or null when n ≤ 2 or all agree */
  mostInconsistent: { a: string; b: string; given: number; implied: number } | null;
}

/**
 * Saaty's random consistency index for n = 1..15: the mean CI of random reciprocal matrices.
 * Source: T. L. Saaty, "Fundamentals of Decision Making and Priority Theory" (2000), table 2.
 */
export const RANDOM_INDEX: readonly number[] = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];
/** Saaty's limit on the consistency ratio. */
export const MAX_CONSISTENCY_RATIO = 0.1;

const RECIPROCAL_TOLERANCE = 1e-6;
const CONVERGENCE = 1e-12;
const MAX_ITERATIONS = 10_000;

/**
 * Validates a pairwise comparison matrix (matrix[i][j] = how much more `labels[i]` matters than
 * `labels[j]`) and derives weights by Saaty's eigenvector method.
 *
 * @example
 * ahpWeights(['win_rate', 'csat'], [[1, 3], [1 / 3, 1]]).weights; // { win_rate: 0.75, csat: 0.25 }
 */
export function ahpWeights(labels: readonly string[], matrix: readonly (readonly number[])[], where = 'weights'): AhpResult {
  validate(labels, matrix, where);
  const n = labels.length;
  const w = principalEigenvector(matrix);
  // With w summing to 1, A·w = λ·w sums to λ: summing (A·w)_i gives λmax without a division by a tiny w_i.
  const lambdaMax = sum(multiply(matrix, w));
  const ci = n <= 2 ? 0 : Math.max(0, (lambdaMax - n) / (n - 1));
  const cr = n <= 2 ? 0 : ci / RANDOM_INDEX[n - 1]!;

  let mostInconsistent: AhpResult['mostInconsistent'] = null;
  let worst = 1e-9; // below this the deviation is rounding noise, and a consistent matrix reports none
  for (let i = 0; i < n && n > 2; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      const given = matrix[i]![j]!;
      const implied = w[i]! / w[j]!;
      const deviation = Math.abs(Math.log(given / implied));
      if (deviation > worst) {
        worst = deviation;
        mostInconsistent = { a: labels[i]!, b: labels[j]!, given, implied };
      }
    }
  }
  const weights: Record<string, number> = {};
  labels.forEach((label, i) => (weights[label] = w[i]!));
  return { weights, lambdaMax, ci, cr, mostInconsistent };
}

/** Throws a config error naming the worst comparison when CR exceeds Saaty's 0.10. */
export function assertConsistent(result: AhpResult, where: string): void {
  if (result.cr <= MAX_CONSISTENCY_RATIO) return;
  const worst = result.mostInconsistent;
  const detail = worst
    ? `; most inconsistent: '${worst.a}' vs '${worst.b}' is given as ${format(worst.given)} but the other answers imply ${format(worst.implied)}`
    : '';
  throw new CrmPulseError(
    'config',
    `[kpi] ${where}: the pairwise comparisons are inconsistent: CR = ${result.cr.toFixed(2)} (must be ≤ ${MAX_CONSISTENCY_RATIO.toFixed(2)})${detail}`,
    { hint: worst ? `revise that comparison, for example towards ${format(worst.implied)}` : 'revise the comparisons' },
  );
}

function validate(labels: readonly string[], matrix: readonly (readonly number[])[], where: string): void {
  const fail = (message: string, hint: string): never => {
    throw new CrmPulseError('config', `[kpi] ${where}: ${message}`, { hint });
  };
  const n = labels.length;
  if (n === 0) fail('nothing to compare', 'list at least one item');
  if (n > RANDOM_INDEX.length) {
    fail(`${n} items are compared; the consistency check is defined for at most ${RANDOM_INDEX.length}`, 'group the items and weigh the groups');
  }
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) fail(`'${label}' is listed twice`, 'give each item once');
    seen.add(label);
  }
  if (matrix.length !== n) fail(`the matrix has ${matrix.length} rows for ${n} items (${labels.join(', ')})`, `give one row per item`);
  matrix.forEach((row, i) => {
    if (row.length !== n) fail(`the row for '${labels[i]}' has ${row.length} values; expected ${n}`, 'give one value per item');
  });
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      const value = matrix[i]![j]!;
      const cell = `'${labels[i]}' vs '${labels[j]}'`;
      if (!Number.isFinite(value) || value <= 0) {
        fail(`${cell} is ${value}; comparisons must be positive numbers`, 'use 1 for equal, 3, 5, 7, 9 for more important, 1/3 … 1/9 for less');
      }
      if (i === j && Math.abs(value - 1) > RECIPROCAL_TOLERANCE) fail(`${cell} is ${value}; an item compared with itself must be 1`, 'set the diagonal to 1');
      if (j > i) {
        const back = matrix[j]![i]!;
        // Relative check: a·(1/a) = 1 tolerates the same rounding for 9 and for 1/9.
        if (back > 0 && Math.abs(value * back - 1) > RECIPROCAL_TOLERANCE) {
          fail(
            `${cell} is ${value} but '${labels[j]}' vs '${labels[i]}' is ${back}; one must be the reciprocal of the other`,
            `set '${labels[j]}' vs '${labels[i]}' to 1/${value} = ${format(1 / value)}`,
          );
        }
      }
    }
  }
}

/**
 * Power iteration w ← A·w / Σ(A·w). A positive matrix has a unique positive principal eigenvector
 * (Perron–Frobenius), so this converges; starting from the row geometric means makes it converge
 * in one step for a consistent matrix and in a handful for realistic ones.
 */
function principalEigenvector(matrix: readonly (readonly number[])[]): number[] {
  let w = normalize(matrix.map((row) => Math.exp(sum(row.map(Math.log)) / row.length)));
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const next = normalize(multiply(matrix, w));
    const change = Math.max(...next.map((value, i) => Math.abs(value - w[i]!)));
    w = next;
    if (change < CONVERGENCE) break;
  }
  return w;
}

function multiply(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  return matrix.map((row) => sum(row.map((value, j) => value * vector[j]!)));
}

function normalize(vector: readonly number[]): number[] {
  const total = sum(vector);
  return vector.map((value) => value / total);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Two decimals without trailing zeros (5, 0.8, 0.33); small values keep two significant digits. */
function format(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) return String(Number(value.toPrecision(2)));
  return String(Number(value.toFixed(2)));
}
