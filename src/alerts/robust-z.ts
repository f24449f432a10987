/** A value's distance from a baseline in robust standard deviations, and the baseline's median. */
export interface RobustZ {
  readonly z: number;
  readonly median: number;
  /** the robust scale used: 1.4826 × MAD, or 1.2533 × mean absolute deviation when MAD is 0 */
  readonly scale: number;
}

/**
 * The robust z-score (x − median) / (1.4826 · MAD) of Iglewicz and Hoaglin: one outlier in the
 * baseline cannot hide the next, unlike a mean and standard deviation. When more than half the
 * baseline is one value (MAD = 0) the mean absolute deviation stands in, as in IBM's modified
 * z-score; a flat baseline makes any other value infinitely far. Null under 4 baseline values.
 * @example robustZ(40, [10, 11, 9, 10, 12]) // { z: 20.2…, median: 10, … }
 */
export function robustZ(x: number, baseline: readonly number[]): RobustZ | null {
  if (baseline.length < 4) return null;
  const med = median(baseline);
  const mad = median(baseline.map((v) => Math.abs(v - med)));
  let scale = 1.4826 * mad;
  if (scale === 0) scale = 1.2533 * (baseline.reduce((s, v) => s + Math.abs(v - med), 0) / baseline.length);
  const diff = x - med;
  const z = scale === 0 ? (diff === 0 ? 0 : Math.sign(diff) * Infinity) : diff / scale;
  return { z, median: med, scale };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
