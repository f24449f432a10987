import cron from 'node-cron';
import type { Trigger } from './trigger.ts';

/**
 * The production trigger: node-cron in the config time zone for cron jobs, a timer for interval
 * jobs. The scheduler itself decides which tick is due and guards against overlaps.
 */
export const cronTrigger: Trigger = {
  arm(job, timeZone, fire) {
    if ('everyMs' in job.schedule) {
      const timer = setInterval(fire, job.schedule.everyMs);
      return async () => clearInterval(timer);
    }
    const task = cron.schedule(job.schedule.cron.text, () => fire(), { timezone: timeZone, name: job.name });
    return async () => {
      await task.destroy();
    };
  },
};
