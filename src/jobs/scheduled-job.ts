import type { TickShare } from '../domain/tick-share.ts';
import type { CronExpression } from '../lib/cron-expression.ts';

/**
 * When a job runs: on a cron expression in its own time zone (default the config's, e.g. a digest
 * at Monday 08:00 in the manager's), or every so many milliseconds.
 */
export type JobSchedule = { readonly cron: CronExpression; readonly timeZone?: string } | { readonly everyMs: number };

/** A run's view of its tick's lease: what a job needs to share the tick's work with other replicas. */
export type TickRun = TickShare;

/** A job the scheduler runs once per tick across all replicas. */
export interface ScheduledJob {
  /** unique name, also the lease key, e.g. sync:hubspot, evaluate, deliver */
  readonly name: string;
  readonly schedule: JobSchedule;
  /** does the work of one tick; resolves false when it ran but did not succeed (no follow-up then) */
  run(tick: Date, lease?: TickRun): Promise<boolean | void>;
  /**
   * helps with a tick another replica holds, for a job whose ticks are split into work items (the
   * evaluation on PostgreSQL): resolves whether this replica did any of its work
   */
  help?(lease: TickRun): Promise<boolean>;
  /** a job to run right after each successful run of this one, e.g. evaluate after a sync */
  readonly followedBy?: string;
}
