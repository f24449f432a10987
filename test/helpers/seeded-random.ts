/**
 * A seeded uniform generator on [0, 1) (mulberry32, https://gist.github.com/tommyettinger/46a874533244883189143505d203312c),
 * so that a test's random data is the same every run and a failing sequence can be replayed by its seed.
 * @example const r = mulberry32(42); r() // 0.6011…
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
