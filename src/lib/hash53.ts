/**
 * A fast 53-bit non-cryptographic hash of a string (cyrb53, public domain:
 * https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js). Used to spot changed
 * and repeated rows; creating a crypto Hash per row costs more than reading the row.
 * @example hash53('536365,85123A') === hash53('536365,85123A') // true
 */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** hash53 over a list of numbers (row ids, say), without building a string first. */
export function hash53Numbers(values: readonly (number | null)[], seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (const v of values) {
    // null and each number feed two 32-bit words, so that 2^32 + 1 and 1 differ.
    const lo = v === null ? 0x7fffffff : v >>> 0;
    const hi = v === null ? 0x7fffffff : Math.floor(v / 4294967296);
    h1 = Math.imul(h1 ^ lo, 2654435761);
    h2 = Math.imul(h2 ^ lo, 1597334677);
    h1 = Math.imul(h1 ^ hi, 2654435761);
    h2 = Math.imul(h2 ^ hi, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
