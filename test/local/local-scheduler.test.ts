// Local mode runs the jobs of `schedules:` while its prompt is open, as the bot does, and prints
// what they notify above the prompt. The scheduler's trigger and clock are the test's: it fires
// the ticks by hand, so nothing here waits on a timer.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/run-cli.ts';
import { progressBars } from '../../src/cli/progress-bars.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Scheduler } from '../../src/jobs/scheduler.ts';
import { manualTrigger } from '../../src/jobs/trigger.ts';
import { startLocal } from '../../src/cli/start-local.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';

// The crm source syncs hourly; nothing missed is caught up at start, so only the test's ticks run.
const SCHEDULES = `
schedules:
  sync: { crm: '0 * * * *' }
  evaluate: '*/15 * * * *'
  catch_up: none
`;

/** A clock the test moves by hand: the scheduler's wall clock, not the data's. */
function handClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now.getTime()), set: (iso) => (now = new Date(iso)) };
}

/** A terminal: stdin a TTY, so the prompt opens; everything written to stdout kept. */
function terminal() {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = true;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  stderr.resume();
  return { io: { env: {}, stdin, stdout, stderr } as unknown as CliIo, stdin, output: () => out };
}

/** Local mode with the test's trigger and clock; resolves the scheduler once the prompt is open. */
function startWithScheduler(f: Fixture, asOf: string | undefined, clock: Clock) {
  const t = terminal();
  let opened!: (s: Scheduler) => void;
  const scheduler = new Promise<Scheduler>((r) => (opened = r));
  const done = startLocal(f.app, {
    asOf,
    io: t.io,
    bars: progressBars(t.io.stderr),
    outDir: join(f.dir, 'out'),
    schedule: { trigger: manualTrigger, clock, opened },
  });
  return { ...t, scheduler, done };
}

const count = (text: string, part: string) => text.split(part).length - 1;

type Fixture = Awaited<ReturnType<typeof alertFixture>>;
let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('local mode: alerts from the scheduler appear as they fire', () => {
  it('a scheduled sync brings October, the clock moves to the end of the new data, and the drop is printed once above the prompt', async () => {
    f = await alertFixture(`${DROP_RULES}${SCHEDULES}`);
    const clock = handClock('2026-01-05T10:20:00Z');
    const local = startWithScheduler(f, undefined, clock);
    const scheduler = await local.scheduler;
    const before = local.output();
    // The data ends on 16 September: the replay at start tells June's drop, and nothing about October.
    expect(before).toContain('Clock: 2024-09-16 (the end of the data)');
    expect(before).toContain('While it is open, the jobs of schedules: run as in bot mode: alert evaluation (*/15 * * * *), sync crm (0 * * * *)');
    expect(before).not.toContain('2024-10');

    // October arrives in the CRM export: West sells 20 against 100 in September; a deal on 1 November ends the data.
    appendFileSync(
      join(f.dir, 'deals.csv'),
      '28,won,20,ann,2024-10-01,2024-10-15\n29,won,100,bob,2024-10-01,2024-10-15\n30,won,100,bob,2024-11-01,2024-11-01\n',
    );
    clock.set('2026-01-05T11:00:00.010Z');
    expect(await scheduler.fire('sync:crm')).toBe('ran'); // the sync, then the evaluation that follows it

    const after = local.output().slice(before.length);
    expect(after).toContain('Clock: 2024-11-01 (new data moved the end of the data; answers use it too).');
    const fired = ['🔴 FIRING critical · #alerts · Won revenue · region West · 2024-10', '🔴 FIRING critical · #leads · Won revenue · region West · 2024-10'];
    for (const head of fired) expect(count(after, head), head).toBe(1);
    expect(after).toContain('   Won revenue 20: dropped 80.0% vs 2024-09 (critical at a drop of 50%)');
    // printed on a line of its own, and the prompt drawn again below it
    expect(after).toMatch(/^crm-pulse> \n🔴 FIRING critical · #alerts/m);
    expect(after.trimEnd().endsWith('crm-pulse>')).toBe(true);

    // Later ticks at the same "now" tell nothing again, and the delivery finds nothing left to send.
    clock.set('2026-01-05T11:15:00.010Z');
    expect(await scheduler.fire('evaluate')).toBe('ran');
    expect(await scheduler.fire('deliver')).toBe('ran');
    for (const head of fired) expect(count(local.output(), head), head).toBe(1);
    const jsonl = readFileSync(join(f.dir, 'notifications.jsonl'), 'utf8');
    expect(count(jsonl, '"period":"2024-10"')).toBe(2);

    // The prompt answers at the same "now": this month is November, the month judged October.
    local.stdin.write('won_revenue last month by region\n');
    local.stdin.end('quit\n');
    expect(await local.done).toBe(0);
    expect(local.output()).toContain('\nWon revenue · October 2024\n');
    // quitting stopped the scheduler
    expect(await scheduler.fire('evaluate')).toBe('stopped');
  });

  it('data synced from elsewhere (crm-pulse ingest in another terminal) is told at the next evaluation tick, once', async () => {
    f = await alertFixture(`${DROP_RULES}${SCHEDULES}`);
    const clock = handClock('2026-01-05T10:20:00Z');
    const local = startWithScheduler(f, undefined, clock);
    const scheduler = await local.scheduler;
    appendFileSync(
      join(f.dir, 'deals.csv'),
      '28,won,20,ann,2024-10-01,2024-10-15\n29,won,100,bob,2024-10-01,2024-10-15\n30,won,100,bob,2024-11-01,2024-11-01\n',
    );
    expect((await f.app.ingest('crm')).every((r) => r.status === 'succeeded')).toBe(true);
    const head = '🔴 FIRING critical · #leads · Won revenue · region West · 2024-10';
    expect(local.output()).not.toContain(head);
    clock.set('2026-01-05T10:30:00.010Z');
    expect(await scheduler.fire('evaluate')).toBe('ran');
    clock.set('2026-01-05T10:45:00.010Z');
    expect(await scheduler.fire('evaluate')).toBe('ran');
    expect(count(local.output(), head)).toBe(1);
    local.stdin.end('quit\n');
    expect(await local.done).toBe(0);
  });

  it('with --as-of before the last evaluation, a scheduled tick does not move the alerts back in time; end of input stops it', async () => {
    f = await alertFixture(`${DROP_RULES}${SCHEDULES}`);
    await f.app.alerts.evaluate(at('2024-09-16T00:00:00Z'));
    const clock = handClock('2026-01-05T10:20:00Z');
    const local = startWithScheduler(f, '2024-04-30', clock);
    const scheduler = await local.scheduler;
    expect(local.output()).toContain('Alerts: last evaluated at 2024-09-16, after this clock, so they are shown as they are.');
    const before = local.output();
    clock.set('2026-01-05T10:30:00.010Z');
    expect(await scheduler.fire('evaluate')).toBe('ran');
    expect(await f.app.alerts.lastTick()).toEqual(at('2024-09-16T00:00:00Z'));
    expect(local.output()).toBe(before);
    local.stdin.end();
    expect(await local.done).toBe(0);
    expect(await scheduler.fire('evaluate')).toBe('stopped');
  });
});
