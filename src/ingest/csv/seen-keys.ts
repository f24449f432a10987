import { hash53 } from '../../lib/hash53.ts';

/** What is known of a key: the rows stored under it so far, each as (content hash, line). */
export interface SeenRow {
  readonly content: number;
  readonly line: number;
}

const LINE = 2 ** 26; // lines up to 67 million
const CONTENT = 2 ** 27;

/**
 * A set of record keys seen in one file, with the rows stored under each, kept in typed arrays
 * rather than a Map of strings: 24 bytes a slot instead of about 150 bytes a key, and nothing for
 * the garbage collector to trace. The table is at most three quarters full, so 541,909 lines take
 * 2^20 slots (24 MB; 36 MB while it grows into them) and 5M lines 2^23 slots (201 MB).
 * A key is identified by two independent 53-bit hashes; a false match needs both to collide
 * (about 1 in 10^20 for 10^7 keys). A row's content is compared by 27 bits of its hash, and only
 * against rows of the same key.
 */
export class SeenKeys {
  private h1 = new Float64Array(1 << 18);
  private h2 = new Float64Array(1 << 18);
  /** first row under the key, packed: content × LINE + line; 0 marks an empty slot */
  private first = new Float64Array(1 << 18);
  private size = 0;
  /** rows after the first, by the key's first hash; rare (repeated stock codes in an invoice) */
  private more = new Map<number, number[]>();

  /**
   * Records a row under `key` and returns the rows seen under it before (empty for a new key).
   * With `keep: false` a repeated key's row is only compared, not recorded.
   */
  add(key: string, content: number, line: number, keep = true): SeenRow[] {
    const a = hash53(key, 1);
    const b = hash53(key, 2);
    const packed = (content % CONTENT) * LINE + (line % LINE) + 1;
    const slot = this.find(a, b);
    if (this.first[slot] === 0) {
      this.h1[slot] = a;
      this.h2[slot] = b;
      this.first[slot] = packed;
      if (++this.size * 4 > this.first.length * 3) this.grow();
      return [];
    }
    const more = this.more.get(a);
    const before = [this.first[slot]!, ...(more ?? [])].map(unpack);
    if (keep && !before.some((r) => r.content === content % CONTENT)) {
      if (more) more.push(packed);
      else this.more.set(a, [packed]);
    }
    return before;
  }

  /** Whether two content hashes are equal as far as this set can tell. */
  static sameContent(a: number, b: number): boolean {
    return a % CONTENT === b % CONTENT;
  }

  private find(a: number, b: number): number {
    const mask = this.first.length - 1;
    let slot = a % this.first.length;
    while (this.first[slot] !== 0 && (this.h1[slot] !== a || this.h2[slot] !== b)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const [h1, h2, first] = [this.h1, this.h2, this.first];
    this.h1 = new Float64Array(first.length * 2);
    this.h2 = new Float64Array(first.length * 2);
    this.first = new Float64Array(first.length * 2);
    for (let i = 0; i < first.length; i++) {
      if (first[i] === 0) continue;
      const slot = this.find(h1[i]!, h2[i]!);
      this.h1[slot] = h1[i]!;
      this.h2[slot] = h2[i]!;
      this.first[slot] = first[i]!;
    }
  }
}

function unpack(packed: number): SeenRow {
  const p = packed - 1;
  return { content: Math.floor(p / LINE), line: p % LINE };
}
