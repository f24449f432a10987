import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Database } from '../store/open-database.ts';
import { acquireLease, currentLease, expireLease, finishLease, lastLease, openLeases, releaseLease, renewLease, type LeaseClaim } from '../store/job-leases.ts';
import { isEarlierStart, leaseHolder, parseHolder } from './lease-holder.ts';
import { intervalTick, latestTick } from '../lib/due-ticks.ts';
import type { ScheduledJob, TickRun } from './scheduled-job.ts';
import type { Trigger } from './trigger.ts';

/** What happened when the scheduler was asked to run a job. */
export type RunOutcome =
  /** this replica ran the tick and the job succeeded */
  | 'ran'
  /** this replica ran the tick and the job threw or reported failure */
  | 'failed'
  /** no tick is due since the last one this replica saw */
  | 'not-due'
  /** the job is still running in this process: runs never overlap */
  | 'busy'
  /** another replica holds or has done this tick, or still runs an earlier one */
  | 'taken'
  /** another replica holds this tick, and this replica did some of its work items */
  | 'helped'
  /** the scheduler is shutting down */
  | 'stopped';

/** What runs missed while no replica was up: `latest` runs each missed job once, `none` waits for the next tick. */
export type CatchUpPolicy = 'latest' | 'none';

/** Everything the scheduler needs, passed in so tests pin the clock and replace the trigger. */
export interface SchedulerOptions {
  readonly db: Database;
  readonly jobs: readonly ScheduledJob[];
  readonly timeZone: string;
  readonly catchUp: CatchUpPolicy;
  /** how long a lease lasts without renewal; renewed every third of it while the job runs */
  readonly leaseMs: number;
  readonly clock: Clock;
  readonly trigger: Trigger;
  readonly log: Logger;
  /** this replica's name in the leases; default `instance:pid:namespace:start` (see lease-holder.ts) */
  readonly holder?: string;
  /** this replica's name across restarts (CRM_PULSE_INSTANCE_ID), default the host name */
  readonly instance?: string;
  /** how far back a catch-up looks for a missed cron tick (default 35 days) */
  readonly lookbackMs?: number;
}

/** Runs jobs on their schedules, each tick once across replicas. */
export interface Scheduler {
  readonly holder: string;
  /** catches up missed runs by the policy, then arms the triggers */
  start(): Promise<void>;
  /** runs the job's latest due tick if it has not run yet: what a trigger calls */
  fire(name: string): Promise<RunOutcome>;
  /** waits for running jobs, releases their leases and disarms the triggers */
  stop(): Promise<void>;
}

// A trigger may wake a moment before its tick (timer drift); a tick this close ahead counts as due.
const EARLY_MS = 2_000;

/**
 * The scheduler over a trigger (node-cron in production) and job leases in the database. A
 * trigger only says "look now"; the due tick comes from the clock and the schedule, so every
 * replica names the same tick, and the lease on (job, tick) lets exactly one of them run it.
 * @example const s = createScheduler({ db, jobs, timeZone: 'Europe/London', catchUp: 'latest', leaseMs: 600_000, clock: systemClock, trigger: cronTrigger, log }); await s.start();
 */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const holder = o.holder ?? leaseHolder(o.instance);
  const jobs = new Map(o.jobs.map((j) => [j.name, j]));
  const lookbackMs = o.lookbackMs ?? 35 * 86_400_000;
  /** the latest tick this replica considered per job: a tick is never considered twice */
  const seen = new Map<string, Date>();
  const running = new Map<string, Promise<RunOutcome>>();
  const held = new Set<LeaseClaim>();
  const disarms: (() => Promise<void>)[] = [];
  let stopping = false;

  const jobNamed = (name: string) => {
    const job = jobs.get(name);
    if (!job) throw new Error(`[jobs] no job '${name}'; known: ${[...jobs.keys()].join(', ')}`);
    return job;
  };

  const dueTick = (job: ScheduledJob, now: Date): Date | undefined => {
    const last = seen.get(job.name);
    if ('everyMs' in job.schedule) {
      const tick = intervalTick(job.schedule.everyMs, new Date(now.getTime() + EARLY_MS));
      return last && tick <= last ? undefined : tick;
    }
    const floor = new Date(now.getTime() - lookbackMs);
    return latestTick(job.schedule.cron, job.schedule.timeZone ?? o.timeZone, last && last > floor ? last : floor, new Date(now.getTime() + EARLY_MS));
  };

  const runTick = async (job: ScheduledJob, tick: Date): Promise<RunOutcome> => {
    const claim: LeaseClaim = { job: job.name, tick, holder };
    if (!(await acquireLease(o.db, claim, o.clock.now(), o.leaseMs))) return job.help ? help(job) : 'taken';
    held.add(claim);
    const heartbeat = setInterval(
      () => {
        renewLease(o.db, claim, o.clock.now(), o.leaseMs).then(
          (kept) => kept || o.log.warn({ job: job.name, tick }, 'job lease lost: the run took longer than the lease and another replica took it over'),
          (error: unknown) => o.log.warn({ err: error, job: job.name }, 'job lease renewal failed'),
        );
      },
      Math.max(1_000, o.leaseMs / 3),
    );
    heartbeat.unref();
    let ok: boolean;
    try {
      ok = (await job.run(tick, tickRun(job, tick))) !== false;
      o.log.info({ job: job.name, tick, ok }, 'job finished');
    } catch (error) {
      ok = false;
      o.log.error({ err: error, job: job.name, tick }, 'job failed');
    } finally {
      clearInterval(heartbeat);
    }
    // A failed tick counts as run too: the next tick retries, so a broken source is not hammered.
    await finishLease(o.db, claim, o.clock.now());
    held.delete(claim);
    return ok ? 'ran' : 'failed';
  };

  const tickRun = (job: ScheduledJob, tick: Date): TickRun => ({
    job: job.name,
    tick,
    holder,
    leaseMs: o.leaseMs,
    clock: o.clock,
    async leaseHeld() {
      const lease = await currentLease(o.db, job.name);
      return lease !== undefined && lease.tick.getTime() === tick.getTime() && !lease.done && lease.expiresAt > o.clock.now();
    },
  });

  /** Works on the tick another replica holds (whichever tick that is), if the job shares its ticks' work. */
  const help = async (job: ScheduledJob): Promise<RunOutcome> => {
    const lease = await currentLease(o.db, job.name);
    if (!lease || lease.done || lease.holder === holder || lease.expiresAt <= o.clock.now()) return 'taken';
    try {
      const did = await job.help!(tickRun(job, lease.tick));
      if (did) o.log.info({ job: job.name, tick: lease.tick, holder: lease.holder }, 'helped with a tick another replica holds');
      return did ? 'helped' : 'taken';
    } catch (error) {
      // The items this replica had claimed expire and are taken over; the tick's holder still finishes it.
      o.log.error({ err: error, job: job.name, tick: lease.tick }, 'helping with a tick failed');
      return 'taken';
    }
  };

  const run = (job: ScheduledJob, tick: Date | undefined): Promise<RunOutcome> => {
    if (stopping) return Promise.resolve('stopped');
    if (running.has(job.name)) return Promise.resolve('busy');
    if (!tick) return Promise.resolve('not-due');
    seen.set(job.name, tick);
    const p = (async () => {
      const outcome = await runTick(job, tick);
      if (outcome === 'ran' && job.followedBy && !stopping) {
        const next = jobNamed(job.followedBy);
        // The follow-up's tick is the moment the first job finished, later than any tick before it.
        running.delete(job.name);
        await run(next, o.clock.now());
      }
      return outcome;
    })().finally(() => running.delete(job.name));
    running.set(job.name, p);
    return p;
  };

  /**
   * A restart after a crash takes back its own unfinished leases at once (they would otherwise
   * hold their jobs until they expired): it expires them, and the catch-up and the next ticks claim
   * them as any replica would, so only one replica runs each tick.
   */
  const reclaimEarlierStarts = async () => {
    const me = parseHolder(holder);
    if (!me) return;
    for (const lease of await openLeases(o.db)) {
      const other = parseHolder(lease.holder);
      if (!other || !isEarlierStart(me, other)) continue;
      if (await expireLease(o.db, lease, o.clock.now()))
        o.log.info({ job: lease.job, holder: lease.holder }, 'took back the unfinished lease of an earlier start of this replica');
    }
  };

  const fire = (name: string) => {
    const job = jobNamed(name);
    return run(job, dueTick(job, o.clock.now()));
  };

  return {
    holder,
    fire,
    async start() {
      await reclaimEarlierStarts();
      const now = o.clock.now();
      const catchUps: string[] = [];
      for (const job of o.jobs) {
        if ('everyMs' in job.schedule) continue;
        if (o.catchUp === 'none') {
          seen.set(job.name, now);
          continue;
        }
        const last = await lastLease(o.db, job.name);
        // An unfinished last tick (its replica died) is due again once its lease expires.
        if (last) seen.set(job.name, last.done ? last.tick : new Date(last.tick.getTime() - 1));
        catchUps.push(job.name);
      }
      if (stopping) return;
      // Armed before the catch-up, so a long first sync does not hold up the other jobs.
      for (const job of o.jobs) {
        disarms.push(
          o.trigger.arm(job, ('cron' in job.schedule && job.schedule.timeZone) || o.timeZone, () => {
            fire(job.name).catch((error: unknown) => o.log.error({ err: error, job: job.name }, 'job could not start'));
          }),
        );
      }
      await Promise.all(catchUps.map((name) => fire(name)));
    },
    async stop() {
      stopping = true;
      await Promise.all(disarms.splice(0).map((d) => d()));
      await Promise.allSettled([...running.values()]);
      for (const claim of held) await releaseLease(o.db, claim, o.clock.now());
      held.clear();
    },
  };
}
