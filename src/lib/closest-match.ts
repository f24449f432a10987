/**
 * The candidate closest to `word` by edit distance, if one is close enough to be a typo
 * (at most a quarter of its length, and at least one edit allowed).
 * @example closestMatch('win_rat', ['win_rate', 'nps']) // 'win_rate'
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  const lower = word.toLowerCase();
  for (const name of candidates) {
    const other = name.toLowerCase();
    const allowed = Math.max(1, Math.floor(name.length / 4));
    // The distance is at least the difference in length: skip without the O(n·m) table, which
    // for a 4,000-character word from /kpi would cost a fifth of a second per parse.
    if (Math.abs(lower.length - other.length) > allowed) continue;
    const d = editDistance(lower, other);
    if (d <= allowed && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one edit each. */
export function editDistance(a: string, b: string): number {
  // Optimal string alignment: Levenshtein plus adjacent transpositions ('csta' → 'csat' is 1).
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
