import { createInterface } from 'node:readline/promises';
import type { App } from '../app.ts';
import type { CliIo } from '../cli/run-cli.ts';
import type { ProgressBars } from '../cli/progress-bars.ts';
import { formatIngest, formatStatus, formatStatusBrief } from '../cli/format-report.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { catchUpTicks } from '../alerts/catch-up-ticks.ts';
import { evaluateAndDeliver, formatOverview } from '../cli/alert-commands.ts';
import { askLocal } from './ask-local.ts';

/** What local mode needs besides the app. */
export interface LocalOptions {
  readonly asOf: string | undefined;
  readonly io: CliIo;
  readonly bars: ProgressBars;
  /** where the prompt writes chart PNGs (default ./out) */
  readonly outDir?: string;
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
  say(`  database: ${app.db.displayUrl} (${app.db.dialect})${app.migrationsApplied.length ? `, created (migrations ${app.migrationsApplied.join(', ')})` : ''}`);
  say(`  config:   ${app.config.file}${app.config.isDefault ? ' (bundled demo config; copy it to crm-pulse.yaml to make it yours)' : ''}`);

  let code = 0;
  if (!(await app.hasData())) {
    say('');
    say('First run: loading the bundled demo data (Maven CRM pipeline, Online Retail invoices, and generated');
    say('tickets, survey answers and marketing spend linked to them). This takes 10–20 seconds.');
    const results = await app.ingestDemo({ progress: options.bars.forUnit }).finally(() => options.bars.stop());
    say(formatIngest(results));
    if (results.some((r) => r.status === 'failed')) code = 1;
  }

  const asOf = await clockDate(app, options.asOf);
  say('');
  say(`Clock: ${asOf} (${options.asOf ? '--as-of' : app.env.asOf ? 'CRM_PULSE_AS_OF' : app.config.config.local.as_of ? 'local.as_of in the config' : 'the end of the data'}). The demo data is from 2010-2017 and is stored with its real dates.`);
  say('');
  say(formatStatusBrief(await app.status()));
  await showAlerts(app, say);
  say('');
  say('Try next:');
  say('  npx crm-pulse status            sources, last syncs, rejected rows with their reasons');
  say('  npx crm-pulse status --json     the same as JSON');
  say('  npx crm-pulse ingest --demo     re-import the demo: nothing changes the second time');
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
 * Evaluates the alert rules at the clock's date. The first time, and after time passed, it first
 * replays the evaluations missed since the last one (up to six months), so that alerts which
 * fired and resolved in between are told in order, as a bot that had been running would have.
 */
async function showAlerts(app: App, say: (text?: string) => void): Promise<void> {
  const rules = Object.values(app.config.config.alerts.rules);
  if (rules.length === 0) return;
  const now = await app.asOf();
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
  let told = 0;
  for (const tick of ticks) {
    const report = await evaluateAndDeliver(app, tick, (text) => {
      told++;
      say(text);
    });
    for (const [rule, why] of report.errors) say(`  ⚠ rule ${rule} failed: ${why}`);
  }
  if (told === 0) say('  nothing changed since the last evaluation');
  say('');
  say(formatOverview(await app.alerts.overview(now), now, app.calendar.timeZone));
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

/** An interactive prompt for commands, until `quit` or end of input. */
async function prompt(app: App, options: LocalOptions, code: number): Promise<number> {
  const { io } = options;
  const rl = createInterface({ input: io.stdin, output: io.stdout, prompt: 'crm-pulse> ' });
  io.stdout.write('\nType a /kpi command (win_rate by region, why won_revenue, /kpi help) or help, status, ingest <source>, ingest --demo, quit.\n');
  rl.prompt();
  for await (const line of rl) {
    const [verb, arg] = line.trim().split(/\s+/);
    try {
      if (!verb) {
        // nothing typed
      } else if (verb === 'quit' || verb === 'exit') {
        break;
      } else if (verb === 'help') {
        io.stdout.write(PROMPT_HELP);
      } else if (verb === 'status') {
        io.stdout.write(`${formatStatus(await app.status())}\n`);
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
    rl.prompt();
  }
  rl.close();
  return code;
}
