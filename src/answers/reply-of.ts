import type { ChartInput } from '../charts/chart-input.ts';
import { nativeChart } from '../charts/native-chart.ts';
import type { Locale } from '../domain/locale.ts';
import { messages } from './messages.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

/** An answer: posted in the channel when asked (`post`), else shown to the caller only. */
export function answerReply(text: string, blocks: readonly ReplyBlock[], post: boolean, locale: Locale): Reply {
  return { text, blocks, visibility: post ? 'in_channel' : 'ephemeral', kind: 'answer', locale };
}

/** An error the caller can act on, shown to the caller only. */
export function errorReply(message: string, ctx: Pick<CommandContext, 'locale'>): Reply {
  const text = messages(ctx.locale).error(message);
  return { text, blocks: [{ kind: 'text', text }], visibility: 'ephemeral', kind: 'error', locale: ctx.locale };
}

/**
 * A chart block of a reply, with the chart's native form where Slack's data_visualization block
 * can draw it (src/charts/native-chart.ts), so that the adapters only read what the answer built.
 * @example chartBlock(trendInput, 'Win rate, 2017-01 – 2017-12') // { kind: 'chart', chart, alt, native: { type: 'line', … } }
 */
export function chartBlock(chart: ChartInput, alt: string): ReplyBlock {
  const native = nativeChart(chart);
  return native ? { kind: 'chart', chart, alt, native } : { kind: 'chart', chart, alt };
}
