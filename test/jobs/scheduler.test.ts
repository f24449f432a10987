import { afterEach, describe, expect, it } from 'vitest';
import { parseCron } from '../../src/lib/cron-expression.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Database } from '../../src/store/open-database.ts';
import { lastLease } from '../../src/store/job-leases.ts';
import { createScheduler, type SchedulerOptions } from '../../src/jobs/scheduler.ts';
import { manualTrigger } from '../../src/jobs/trigger.ts';
import type { ScheduledJob } from '../../src/jobs/scheduled-job.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

/** A clock the test moves by hand. */
function handClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now.getTime()), set: (iso) => (now = new Date(iso)) };
}

describe('the scheduler, driven by an injected clock', () => {
  let test: MigratedDb | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await test?.close();
  });
  const setup = async (jobs: ScheduledJob[], clock: Clock, extra: Partial<SchedulerOptions> = {}) => {
    test = await migratedDb();
    db = test.db;
    const options = {
      db,
      jobs,
      timeZone: 'Europe/London',
      catchUp: 'latest',
      leaseMs: 60_000,
      clock,
      trigger: manualTrigger,
      log: silentLogger(),
      ...extra,
    } as const;
    return { scheduler: createScheduler(options), replica: () => createScheduler(options) };
  };
  const recorder = (name: string, cron: string, runs: string[], extra: Partial<ScheduledJob> = {}): ScheduledJob => ({
    name,
    schedule: { cron: parseCron(cron) },
    run: async (tick) => void runs.push(`${name} ${tick.toISOString().slice(0, 16)}`),
    ...extra,
  });

  it('runs each tick once, in London time across the 2024-03-31 change, even when two schedulers share the database', async () => {
    const clock = handClock('2024-03-30T23:00:00Z');
    const runs: string[] = [];
    const { scheduler, replica } = await setup([recorder('evaluate', '30 1 * * *', runs)], clock, { catchUp: 'none' });
    const other = replica();
    await scheduler.start();
    await other.start();
    clock.set('2024-03-31T01:00:00.050Z'); // 02:00 BST: 01:30 did not exist today, so it runs now
    expect(await Promise.all([scheduler.fire('evaluate'), other.fire('evaluate')])).toEqual(expect.arrayContaining(['ran', 'taken']));
    expect(await scheduler.fire('evaluate')).toBe('not-due');
    clock.set('2024-04-01T00:30:00.020Z'); // 01:30 BST
    expect(await other.fire('evaluate')).toBe('ran');
    expect(await scheduler.fire('evaluate')).toBe('taken');
    expect(runs).toEqual(['evaluate 2024-03-31T01:00', 'evaluate 2024-04-01T00:30']);
  });

  it('catch_up latest: after downtime runs a missed job once, for its latest missed tick, not once per missed tick', async () => {
    const clock = handClock('2024-10-26T22:00:00Z');
    const runs: string[] = [];
    const { scheduler, replica } = await setup([recorder('sync:crm', '0 * * * *', runs)], clock);
    await scheduler.start(); // never ran before: the latest tick runs at once
    await scheduler.stop();
    clock.set('2024-10-27T05:10:00Z'); // down for seven hours across the change
    await replica().start();
    expect(runs).toEqual(['sync:crm 2024-10-26T22:00', 'sync:crm 2024-10-27T05:00']);
  });

  it('catch_up none: after downtime waits for the next tick', async () => {
    const clock = handClock('2024-10-27T05:10:00Z');
    const runs: string[] = [];
    const { scheduler } = await setup([recorder('sync:crm', '0 * * * *', runs)], clock, { catchUp: 'none' });
    await scheduler.start();
    expect(await scheduler.fire('sync:crm')).toBe('not-due');
    clock.set('2024-10-27T06:00:00.010Z');
    expect(await scheduler.fire('sync:crm')).toBe('ran');
    expect(runs).toEqual(['sync:crm 2024-10-27T06:00']);
  });

  it('never overlaps a job with itself, and evaluates after each successful sync', async () => {
    const clock = handClock('2024-06-03T07:59:00Z');
    const runs: string[] = [];
    let finish!: () => void;
    const slow = new Promise<void>((r) => (finish = r));
    const sync = recorder('sync:crm', '*/5 * * * *', runs, {
      followedBy: 'evaluate',
      run: async (tick) => {
        runs.push(`sync:crm ${tick.toISOString().slice(0, 16)}`);
        await slow;
        return true;
      },
    });
    const failing = recorder('sync:bad', '*/5 * * * *', runs, { followedBy: 'evaluate', run: async () => false });
    const { scheduler } = await setup([sync, failing, recorder('evaluate', '0 0 1 1 *', runs)], clock, { catchUp: 'none' });
    await scheduler.start();
    clock.set('2024-06-03T08:00:00.010Z');
    const first = scheduler.fire('sync:crm');
    clock.set('2024-06-03T08:05:00.010Z');
    expect(await scheduler.fire('sync:crm')).toBe('busy');
    expect(await scheduler.fire('sync:bad')).toBe('failed');
    clock.set('2024-06-03T08:06:30Z');
    finish();
    expect(await first).toBe('ran');
    expect(runs).toEqual(['sync:crm 2024-06-03T08:00', 'evaluate 2024-06-03T08:06']);
  });

  it('on stop waits for the running job, marks its tick done and fires nothing more', async () => {
    const clock = handClock('2024-06-03T07:59:00Z');
    const runs: string[] = [];
    let finish!: () => void;
    const slow = new Promise<void>((r) => (finish = r));
    const job = recorder('sync:crm', '0 * * * *', runs, {
      run: async () => {
        await slow;
        runs.push('finished');
      },
    });
    const { scheduler } = await setup([job], clock, { catchUp: 'none' });
    await scheduler.start();
    clock.set('2024-06-03T08:00:00.010Z');
    const running = scheduler.fire('sync:crm');
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(await running).toBe('ran');
    expect(runs).toEqual(['finished']);
    expect(await lastLease(db!, 'sync:crm')).toEqual({ tick: new Date('2024-06-03T08:00:00Z'), done: true });
    expect(await scheduler.fire('sync:crm')).toBe('stopped');
  });
});
