import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { CrmPulseError } from '../lib/errors.ts';
import { formatRecords } from './format-report.ts';
import type { CliIo, WithApp } from './run-cli.ts';

/** What the source verbs need from the CLI: they ask for confirmation on stdin. */
export interface SourceCommandContext {
  readonly withApp: WithApp;
  readonly print: (text: string) => void;
  readonly io: CliIo;
}

/** Adds `remove-source <key>`: deletes one source's records after a confirmation (`--yes` skips it). */
export function registerSourceCommands(program: Command, ctx: SourceCommandContext): void {
  program
    .command('remove-source')
    .description("delete every record, sync run and rejected row of one source (e.g. the demo's, or a source removed from the config)")
    .argument('<source>', 'the source key, as status lists it')
    .option('-y, --yes', 'do not ask for confirmation (for scripts)')
    .action(async (key: string, opts: { yes?: boolean }) => {
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const report = await app.status();
        // A configured source that was never synced has nothing to remove.
        const withData = [...report.sources.filter((s) => s.units.length > 0 || Object.keys(s.records).length > 0), ...report.leftover];
        const source = withData.find((s) => s.key === key);
        if (!source) {
          const stored = withData.map((s) => s.key);
          throw new CrmPulseError('usage', `[cli] no data of a source '${key}' in ${report.database}`, {
            hint: stored.length ? `sources with data: ${stored.join(', ')}` : 'the database holds no source yet',
          });
        }
        const configured = key in app.config.config.sources;
        ctx.print(`Source ${key} (${source.name}): ${formatRecords(source.records)}.`);
        if (configured) ctx.print(`It is still in ${app.config.file}: the next sync loads it again.`);
        if (!opts.yes && !(await confirm(ctx.io, `Delete them from ${report.database}? This cannot be undone. [y/N] `))) {
          ctx.print('Nothing was deleted.');
          return 1;
        }
        const removed = await app.removeSource(key);
        ctx.print(
          removed
            ? `Removed source ${key}: ${formatRecords(removed.records)}, ${removed.runs.toLocaleString('en-US')} sync runs, ${removed.rejectedRows.toLocaleString('en-US')} rejected rows.`
            : `Source ${key} was already gone.`,
        );
        return 0;
      });
    });
}

/** Asks a yes/no question on the CLI's stdin; anything but y or yes (or the end of input) is no. */
async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: false });
  try {
    io.stdout.write(question);
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    if (!io.stdin.isTTY) io.stdout.write('\n');
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
