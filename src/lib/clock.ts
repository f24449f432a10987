/** Where "now" comes from. Production reads the wall clock here only; tests and local mode pin it. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant, for tests, backtests and the demo's "as of" date. */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
