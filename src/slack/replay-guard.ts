/**
 * How long a signed Slack request stays valid: Bolt refuses timestamps older than five minutes,
 * and the guard remembers each request until its timestamp is that old.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack/
 */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** Why a request was refused before Bolt saw it. */
export type ReplayRefusal =
  /** the same signed content (timestamp and body) was delivered before, inside the window */
  | 'replay'
  /** the timestamp is further ahead of our clock than the window: it would outlive our memory of it */
  | 'future'
  /** the guard holds its most requests; refusing keeps memory bounded without forgetting one early */
  | 'full';

/** Remembers the signed requests it let through, and refuses their second delivery. */
export interface ReplayGuard {
  /**
   * Admits the request whose signed content hashes to `key` (verified first: a forged request
   * must not take memory), with its `x-slack-request-timestamp` in seconds; or says why not.
   */
  admit(key: string, timestampS: number): ReplayRefusal | undefined;
  /** how many requests it remembers now */
  readonly size: number;
}

/** Options of the guard; tests pin the clock and shrink the bound. */
export interface ReplayGuardOptions {
  readonly now?: () => number;
  /** the most requests remembered at once; at ~330 requests a second for 5 minutes it is full */
  readonly maxEntries?: number;
}

/**
 * A replay guard for Slack's signed HTTP requests. Bolt checks the signature and refuses stale
 * timestamps, but accepts the same request again and again inside the window; this refuses the
 * second delivery. It is keyed on what was signed (timestamp and body), never on the header's
 * text, so a signature written differently (`v0=<hex>=a`) is the same request. Entries leave
 * oldest first once their timestamp is out of the window; while every entry is still inside it,
 * a full guard refuses new requests (503) rather than forget one early and let its replay in.
 * @example const guard = replayGuard(); if (guard.admit(sha256(`${ts}:${body}`), ts)) refuse();
 */
export function replayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 100_000;
  /** key → the instant after which Bolt refuses it as stale; kept in insertion order */
  const seen = new Map<string, number>();
  let lastSweep = 0;
  const sweep = (t: number) => {
    lastSweep = t;
    for (const [key, until] of seen) if (until < t) seen.delete(key);
  };
  return {
    get size() {
      return seen.size;
    },
    admit(key, timestampS) {
      const t = now();
      // Bolt compares whole seconds (stale when timestamp < floor(now / 1000) - 300): keep the
      // key one second longer than the window so that no instant is accepted by Bolt and
      // forgotten here.
      const until = timestampS * 1000 + REPLAY_WINDOW_MS + 1000;
      if (t - lastSweep > 10_000 || seen.size >= max) sweep(t);
      if ((seen.get(key) ?? -Infinity) >= t) return 'replay';
      if (timestampS * 1000 > t + REPLAY_WINDOW_MS) return 'future';
      if (seen.size >= max) return 'full';
      seen.set(key, until);
      return undefined;
    },
  };
}
