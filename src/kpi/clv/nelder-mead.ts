/** Where a minimisation ended. */
export interface Minimum {
  readonly x: readonly number[];
  readonly value: number;
  readonly iterations: number;
  /**
   * whether the simplex shrank inside the tolerances, or its values did while the best value
   * stopped improving (a flat ridge, where the points never come together), before the limit
   */
  readonly converged: boolean;
}

/** Tolerances and limits of the simplex search. */
export interface NelderMeadOptions {
  /** stop when every vertex is this close to the best, in each coordinate */
  readonly xTolerance?: number;
  /** …and every vertex value is this close to the best value */
  readonly fTolerance?: number;
  readonly maxIterations?: number;
  /** the initial simplex's step along each axis */
  readonly step?: number;
}

/**
 * Minimises `f` by the Nelder–Mead simplex (Nelder & Mead 1965; the standard coefficients
 * reflection 1, expansion 2, contraction ½, shrink ½, as in Lagarias et al. 1998), restarted
 * from its result until a restart no longer improves it: a collapsed simplex can stall
 * short of the minimum. Non-finite values count as +∞, so the search steps back from them.
 * Along a flat ridge (a likelihood whose maximum is a limit of the model) the vertices never
 * meet: the search also stops once the values agree and the best has not improved for a while.
 * @example nelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x // ≈ [1, −2]
 */
export function nelderMead(f: (x: readonly number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): Minimum {
  const maxIterations = options.maxIterations ?? 10_000;
  let best = simplexSearch(f, start, options, maxIterations);
  let iterations = best.iterations;
  for (let restart = 0; restart < 5 && iterations < maxIterations; restart++) {
    const next = simplexSearch(f, best.x, options, maxIterations - iterations);
    iterations += next.iterations;
    const improved = best.value - next.value > (options.fTolerance ?? 1e-10);
    best = next.value <= best.value ? next : best;
    if (!improved) break;
  }
  return { ...best, iterations };
}

function simplexSearch(f: (x: readonly number[]) => number, start: readonly number[], options: NelderMeadOptions, maxIterations: number): Minimum {
  const xTol = options.xTolerance ?? 1e-9;
  const fTol = options.fTolerance ?? 1e-10;
  const step = options.step ?? 0.5;
  const n = start.length;
  const value = (x: readonly number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, v: value(x) }));
  const patience = 200 * n;
  let iterations = 0;
  let lastGain = 0;
  let bestSoFar = Number.POSITIVE_INFINITY;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.v - b.v);
    const bestV = simplex[0]!;
    // On a ridge the values differ only by rounding, so "agree" and "improved" are relative there.
    const ridgeTol = Math.max(fTol, 1e-10 * Math.abs(bestV.v));
    if (bestV.v < bestSoFar - ridgeTol) [bestSoFar, lastGain] = [bestV.v, iterations];
    const spreadX = Math.max(...simplex.slice(1).map((p) => Math.max(...p.x.map((v, j) => Math.abs(v - bestV.x[j]!)))));
    const spreadF = Math.max(...simplex.slice(1).map((p) => Math.abs(p.v - bestV.v)));
    const stalled = iterations - lastGain > patience && spreadF <= ridgeTol;
    if ((spreadF <= fTol && spreadX <= xTol) || stalled) return { x: bestV.x, value: bestV.v, iterations, converged: true };
    const worst = simplex[n]!;
    const centroid = Array.from({ length: n }, (_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j]!, 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j]! - c));
    const reflected = along(-1);
    const rv = value(reflected);
    if (rv < bestV.v) {
      const expanded = along(-2);
      const ev = value(expanded);
      simplex[n] = ev < rv ? { x: expanded, v: ev } : { x: reflected, v: rv };
    } else if (rv < simplex[n - 1]!.v) {
      simplex[n] = { x: reflected, v: rv };
    } else {
      const outside = rv < worst.v;
      const contracted = along(outside ? -0.5 : 0.5);
      const cv = value(contracted);
      if (cv < (outside ? rv : worst.v)) simplex[n] = { x: contracted, v: cv };
      else
        simplex = simplex
          .map((p, i) => (i === 0 ? p : { x: p.x.map((v, j) => bestV.x[j]! + 0.5 * (v - bestV.x[j]!)), v: 0 }))
          .map((p, i) => (i === 0 ? p : { x: p.x, v: value(p.x) }));
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0]!.x, value: simplex[0]!.v, iterations, converged: false };
}
