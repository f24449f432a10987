import type { App } from '../app.ts';
import { botJobs, leaseMs, type BotActions } from '../jobs/bot-jobs.ts';
import { createScheduler, type Scheduler } from '../jobs/scheduler.ts';
import { cronTrigger } from '../jobs/cron-trigger.ts';
import type { Trigger } from '../jobs/trigger.ts';
import type { TickRun } from '../jobs/scheduled-job.ts';
import type { Clock } from '../lib/clock.ts';

/** What a mode does on the alert ticks (the bot: Slack; local mode: the terminal); source syncs are the app's. */
export type ModeActions = Omit<BotActions, 'sync'>;

/** What wakes the jobs and the clock their ticks are read from; default node-cron on the app's clock. */
export interface ScheduleOptions {
  readonly trigger?: Trigger;
  readonly clock?: Clock;
}

/**
 * The jobs of `schedules:` on the scheduler, as the bot and local mode both run them: each
 * scheduled source sync (then an evaluation), the evaluation, and the outbox delivery. Evaluation
 * and delivery take turns, as they did in one loop, so a delivery never reads a tick half written;
 * syncs run beside them. The scheduler is returned unstarted: `start()` it, and `stop()` it to end.
 * @example const scheduler = scheduleJobs(app, { evaluate, deliver }); void scheduler.start(); … await scheduler.stop();
 */
export function scheduleJobs(app: App, actions: ModeActions, options: ScheduleOptions = {}): Scheduler {
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn);
    turn = next.catch(() => undefined);
    return next;
  };
  const { config } = app.config;
  const jobs = botJobs(
    config,
    {
      ...actions,
      sync: async (key) => (await app.ingest(key)).some((r) => r.status === 'succeeded'),
      evaluate: (lease) => inTurn(() => actions.evaluate(lease)),
      ...(actions.helpEvaluate ? { helpEvaluate: (lease: TickRun) => inTurn(() => actions.helpEvaluate!(lease)) } : {}),
      deliver: () => inTurn(() => actions.deliver()),
    },
    app.config.file,
  );
  return createScheduler({
    db: app.db,
    jobs,
    timeZone: config.timezone,
    catchUp: config.schedules.catch_up,
    leaseMs: leaseMs(config),
    clock: options.clock ?? app.clock,
    trigger: options.trigger ?? cronTrigger,
    log: app.log,
    ...(app.env.instanceId ? { instance: app.env.instanceId } : {}),
  });
}
