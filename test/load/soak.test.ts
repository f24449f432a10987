// The short soak: 75 s of one bot process running its scheduled jobs on a sped-up clock (sync,
// evaluation, delivery through the Slack notifier) while signed /kpi commands arrive through its
// HTTP receiver (test/load/soak-run.ts). Nothing may go wrong, every command is answered, and the
// bot's RSS after warm-up may not keep growing. The 10-minute soak is `npm run bench soak`.
import { describe, expect, it } from 'vitest';
import { runSoak } from './soak-run.ts';

/** Growth allowed from the first third of the samples after warm-up to the last third. */
const GROWTH_BOUND_PCT = 15;

describe('a soak of one bot process', () => {
  it('runs its ticks and answers every command without an error, and its RSS stops growing', async () => {
    const r = await runSoak({
      seconds: 75,
      warmupSeconds: 20,
      sampleEverySeconds: 2,
      commandEveryMs: 1500,
      virtualStart: '2017-03-20T00:00:00Z',
      virtualDaysPerMinute: 36.4,
    });
    expect(r.errors).toEqual([]);
    expect(r.commands.sent).toBeGreaterThanOrEqual(45);
    expect(r.commands).toEqual({ sent: r.commands.sent, acked: r.commands.sent, answered: r.commands.sent });
    // The clock ran through about 45 days from 20 March 2017 (a year in 10 minutes): an evaluation
    // at every wake-up that found a new 6-hour tick, a weekly sync of the four CSV files, and the
    // alerts of the April month end and of the weeks around it. (A run here: 42 evaluations, 36
    // sync runs, 30 cards.)
    expect(r.virtualDays).toBeGreaterThanOrEqual(40);
    expect(r.evaluations).toBeGreaterThanOrEqual(10);
    expect(r.syncs).toBeGreaterThanOrEqual(4 * 4);
    expect(r.notificationsPosted).toBeGreaterThan(0);
    expect(r.samples.filter((s) => s.t >= 20).length).toBeGreaterThanOrEqual(25);
    expect(r.growthPct).toBeLessThanOrEqual(GROWTH_BOUND_PCT);
  }, 170_000);
});
