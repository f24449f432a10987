import type { App } from '../app.ts';
import { commandService } from '../answers/command-service.ts';
import type { Reply } from '../answers/reply.ts';
import type { Locale } from '../domain/locale.ts';
import { renderChartPng } from '../charts/render-chart.ts';
import { formatReply, type FormattedReply } from '../local/format-reply.ts';

/** Who asks in local mode, and where charts go. */
export interface AskOptions {
  /** the clock (YYYY-MM-DD): --as-of, else CRM_PULSE_AS_OF, local.as_of, the end of the data */
  readonly asOf?: string | undefined;
  /** where chart PNGs are written */
  readonly outDir: string;
  /** default: slack.locale of the config */
  readonly locale?: Locale | undefined;
  /** default true: the person at the terminal owns the data */
  readonly isAdmin?: boolean | undefined;
  /** default 'local' */
  readonly userId?: string | undefined;
}

/**
 * Runs one /kpi text the way Slack would, as the local user, at local mode's pinned clock, and
 * formats the answer for the terminal with its charts written as PNGs.
 * @example const { text } = await askLocal(app, 'win_rate by region', { outDir: 'out' });
 */
export async function askLocal(app: App, text: string, options: AskOptions): Promise<FormattedReply & { reply: Reply }> {
  const now = await app.asOf(options.asOf);
  const reply = await commandService(app).run(text, {
    userId: options.userId ?? 'local',
    isAdmin: options.isAdmin ?? true,
    locale: options.locale ?? app.config.config.slack.locale,
    now,
  });
  return { reply, ...(await formatReply(reply, { outDir: options.outDir, render: renderChartPng })) };
}
