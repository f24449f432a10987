/**
 * A tick that replicas share, as the scheduler's job lease names it: what the scheduler hands a
 * job (jobs/) and what the alert tick splits into work items (alerts/).
 */
export interface TickShare {
  readonly job: string;
  readonly tick: Date;
  /** this replica's name, as in the leases */
  readonly holder: string;
  /** the lease length: a claim on an item lasts as long without renewal (renewed every third of it) */
  readonly leaseMs: number;
  /** the clock the leases and claims are read on */
  readonly clock: { now(): Date };
  /** whether the replica holding the tick's lease still holds it, unfinished and unexpired */
  leaseHeld(): Promise<boolean>;
}
