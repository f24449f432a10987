import { createHash } from 'node:crypto';
import { isBundledConfig, type App } from '../app.ts';
import { slackServices } from '../app/slack-services.ts';
import { preloadChartRenderer, renderChartPng } from '../charts/render-chart.ts';
import { answerCache, startOfMinute } from '../slack/answer-cache.ts';
import { commandService } from '../answers/command-service.ts';
import { createSlackApp } from '../slack/slack-app.ts';
import { createSlackClient } from '../slack/slack-client.ts';
import { waitForSlack } from '../slack/wait-for-slack.ts';
import { botNotifiers, storedRefusal } from '../app/bot-notifiers.ts';
import { installProcessHandlers } from '../lib/process-handlers.ts';
import { scheduleJobs, type ScheduleOptions } from './schedule-jobs.ts';
import type { CliIo } from './run-cli.ts';

/**
 * The Slack bot: the Bolt app for /kpi, buttons and App Home, plus the scheduled jobs of
 * `schedules:` (source syncs, alert evaluation, outbox delivery through Slack), each tick run once
 * across replicas. Stops cleanly on SIGTERM or SIGINT: running jobs finish and their leases are
 * released, then the app closes. Returns the exit code. `schedule` replaces what wakes the jobs and
 * their clock (node-cron on the app's clock by default); the soak test speeds both up.
 */
export async function startBot(app: App, io: CliIo, schedule: ScheduleOptions = {}): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  // A pinned CRM_PULSE_AS_OF fixes what the data says, not how time passes: delivery (retry
  // backoff, Retry-After, quiet-hour releases) runs on real elapsed time from the pinned moment,
  // else a retry due "30 s later" would never come and would hold its channel for good.
  const booted = app.clock.now().getTime();
  const deliveryNow = async () => (app.env.asOf ? new Date((await app.asOf()).getTime() + (app.clock.now().getTime() - booted)) : app.clock.now());
  // Production's Web API client (slack-client.ts) for the notifiers; Bolt builds its own with the same options.
  const client = createSlackClient(app.env, app.metrics);
  // One mark for answers, cards and digests: once Slack refuses a native block here, all skip it.
  const nativeRefusal = storedRefusal(app, client);
  // /kpi answers: SQLite reads on the reader thread, answers and their charts cached by (command,
  // as-of, data version, config) and shared while in flight. On the wall clock an answer is worked
  // out as of the start of its minute, so that the same question within a minute is one answer.
  app.offloadReads();
  const commands = commandService(app);
  const answers = answerCache({
    commands,
    dataVersion: () => app.dataVersion(),
    chartPng: renderChartPng,
    asOf: app.env.asOf ? undefined : startOfMinute,
    configKey: createHash('sha256').update(JSON.stringify(app.config.config)).digest('hex'),
  });
  // The first command starts loading the chart code, so that its first PNG does not wait for it.
  const run: typeof answers.run = (text, ctx) => (preloadChartRenderer(), answers.run(text, ctx));
  const services = slackServices(app, { commands: { ...commands, run }, chartPng: answers.chartPng, nativeRefusal });
  const now = services.now;
  const { alerts: notifier, digests: digestNotifier } = botNotifiers(app, client, now, nativeRefusal);
  // Built before start-up, so that a schedule naming an unknown source stops it at once.
  const scheduler = scheduleJobs(
    app,
    {
      evaluate: async (lease) => void (await (lease ? app.alerts.evaluateTick(await now(), lease) : app.alerts.evaluate(await now()))),
      helpEvaluate: (lease) => app.alerts.helpTick(lease),
      deliver: async () => {
        // One delivery loop for both outboxes; the pass's clock runs on in real time, so a retry
        // is timed from the failure itself.
        const offset = (await deliveryNow()).getTime() - app.clock.now().getTime();
        const clock = () => new Date(app.clock.now().getTime() + offset);
        await app.alerts.deliver(notifier, clock);
        await app.digests.deliver(digestNotifier, clock);
      },
      // A digest covers the week before its tick, so a catch-up after downtime still sends last week's.
      digest: async (name, tick) => void (await app.digests.run(name, app.env.asOf ? await now() : tick)),
    },
    schedule,
  );
  if (isBundledConfig(app.config) && !(await app.hasData())) {
    // A trial with the bundled config: the demo data, as local mode would load it.
    say('crm-pulse: no data yet; loading the bundled demo data (10–20 s)');
    await app.ingestDemo();
  }
  const stopSignal = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // Slack down at start-up is waited out with backoff (503 on /healthz meanwhile), not a crash.
  const identity = await waitForSlack(client, services, {
    port: app.env.port,
    stopped: stopSignal,
    onRetry: (message, waitMs, port) =>
      say(
        `crm-pulse: Slack is not reachable (${message.split('\n')[0]}); trying again in ${Math.ceil(waitMs / 1000)} s; /healthz on port ${port} answers 503 meanwhile`,
      ),
  });
  if (!identity) {
    say('crm-pulse: stopped');
    return 0;
  }
  const slack = createSlackApp(app.env, services, identity);
  // From here on a stray rejection must not take the bot down (policy: src/lib/process-handlers.ts).
  const uninstall = installProcessHandlers(process, app.log, (code) => process.exit(code));
  const port = (await slack.start()).port ?? app.env.port;
  say(
    `crm-pulse: Slack bot running (${slack.transport === 'socket' ? `Socket Mode; /healthz and /metrics on port ${port}` : `HTTP on port ${port}, /slack/events, /healthz, /metrics`}); database ${app.db.displayUrl}`,
  );

  const started = scheduler.start().catch((error: unknown) => app.log.error({ err: error }, 'the scheduler could not start'));
  await stopSignal;
  await scheduler.stop();
  await started;
  await slack.stop();
  uninstall();
  say('crm-pulse: stopped');
  return 0;
}
