/**
 * How far behind "now" a saved cursor stays. CRM search indexes lag their writes by seconds, and
 * a long Salesforce transaction commits rows stamped when it began; re-reading the last five
 * minutes next time costs a few unchanged rows, missing them would be a gap.
 */
export const SETTLE_MS = 5 * 60_000;

/** Tracks the newest modification time seen in a read, and gives the cursor to save after it. */
export interface ModifiedCursor {
  /** where the read starts, in epoch ms; undefined: from the beginning */
  readonly startMs: number | undefined;
  see(modifiedMs: number): void;
  /** the cursor to save: the newest time seen, held SETTLE_MS behind the read's start, never going back */
  value(): string | undefined;
}

/**
 * A tracker for a read starting at the saved cursor `start` (an ISO time) at `now`. A cursor that
 * is not a time (the source was a CSV source before) starts from the beginning.
 * @example const c = modifiedCursor('2024-01-05T10:00:00.000Z', clock.now()); c.see(Date.parse(mod)); c.value()
 */
export function modifiedCursor(start: string | undefined, now: Date): ModifiedCursor {
  const parsed = start === undefined ? NaN : Date.parse(start);
  const startMs = Number.isNaN(parsed) ? undefined : parsed;
  const ceiling = now.getTime() - SETTLE_MS;
  let newest: number | undefined;
  return {
    startMs,
    see(ms) {
      if (!Number.isNaN(ms) && (newest === undefined || ms > newest)) newest = ms;
    },
    value() {
      if (newest === undefined) return startMs === undefined ? undefined : new Date(startMs).toISOString();
      const held = Math.min(newest, ceiling);
      return new Date(startMs === undefined ? held : Math.max(startMs, held)).toISOString();
    },
  };
}
