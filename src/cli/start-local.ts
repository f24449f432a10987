import { clearLine, cursorTo } from 'node:readline';
import { createInterface } from 'node:readline/promises';
import { isBundledConfig, type App } from '../app.ts';
import type { CliIo } from './run-cli.ts';
import type { ProgressBars } from './progress-bars.ts';
import { formatIngest, formatStatus, formatStatusBrief } from './format-report.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { catchUpTicks } from '../alerts/catch-up-ticks.ts';
import { evaluateAndDeliver, formatOverview } from './alert-commands.ts';
import { scheduleJobs, type ModeActions, type ScheduleOptions } from './schedule-jobs.ts';
import type { Scheduler } from '../jobs/scheduler.ts';
import { askLocal } from './ask-local.ts';
import { localNotifier } from '../local/local-notifier.ts';
import { alertChartFile } from './alert-chart-file.ts';

/** What local mode needs besides the app. */
export interface LocalOptions {
  readonly asOf: string | undefined;
  readonly io: CliIo;
  readonly bars: ProgressBars;
  /** where the prompt writes chart PNGs (default ./out) */
  readonly outDir?: string;
  /**
   * what wakes the scheduled jobs while the prompt is open, and the clock their ticks are read
   * from (default: node-cron on the app's clock); `opened` receives the scheduler, so that tests
   * fire its ticks by hand
   */
  readonly schedule?: ScheduleOptions & { readonly opened?: (scheduler: Scheduler) => void };
}

/** What `help` at the prompt says. */
const PROMPT_HELP = `Type any /kpi command, with or without /kpi, as in Slack; charts are written as PNGs under the out folder:
  win_rate by region       a KPI this month, its changes, target and charts (赢单率 上月 按区域 works too)
  why won_revenue          what drove the change from last month, by region, owner, product…
  list | alerts | scorecard | segments | cohorts | /kpi help     and the rest of /kpi
Prompt commands:
  status                   sources, syncs and rejected rows (/kpi status: the Slack answer)
  ingest <source>          sync a configured source
  ingest --demo            reload the demo data
  quit                     leave
`;

/**
 * Local mode: crm-pulse without Slack. Creates the database, loads the demo data on the first
 * run, sets the clock to the end of the data, says what it did and what to try, and when the
 * terminal is interactive offers a prompt for commands. Returns the exit code.
 */
export async function startLocal(app: App, options: LocalOptions): Promise<number> {
  const { io } = options;
  const say = (text = '') => io.stdout.write(`${text}\n`);
  say('crm-pulse: local mode');
  say('  No Slack tokens are set, so nothing is posted to Slack. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) for the bot.');
  say(
    `  database: ${app.db.displayUrl} (${app.db.dialect})${app.migrationsApplied.length ? `, created (migrations ${app.migrationsApplied.join(', ')})` : ''}`,
  );
  say(`  config:   ${app.config.file}${isBundledConfig(app.config) ? ' (bundled demo config; copy it to crm-pulse.yaml to make it yours)' : ''}`);

  let code = 0;
  if (!(await app.hasData())) {
    code = await firstRun(app, options, say);
  }

  const asOf = await clockDate(app, options.asOf);
  say('');
  say(
    `Clock: ${asOf} (${options.asOf ? '--as-of' : app.env.asOf ? 'CRM_PULSE_AS_OF' : app.config.config.local.as_of ? 'local.as_of in the config' : 'the end of the data'}).${app.config.isDefault ? ' The demo data is from 2010-2017 and is stored with its real dates.' : ''}`,
  );
  say('');
  say(formatStatusBrief(await app.status(), app.calendar.timeZone));
  await showAlerts(app, options.asOf, say, options.outDir ?? 'out');
  say('');
  say('Try next:');
  say('  npx crm-pulse status            sources, last syncs, rejected rows with their reasons');
  say('  npx crm-pulse status --json     the same as JSON');
  say(
    isBundledConfig(app.config)
      ? '  npx crm-pulse ingest --demo     re-import the demo: nothing changes the second time'
      : '  npx crm-pulse ingest <source>   sync a source of the config again: unchanged rows stay unchanged',
  );
  say('  npx crm-pulse kpi               the KPI catalog; then e.g. npx crm-pulse kpi win_rate --period quarter --by office');
  say('  npx crm-pulse scorecard         the weighted scorecard against the bundled targets');
  say('  npx crm-pulse segments --as-of 2011-12-10    RFM segments of the Online Retail customers');
  say('  npx crm-pulse alerts            open alert episodes; then alerts ack <id>, alerts snooze <id> 4h, alerts silence …');
  say('  npx crm-pulse backtest --rule won_revenue_drop --from 2017-01-01 --to 2017-12-31   what a rule would have done');
  say('  npx crm-pulse --help            every command');
  if (!io.stdin.isTTY) return code;
  return prompt(app, options, code);
}

/**
 * The first start on an empty database. With the bundled config it loads the demo data; with the
 * user's own config it syncs the configured sources and never the demo, whose deals would mix
 * into every KPI. Returns the exit code so far.
 */
async function firstRun(app: App, options: LocalOptions, say: (text?: string) => void): Promise<number> {
  const progress = { progress: options.bars.forUnit };
  say('');
  let results;
  if (isBundledConfig(app.config)) {
    say('First run: loading the bundled demo data (Maven CRM pipeline, Online Retail invoices, and generated');
    say('tickets, survey answers and marketing spend linked to them). This takes 10–20 seconds.');
    results = await app.ingestDemo(progress).finally(() => options.bars.stop());
  } else {
    const keys = Object.keys(app.config.config.sources);
    if (keys.length === 0) {
      say(`No data yet, and ${app.config.file} names no sources: add one under sources:, or load the demo data with npx crm-pulse ingest --demo.`);
      return 0;
    }
    say(
      `First run: syncing the sources of ${app.config.file}: ${keys.join(', ')}. The demo data is not loaded (npx crm-pulse ingest --demo would add it to these).`,
    );
    results = [];
    try {
      for (const key of keys) results.push(...(await app.ingest(key, progress)));
    } finally {
      options.bars.stop();
    }
  }
  say(formatIngest(results));
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

/**
 * Evaluates the alert rules at the clock's date, the "now" the prompt answers at. The first time,
 * and after time passed, it first replays the evaluations missed since the last one (up to six
 * months), so that alerts which fired and resolved in between are told in order, as a bot that had
 * been running would have.
 */
async function showAlerts(app: App, asOf: string | undefined, say: (text?: string) => void, outDir: string): Promise<void> {
  const rules = Object.values(app.config.config.alerts.rules);
  if (rules.length === 0) return;
  const now = await app.asOf(asOf);
  const last = await app.alerts.lastTick();
  say('');
  if (last && last > now) {
    // Evaluating in the past would move every alert backwards in time; show the state as it is.
    say(`Alerts: last evaluated at ${last.toISOString().slice(0, 10)}, after this clock, so they are shown as they are.`);
    say('  To see what rules do at another date: npx crm-pulse backtest --rule <rule> --from <date> --to <date>');
    say('');
    say(formatOverview(await app.alerts.overview(now), now, app.calendar.timeZone));
    return;
  }
  const ticks = catchUpTicks(rules, app.calendar, last, now);
  say(
    ticks.length > 1
      ? `Alerts: ${rules.length} rules, replaying ${ticks.length} evaluations from ${ticks[0]!.toISOString().slice(0, 10)} to the clock; notifications go to ${app.env.notificationsFile}`
      : `Alerts: ${rules.length} rules evaluated at the clock; notifications go to ${app.env.notificationsFile}`,
  );
  if ((await evaluateTicks(app, ticks, say, outDir)) === 0) say('  nothing changed since the last evaluation');
  say('');
  say(formatOverview(await app.alerts.overview(now), now, app.calendar.timeZone));
}

/** Evaluates each tick in order, delivering what it queued through the local notifier; returns how many notifications were printed. */
async function evaluateTicks(app: App, ticks: readonly Date[], say: (text: string) => void, outDir: string): Promise<number> {
  let told = 0;
  for (const tick of ticks) {
    const report = await evaluateAndDeliver(
      app,
      tick,
      (text) => {
        told++;
        say(text);
      },
      { outDir },
    );
    for (const [rule, why] of report.errors) say(`  ⚠ rule ${rule} failed: ${why}`);
  }
  return told;
}

/**
 * What local mode does on the scheduler's alert ticks. The evaluation runs at the prompt's "now"
 * (the as-of date, else the end of the data), not at the scheduler's wall-clock tick: the data is
 * from the past. When a sync brought newer data, that "now" moves forward and the evaluations
 * passed over are replayed; when the last evaluation is after it (an earlier --as-of), nothing is
 * evaluated, since that would move every alert back in time.
 */
function localAlertJobs(app: App, asOf: string | undefined, start: Date, say: (text: string) => void, outDir: string): ModeActions {
  const rules = Object.values(app.config.config.alerts.rules);
  let clock = start;
  return {
    async evaluate() {
      if (rules.length === 0) return;
      const now = await app.asOf(asOf);
      const last = await app.alerts.lastTick();
      if (last && last > now) return;
      if (now > clock) say(`Clock: ${now.toISOString().slice(0, 10)} (new data moved the end of the data; answers use it too).`);
      clock = now;
      await evaluateTicks(app, catchUpTicks(rules, app.calendar, last, now), say, outDir);
    },
    async deliver() {
      await app.alerts.deliver(
        localNotifier(app.env.notificationsFile, (t) => say(t.trimEnd()), { chart: alertChartFile(app, outDir) }),
        await app.asOf(asOf),
      );
    },
  };
}

async function clockDate(app: App, flag: string | undefined): Promise<string> {
  const chosen = flag ?? app.env.asOf ?? app.config.config.local.as_of;
  if (chosen !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(chosen) || Number.isNaN(Date.parse(chosen))) {
      throw new CrmPulseError('usage', `[local] --as-of '${chosen}' is not a date`, { hint: 'write it as YYYY-MM-DD, e.g. --as-of 2017-12-31' });
    }
    return chosen;
  }
  return (await app.dataEnd())?.toISOString().slice(0, 10) ?? new Date().toISOString().slice(0, 10);
}

/**
 * An interactive prompt for commands, until `quit`, end of input or Ctrl+C. While it is open the
 * scheduled jobs of `schedules:` run as in bot mode, and what they notify is printed above the
 * prompt; they stop, waiting for a running job, when the prompt closes.
 */
async function prompt(app: App, options: LocalOptions, code: number): Promise<number> {
  const { io } = options;
  // Built first, so that a schedule naming an unknown source stops local mode before the prompt opens.
  const scheduler = scheduleJobs(
    app,
    localAlertJobs(app, options.asOf, await app.asOf(options.asOf), (text) => printAbove(text), options.outDir ?? 'out'),
    options.schedule ?? {},
  );
  const rl = createInterface({ input: io.stdin, output: io.stdout, prompt: 'crm-pulse> ' });
  // Whether the prompt waits for input. While a command runs there is no prompt to redraw: its
  // answer, then the prompt, come next.
  let waiting = false;
  const showPrompt = () => {
    waiting = true;
    rl.prompt(true);
  };
  const printAbove = (text: string) => {
    if (io.stdout.isTTY) {
      clearLine(io.stdout, 0);
      cursorTo(io.stdout, 0);
    } else if (waiting) io.stdout.write('\n');
    io.stdout.write(`${text}\n`);
    if (waiting) showPrompt();
  };
  const close = () => rl.close();
  rl.on('SIGINT', close); // Ctrl+C at the terminal
  process.once('SIGINT', close); // a signal from elsewhere
  io.stdout.write('\nType a /kpi command (win_rate by region, why won_revenue, /kpi help) or help, status, ingest <source>, ingest --demo, quit.\n');
  const { schedules } = app.config.config;
  const syncs = Object.entries(schedules.sync)
    .map(([key, cron]) => `, sync ${key} (${cron})`)
    .join('');
  io.stdout.write(
    `While it is open, the jobs of schedules: run as in bot mode: alert evaluation (${schedules.evaluate})${syncs}; alerts are printed as they fire.\n`,
  );
  showPrompt();
  const started = scheduler.start().catch((error: unknown) => printAbove(`⚠ the scheduled jobs could not start: ${(error as Error).message}`));
  options.schedule?.opened?.(scheduler);
  for await (const line of rl) {
    waiting = false;
    const [verb, arg] = line.trim().split(/\s+/);
    try {
      if (!verb) {
        // nothing typed
      } else if (verb === 'quit' || verb === 'exit') {
        break;
      } else if (verb === 'help') {
        io.stdout.write(PROMPT_HELP);
      } else if (verb === 'status') {
        io.stdout.write(`${formatStatus(await app.status(), app.calendar.timeZone)}\n`);
      } else if (verb === 'ingest') {
        const options2 = { progress: options.bars.forUnit };
        const results = await (arg === '--demo' ? app.ingestDemo(options2) : app.ingest(arg ?? '', options2)).finally(() => options.bars.stop());
        io.stdout.write(`${formatIngest(results)}\n`);
      } else {
        // Anything else is /kpi text: the same service as Slack's /kpi answers it.
        const answer = await askLocal(app, line, { asOf: options.asOf, outDir: options.outDir ?? 'out' });
        io.stdout.write(`${answer.text}\n`);
      }
    } catch (error) {
      io.stdout.write(`${(error as Error).message}\n`);
    }
    showPrompt();
  }
  waiting = false;
  rl.close();
  process.off('SIGINT', close);
  await scheduler.stop();
  await started;
  return code;
}
