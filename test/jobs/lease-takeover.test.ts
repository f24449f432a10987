// A restarted bot takes back its own unfinished work at once, on SQLite and PostgreSQL: a lease
// left by an earlier start of the same instance whose process is gone (a real child process that
// claimed the lease and then died) is taken over as soon as the new start begins, not after the
// lease's 10 minutes; a live process of the same instance and any other instance keep theirs.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { formatHolder, leaseHolder, parseHolder } from '../../src/jobs/lease-holder.ts';
import { manualTrigger } from '../../src/jobs/trigger.ts';
import type { ScheduledJob } from '../../src/jobs/scheduled-job.ts';
import { parseCron } from '../../src/lib/cron-expression.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { acquireLease, lastLease } from '../../src/store/job-leases.ts';
import type { Database } from '../../src/store/open-database.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb } from '../helpers/migrated-db.ts';

const NOW = new Date('2024-05-06T09:00:30Z');
const TICK = new Date('2024-05-06T09:00:00Z');
const LEASE_MS = 600_000;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A real process that has exited: its pid is gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

/** A real process that lives until the test ends. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  closers.push(async () => void child.kill());
  return child.pid!;
}

describe.each(ENGINES)('lease takeover on restart ($engine)', ({ create }) => {
  const setup = async () => {
    const test = await migratedDb(create);
    const db: Database = test.db;
    closers.push(() => test.close());
    const runs: string[] = [];
    const job: ScheduledJob = { name: 'evaluate', schedule: { cron: parseCron('0 9 * * *') }, run: async (tick) => void runs.push(tick.toISOString()) };
    const start = (instance: string) => {
      const s = createScheduler({
        db,
        jobs: [job],
        timeZone: 'UTC',
        catchUp: 'latest',
        leaseMs: LEASE_MS,
        clock: fixedClock(NOW),
        trigger: manualTrigger,
        log: silentLogger(),
        instance,
      });
      closers.push(() => s.stop());
      return s;
    };
    /** An earlier holder, as a crashed start left it: it claimed 09:00 a few seconds ago and never finished. */
    const crashed = async (instance: string, pid: number) => {
      const me = parseHolder(leaseHolder(instance))!;
      const holder = formatHolder({ ...me, pid, start: 'dead01' });
      expect(await acquireLease(db, { job: 'evaluate', tick: TICK, holder }, new Date(NOW.getTime() - 5_000), LEASE_MS)).toBe(true);
      return holder;
    };
    return { db, runs, start, crashed };
  };

  it('a new start of the same instance takes over the lease of its crashed predecessor at once and runs the tick once', async () => {
    const { db, runs, start, crashed } = await setup();
    await crashed('bot-a', await deadPid());
    const restarted = start('bot-a');
    await restarted.start();
    expect(runs).toEqual([TICK.toISOString()]);
    expect(await lastLease(db, 'evaluate')).toEqual({ tick: TICK, done: true });
    // A second replica starting afterwards finds the tick done: no double run.
    await start('bot-b').start();
    expect(runs).toEqual([TICK.toISOString()]);
  });

  it('a live process of the same instance, and any other instance, keep their leases until they expire', async () => {
    const { runs, start, crashed } = await setup();
    await crashed('bot-a', livePid());
    const sibling = start('bot-a');
    await sibling.start();
    expect(await sibling.fire('evaluate')).toBe('not-due');
    await start('bot-b').start();
    expect(runs).toEqual([]);
  });

  it('another instance does not take over a dead process’s lease before it expires', async () => {
    const { runs, start, crashed } = await setup();
    await crashed('bot-a', await deadPid());
    await start('bot-b').start();
    expect(runs).toEqual([]);
  });
});
