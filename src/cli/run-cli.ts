import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { App } from '../app.ts';
import { readEnv, type Env } from '../config/env.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { formatIngest, formatStatus } from './format-report.ts';
import { registerKpiCommands } from './kpi-commands.ts';
import { registerAnalysisCommands } from './analysis-commands.ts';
import { registerForecastCommand } from './forecast-command.ts';
import { registerClvCommand } from './clv-command.ts';
import { registerAlertCommands } from './alert-commands.ts';
import { registerAskCommand } from './ask-command.ts';
import { registerRejectsCommand, registerSourceCommands } from './source-commands.ts';
import { registerRollupCommands } from './rollup-commands.ts';

/** Opens the app for one command, runs `fn`, closes the app; fn's result is the exit code. */
export type WithApp = (opts: { config?: string; quiet?: boolean; readOnly?: boolean }, fn: (app: App) => Promise<number>) => Promise<void>;

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
}

/**
 * Runs the crm-pulse command line and returns the exit code: 0 done, 1 a sync failed,
 * 2 bad usage or config.
 * @example process.exitCode = await runCli(['status', '--json']);
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const print = (text: string) => io.stdout.write(`${text}\n`);
  let code = 0;
  // Heavy modules (the store, KPI engine, Slack, charts, PostgreSQL) load only inside the
  // commands that use them, so `--help` and a typo answer at once.
  const withApp: WithApp = async (opts, fn) => {
    const [{ createApp }, { createLogger }] = await Promise.all([import('../app.ts'), import('../lib/logger.ts')]);
    const env = envWith(readEnv(io.env), opts.config);
    const level = env.logLevelExplicit ? env.logLevel : opts.quiet ? 'warn' : 'info';
    const app = await createApp(env, createLogger({ level, ...(env.logFormat ? { format: env.logFormat } : {}) }), undefined, {
      readOnly: opts.readOnly === true,
    });
    try {
      code = await fn(app);
    } finally {
      await app.close();
    }
  };

  const program = new Command('crm-pulse')
    .description('CRM KPI alerts for Slack: ingest CRM data, compute KPIs, alert channels, answer /kpi.')
    .version(packageVersion(), '-V, --version', 'print the version of crm-pulse')
    .option('-c, --config <file>', 'config file (default: crm-pulse.yaml, else the bundled demo config)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError(true);

  program
    .command('ingest')
    .description('sync a configured source (CSV files, a CRM), or load the bundled demo data')
    .argument('[source]', 'the source key in the config')
    .option('--demo', 'load the bundled Maven CRM and Online Retail data plus generated tickets, surveys and spend')
    .option('--json', 'print the run results as JSON')
    .action(async (source: string | undefined, opts: { demo?: boolean; json?: boolean }) => {
      if (!opts.demo && !source) throw new CrmPulseError('usage', '[ingest] name a source, or pass --demo', { hint: 'crm-pulse ingest --demo' });
      await withApp({ ...program.opts(), quiet: true }, async (app) => {
        const bars = opts.json ? undefined : (await import('./progress-bars.ts')).progressBars(io.stderr);
        const options = bars ? { progress: bars.forUnit } : {};
        const results = await (opts.demo ? app.ingestDemo(options) : app.ingest(source!, options)).finally(() => bars?.stop());
        print(opts.json ? JSON.stringify(results, null, 2) : `${formatIngest(results)}\n\nNext: crm-pulse status`);
        return results.some((r) => r.status === 'failed') ? 1 : 0;
      });
    });

  program
    .command('status')
    .description('sources, last sync runs, rejected rows with examples, record counts')
    .option('--json', 'print JSON')
    .option('--as-of <date>', 'report as if today were this date (YYYY-MM-DD)')
    .action(async (opts: { json?: boolean; asOf?: string }) => {
      await withApp({ ...program.opts(), quiet: true, readOnly: true }, async (app) => {
        const report = await app.status();
        const asOf = opts.asOf ?? (await app.dataEnd())?.toISOString().slice(0, 10) ?? null;
        print(opts.json ? JSON.stringify({ asOf, ...report }, null, 2) : `as of: ${asOf ?? '-'}\n${formatStatus(report, app.calendar.timeZone)}`);
        return 0;
      });
    });

  program
    .command('start')
    .description('run crm-pulse: the Slack bot when SLACK_BOT_TOKEN is set, otherwise local mode')
    .option('--as-of <date>', 'local mode clock (YYYY-MM-DD); default: the end of the data')
    .action(async (opts: { asOf?: string }) => {
      await withApp({ ...program.opts(), quiet: true }, async (app) => {
        if (app.env.slackBotToken) return (await import('./start-bot.ts')).startBot(app, io);
        const [{ startLocal }, { progressBars }] = await Promise.all([import('./start-local.ts'), import('./progress-bars.ts')]);
        return startLocal(app, { asOf: opts.asOf, io, bars: progressBars(io.stderr) });
      });
    });

  registerKpiCommands(program, { withApp, print });
  registerAnalysisCommands(program, { withApp, print });
  registerForecastCommand(program, { withApp, print });
  registerClvCommand(program, { withApp, print });
  registerAlertCommands(program, { withApp, print });
  registerAskCommand(program, { withApp, print });
  registerSourceCommands(program, { withApp, print, io });
  registerRejectsCommand(program, { withApp, print, io });
  registerRollupCommands(program, { withApp, print });

  const config = program.command('config').description('check the config, or write its JSON Schema');
  config
    .command('check')
    .description('validate the config file and say which file is in use')
    .action(async () => {
      const [{ loadConfig }, { checkConfig }] = await Promise.all([import('../config/load-config.ts'), import('../app.ts')]);
      const env = envWith(readEnv(io.env), program.opts<{ config?: string }>().config);
      const loaded = loadConfig(env.configPath, { explicit: env.configPathExplicit });
      // Exactly what start checks, so that a config this passes is one start accepts.
      checkConfig(loaded);
      print(`${loaded.file}: ok (${Object.keys(loaded.config.sources).length} sources)${loaded.isDefault ? ' [bundled demo config]' : ''}`);
    });
  config
    .command('schema')
    .description('print the JSON Schema of crm-pulse.yaml, for editor completion')
    .option('--out <file>', 'write it to a file instead')
    .action(async (opts: { out?: string }) => {
      const { configJsonSchema } = await import('../config/config-schema.ts');
      const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, text);
      else io.stdout.write(text);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CrmPulseError) {
      io.stderr.write(`${error.message}\n`);
      return error.code === 'config' || error.code === 'usage' ? 2 : 1;
    }
    io.stderr.write(`crm-pulse: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

/** The version in package.json, two folders up from this file in the sources and in a build alike. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function envWith(env: Env, configPath: string | undefined): Env {
  return configPath ? { ...env, configPath, configPathExplicit: true } : env;
}
