import type { Command } from 'commander';
import { CrmPulseError } from '../lib/errors.ts';
import type { KpiCommandContext } from './kpi-commands.ts';
import { isLocale, LOCALES } from '../domain/locale.ts';

/** Adds `ask "<text>"`: one /kpi command, answered as local mode answers it. */
export function registerAskCommand(program: Command, ctx: KpiCommandContext): void {
  program
    .command('ask')
    .description('answer one /kpi command as Slack would (e.g. ask "win_rate by region"); charts are written as PNGs under --out')
    .argument('<text...>', 'the /kpi text, with or without the leading /kpi')
    .option('--as-of <date>', 'the clock (YYYY-MM-DD); default: the end of the data')
    .option('--locale <en|zh>', 'answer in English or Chinese (default: slack.locale in the config)')
    .option('--user <id>', 'who asks (default: local)')
    .option('--not-admin', 'ask as someone who may not run target, subscribe, silence or ack')
    .option('--out <dir>', 'where chart PNGs go', 'out')
    .option('--json', 'print the reply as JSON (its charts are still written)')
    .action(async (words: string[], opts: { asOf?: string; locale?: string; user?: string; notAdmin?: boolean; out: string; json?: boolean }) => {
      const { locale } = opts;
      if (locale !== undefined && !isLocale(locale)) {
        throw new CrmPulseError('usage', `[ask] --locale '${locale}' is not a language crm-pulse speaks`, { hint: `use ${LOCALES.join(' or ')}` });
      }
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const { askLocal } = await import('./ask-local.ts');
        const answer = await askLocal(app, words.join(' '), {
          asOf: opts.asOf,
          outDir: opts.out,
          locale,
          isAdmin: !opts.notAdmin,
          userId: opts.user,
        });
        ctx.print(opts.json ? JSON.stringify({ ...answer.reply, files: answer.files }, null, 2) : answer.text);
        return answer.reply.kind === 'answer' ? 0 : 2;
      });
    });
}
