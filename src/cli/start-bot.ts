import type { App } from '../app.ts';
import { commandService } from '../commands/command-service.ts';
import { createSlackApp } from '../slack/slack-app.ts';
import { slackNotifier } from '../slack/slack-notifier.ts';
import { alertChart } from '../slack/alert-chart.ts';
import { renderChartPng, type SlackServices } from '../slack/slack-context.ts';
import type { CliIo } from './run-cli.ts';

/** How often the bot sends due notifications, and (until schedules land) evaluates the rules. */
const DELIVER_EVERY_MS = 5_000;
const EVALUATE_EVERY_MS = 15 * 60_000;

/**
 * The Slack bot: the Bolt app for /kpi, buttons and App Home, plus the loops that evaluate the
 * alert rules and deliver the outbox through Slack. Stops cleanly on SIGTERM or SIGINT: the
 * running tick or delivery finishes, then the app closes. Returns the exit code.
 */
export async function startBot(app: App, io: CliIo): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const now = async () => (app.env.asOf ? app.asOf() : app.clock.now());
  const locale = app.config.config.slack.locale;
  const services: SlackServices = { commands: commandService(app), alerts: app.alerts, config: app.config.config, log: app.log, now, chartPng: renderChartPng };
  const slack = createSlackApp(app.env, services);
  const deps = { db: app.db, kpis: app.kpis, calendar: app.calendar, alerts: app.config.config.alerts, targets: app.config.config.targets };
  const notifier = slackNotifier({
    client: slack.bolt.client,
    locale,
    chartFor: alertChart(deps, locale),
    marksFor: async (id) => {
      const card = await app.alerts.card(id, await now());
      return { acknowledgedBy: card?.acknowledgedBy, snoozed: card?.snoozed };
    },
  });
  if (app.config.isDefault && !(await app.hasData())) {
    // A trial with the bundled config: the demo data, as local mode would load it.
    say('crm-pulse: no data yet; loading the bundled demo data (10–20 s)');
    await app.ingestDemo();
  }
  await slack.start();
  say(`crm-pulse: Slack bot running (${slack.transport === 'socket' ? 'Socket Mode' : `HTTP on port ${app.env.port}, /slack/events`}); database ${app.db.displayUrl}`);

  let busy: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const run = (what: string, fn: () => Promise<unknown>) => {
    if (stopping) return;
    busy = busy.then(fn).catch((error: unknown) => app.log.error({ err: error }, `${what} failed`));
  };
  const evaluate = () => run('alert evaluation', async () => app.alerts.evaluate(await now()));
  const deliver = () => run('delivery', async () => app.alerts.deliver(notifier, await now()));
  evaluate();
  const timers = [setInterval(deliver, DELIVER_EVERY_MS), setInterval(evaluate, EVALUATE_EVERY_MS)];
  deliver();

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  stopping = true;
  for (const t of timers) clearInterval(t);
  await busy;
  await slack.stop();
  say('crm-pulse: stopped');
  return 0;
}
