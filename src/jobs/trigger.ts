import type { ScheduledJob } from './scheduled-job.ts';

/**
 * What wakes the scheduler for a job. It only says "look now": which tick is due is worked out
 * from the clock, so tests drive the scheduler by calling `fire` with a pinned clock instead.
 * Returns a function that disarms the trigger.
 */
export interface Trigger {
  arm(job: ScheduledJob, timeZone: string, fire: () => void): () => Promise<void>;
}

/** A trigger that never fires: for tests and one-off runs that call the scheduler by hand. */
export const manualTrigger: Trigger = { arm: () => async () => undefined };
