import type { Rng } from './create-rng.ts';
import { DAY_MS } from './demo-windows.ts';

/** Something that raises tickets or answers surveys while it is active: an account or a customer. */
export interface Party<T> {
  readonly item: T;
  /** active from this instant (epoch ms), included */
  readonly from: number;
  /** to this instant, excluded */
  readonly to: number;
  /** how much activity it has per day, relative to the others */
  readonly weight: number;
}

/** Picks active parties in proportion to their weight. */
export interface ActiveSampler<T> {
  /** the summed weight of the parties active at noon of each of `days` days from midnight `from` */
  activity(from: number, days: number): number[];
  /** a party active at `t`, chosen by weight; undefined when none is */
  pick(rng: Rng, t: number): Party<T> | undefined;
}

/** Rejection tries before falling back to a scan; parties are active over months, so a few suffice. */
const TRIES = 64;

/**
 * Creates a sampler over `parties`: a draw by weight over all of them, kept when the party is
 * active, so that a pick costs a binary search instead of a scan of thousands of parties.
 * @example createActiveSampler(parties).pick(rng, Date.UTC(2011, 7, 8, 10))
 */
export function createActiveSampler<T>(parties: readonly Party<T>[]): ActiveSampler<T> {
  const cumulative: number[] = [];
  let total = 0;
  for (const p of parties) cumulative.push((total += p.weight));
  const isActive = (p: Party<T>, t: number) => p.from <= t && t < p.to;
  const draw = (rng: Rng): Party<T> => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return parties[lo]!;
  };
  return {
    activity(from, days) {
      const diff = new Array<number>(days + 1).fill(0);
      for (const p of parties) {
        // Day d counts a party active at its noon: from <= noon(d) < to.
        const first = Math.max(0, Math.ceil((p.from - from - DAY_MS / 2) / DAY_MS));
        const last = Math.min(days - 1, Math.ceil((p.to - from - DAY_MS / 2) / DAY_MS) - 1);
        if (first > last) continue;
        diff[first]! += p.weight;
        diff[last + 1]! -= p.weight;
      }
      const out: number[] = [];
      let running = 0;
      for (let d = 0; d < days; d++) out.push((running += diff[d]!));
      return out;
    },
    pick(rng, t) {
      if (total <= 0) return undefined;
      for (let i = 0; i < TRIES; i++) {
        const p = draw(rng);
        if (isActive(p, t)) return p;
      }
      const active = parties.filter((p) => isActive(p, t) && p.weight > 0);
      return active.length === 0 ? undefined : rng.pick(active);
    },
  };
}
