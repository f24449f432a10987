import { hash53 } from '../../lib/hash53.ts';

/** A seeded stream of pseudo-random numbers: the same seed and stream name give the same numbers. */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** a whole number in [min, max], both included */
  int(min: number, max: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** one item, each equally likely */
  pick<T>(items: readonly T[]): T;
  /** one key, with probability proportional to its weight */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** standard normal */
  normal(): number;
  /** log-normal with the given median and log-scale spread; draws two numbers */
  logNormal(median: number, sigma: number): number;
  /** log-logistic (a common model of durations) with the given median and shape; draws one number */
  logLogistic(median: number, shape: number): number;
  /** a Poisson count with the given mean; draws a varying count of numbers */
  poisson(mean: number): number;
}

/**
 * Steps of quasi-random streams: the fractions of the golden ratio and of √2. Multiples of one
 * spread most evenly over [0, 1); two streams with different steps are jointly even in the square.
 */
export const QUASI_STEPS = [0.6180339887498949, 0.41421356237309515] as const;

/**
 * Creates a mulberry32 stream (public domain, https://github.com/bryc/code/blob/master/jshash/PRNGs.md).
 * Each part of the demo data draws from its own named stream, so changing one part leaves the
 * numbers of the others as they were.
 * @example createRng(42, 'tickets-b2c').int(1, 6)
 */
export function createRng(seed: number, stream: string): Rng {
  let state = hash53(stream, seed) % 2 ** 32;
  return fromUniform(() => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });
}

/**
 * Creates a quasi-random stream (an additive recurrence with the golden ratio, see
 * https://en.wikipedia.org/wiki/Low-discrepancy_sequence#Additive_recurrence): any run of its
 * numbers covers [0, 1) evenly, so twenty complaints of one office in one month show the shares
 * and median they were drawn with, and only the documented incidents stand out as anomalies.
 * Only methods that draw one number (next, int, chance, pick, weighted, logLogistic) keep that.
 * @example createQuasiRng(rng.next()).chance(0.25)
 */
export function createQuasiRng(start: number, step: number = QUASI_STEPS[0]): Rng {
  let u = start;
  return fromUniform(() => (u = (u + step) % 1));
}

/**
 * Quasi-random streams by key, each started at a number drawn from `rng` when the key is first
 * used, so that each group of records (one office's complaints, say) covers [0, 1) on its own.
 * Give two draws about the same record different `step`s, or they are tied to each other.
 * @example const quasi = quasiStreams(rng); quasi('b2b-West-complaint').logLogistic(30, 0.3)
 */
export function quasiStreams(rng: Rng, step: number = QUASI_STEPS[0]): (key: string) => Rng {
  const streams = new Map<string, Rng>();
  return (key) => {
    let stream = streams.get(key);
    if (!stream) streams.set(key, (stream = createQuasiRng(rng.next(), step)));
    return stream;
  };
}

function fromUniform(next: () => number): Rng {
  const normal = (): number => {
    // Box–Muller; 1 - next() is never 0, so the log is finite.
    return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights & string, number][];
      let u = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [key, w] of entries) if ((u -= w) < 0) return key;
      return entries.at(-1)![0];
    },
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    logLogistic(median, shape) {
      // The quantile function of the log-logistic; 1 - u is never 0, and u = 0 gives 0, a floor.
      const u = next();
      return median * (u / (1 - u)) ** shape;
    },
    poisson(mean) {
      // Knuth's method is exact but slow for large means, where the normal approximation is good.
      if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
  };
}
