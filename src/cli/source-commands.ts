import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { CrmPulseError } from '../lib/errors.ts';
import type { RejectedRowRecord } from '../store/rejected-rows.ts';
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

/** Adds `rejects <source>`: every rejected row with its line, reason and raw text, as text, CSV or JSON. */
export function registerRejectsCommand(program: Command, ctx: SourceCommandContext): void {
  program
    .command('rejects')
    .description('list or export every rejected row of a source: file, line, kind, reason and the raw text')
    .argument('<source>', 'the source key, as status lists it')
    .option('--kind <kind>', 'only this kind: duplicate, invalid, missing, reference, unreadable, shape')
    .option('--format <format>', 'text, csv or json', 'text')
    .option('--out <file>', 'write to a file instead of the terminal')
    .action(async (key: string, opts: { kind?: string; format: string; out?: string }) => {
      if (!['text', 'csv', 'json'].includes(opts.format)) {
        throw new CrmPulseError('usage', `[cli] --format '${opts.format}' is not an output format`, { hint: 'use text, csv or json' });
      }
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const rows = await app.rejectedRows(key, opts.kind ? { kind: opts.kind } : {});
        if (!rows) {
          throw new CrmPulseError('usage', `[cli] no source '${key}' in the database`, { hint: 'crm-pulse status lists the sources' });
        }
        const text = opts.format === 'json' ? JSON.stringify(rows, null, 2) : opts.format === 'csv' ? rejectsCsv(rows) : rejectsText(key, rows);
        if (opts.out) {
          writeFileSync(opts.out, `${text}\n`);
          ctx.print(`${rows.length.toLocaleString('en-US')} rejected rows of ${key} written to ${opts.out}`);
        } else ctx.print(text);
        return 0;
      });
    });
}

function rejectsText(key: string, rows: readonly RejectedRowRecord[]): string {
  if (rows.length === 0) return `${key}: no rejected rows`;
  const lines = rows.map((r) => `${r.file}${r.line ? `:${r.line}` : ''}  ${r.kind}  ${r.reason}\n    ${r.raw}`);
  return [`${key}: ${rows.length.toLocaleString('en-US')} rejected rows`, ...lines].join('\n');
}

/** RFC 4180 CSV: a field with a comma, quote or line break is quoted, quotes doubled. */
function rejectsCsv(rows: readonly RejectedRowRecord[]): string {
  const field = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['object', 'file', 'line', 'kind', 'reason', 'raw'];
  return [header.join(','), ...rows.map((r) => [r.object, r.file, r.line, r.kind, r.reason, r.raw].map(field).join(','))].join('\n');
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
