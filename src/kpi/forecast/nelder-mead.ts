/** Where a minimisation ended: the best point, its value and the iterations used. */
export interface Minimum {
  readonly x: readonly number[];
  readonly value: number;
  readonly iterations: number;
}

/**
 * Minimises `f` by the Nelder–Mead simplex method (Nelder & Mead 1965, with the standard
 * coefficients 1, 2, ½, ½). `f` may return Infinity outside the feasible region: the simplex then
 * shrinks back inside, which is how the smoothing-parameter bounds are kept. The start point must
 * be feasible; `steps` sets the size of the first simplex along each coordinate.
 * @example nelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0], [0.5, 0.5]).x // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  steps: readonly number[],
  options: { maxIterations?: number; tolerance?: number } = {},
): Minimum {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 400 * n;
  const tolerance = options.tolerance ?? 1e-10;
  if (n === 0) return { x: [], value: f([]), iterations: 0 };
  let simplex = [start.slice(), ...start.map((_, i) => start.map((v, j) => (i === j ? v + steps[i]! : v)))];
  let values = simplex.map(f);
  let iterations = 0;
  const along = (from: number[], to: number[], t: number) => from.map((v, j) => v + t * (to[j]! - v));

  for (; iterations < maxIterations; iterations++) {
    const order = values.map((v, i) => i).sort((a, b) => values[a]! - values[b]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    const best = values[0]!;
    const worst = values[n]!;
    // Converged when the values at the vertices agree to a relative tolerance, as R's optim does
    // (reltol): a parameter pushed against a bound by a logistic map never stops moving, its value does.
    if (Number.isFinite(worst) && Math.abs(worst - best) <= tolerance * (Math.abs(best) + tolerance)) break;

    const centroid = Array.from({ length: n }, (_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const reflected = along(centroid, simplex[n]!, -1);
    const fr = f(reflected);
    if (fr < values[0]!) {
      const expanded = along(centroid, simplex[n]!, -2);
      const fe = f(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
      continue;
    }
    if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
      continue;
    }
    const outside = fr < worst;
    const contracted = along(centroid, outside ? reflected : simplex[n]!, 0.5);
    const fc = f(contracted);
    if (fc < (outside ? fr : worst)) {
      [simplex[n], values[n]] = [contracted, fc];
      continue;
    }
    for (let i = 1; i <= n; i++) {
      simplex[i] = along(simplex[0]!, simplex[i]!, 0.5);
      values[i] = f(simplex[i]!);
    }
  }
  const i = values.indexOf(Math.min(...values));
  return { x: simplex[i]!, value: values[i]!, iterations };
}
