// One bot replica in its own process, for bench/replicas.ts: the app on the bench's PostgreSQL and
// the bot's jobs (scheduleJobs), the evaluation wired as src/cli/start-bot.ts wires it (evaluateTick
// under the tick's lease, helpTick when another replica holds it). Its clock reads a second before
// TICK until FIRE_AT (wall time), then TICK plus 10 ms, running on in real time; at FIRE_AT it fires
// the evaluation once. Prints JSON: its holder name, the outcome, its CPU time during the tick, and how late it was ready.
import { createApp } from '../src/app.ts';
import { scheduleJobs } from '../src/cli/schedule-jobs.ts';
import { readEnv } from '../src/config/env.ts';
import { manualTrigger } from '../src/jobs/trigger.ts';
import { createLogger } from '../src/lib/logger.ts';

const env = process.env;
const tick = new Date(env.TICK!);
const fireAt = Number(env.FIRE_AT);
// Before the scheduler has started the clock stays before the tick, so that a start slowed by load
// (past FIRE_AT) still finds the tick due.
let started = false;
const clock = { now: () => new Date(!started || Date.now() < fireAt ? tick.getTime() - 1_000 : tick.getTime() + 10 + Date.now() - fireAt) };
const app = await createApp(
  readEnv({ DATABASE_URL: env.URL, CRM_PULSE_CONFIG: env.CONFIG, CRM_PULSE_INSTANCE_ID: env.INSTANCE }),
  createLogger({ level: 'warn', format: 'json' }),
  clock,
);
const scheduler = scheduleJobs(
  app,
  {
    evaluate: async (lease) => void (await (lease ? app.alerts.evaluateTick(lease.tick, lease) : app.alerts.evaluate(clock.now()))),
    helpEvaluate: (lease) => app.alerts.helpTick(lease),
    deliver: async () => undefined,
  },
  { trigger: manualTrigger, clock },
);
await scheduler.start();
started = true;
const late = Math.max(0, Date.now() - fireAt);
await new Promise((r) => setTimeout(r, Math.max(0, fireAt - Date.now())));
const before = process.cpuUsage();
const outcome = await scheduler.fire('evaluate');
const used = process.cpuUsage(before);
// This process's CPU during the tick (the database server's is not in it).
const cpuMs = (used.user + used.system) / 1000;
await scheduler.stop();
await app.close();
console.log(JSON.stringify({ holder: scheduler.holder, outcome, cpuMs, late }));
