import type { WebClient } from '@slack/web-api';
import type { ChartInput, Reply } from '../answers/reply.ts';
import type { Notifier } from '../alerts/notifier.ts';
import type { Digest, DigestDelivery } from '../digest/digest.ts';
import type { Logger } from '../lib/logger.ts';
import { renderReply } from './blocks/render-reply.ts';
import type { SlackMessage } from './blocks/check-block-limits.ts';
import { dataVisualizationBlock } from './blocks/native-blocks.ts';
import { channelDirectory } from './channel-directory.ts';
import { isInvalidBlocks, memoryRefusal, type NativeRefusal } from './native-refusal.ts';
import { slackError } from './slack-error.ts';

/** The event type of a digest's message metadata: it carries the digest's dedup key. */
export const DIGEST_METADATA_EVENT = 'crm_pulse_digest';

/** What the Slack digest notifier needs. */
export interface SlackDigestNotifierOptions {
  readonly client: WebClient;
  /** the digest as a reply, in the workspace's language, with its alert cards linked */
  readonly render: (digest: Digest) => Promise<Reply>;
  readonly chartPng: (chart: ChartInput) => Promise<Buffer>;
  /**
   * slack.charts: `native` and `both` draw the headline KPI (the most unusual) over the digest's
   * weeks as a data_visualization line in the message; the small multiples stay a PNG in the
   * thread in every mode. Default `png`.
   */
  readonly charts?: 'native' | 'png' | 'both';
  /** the workspace's refusal of native blocks (default: kept in memory) */
  readonly nativeRefusal?: NativeRefusal;
  readonly log?: Pick<Logger, 'warn'>;
}

/**
 * Sends digests to Slack: a manager's as a direct message with the app (conversations.open), a
 * channel's into the channel, each as one message with its small-multiples chart in the message's
 * thread. The message carries the dedup key as metadata, and the notifier looks for it before
 * posting, so a digest retried after a crash is not posted twice.
 * @example await app.digests.deliver(slackDigestNotifier({ client, render, chartPng }), now)
 */
export function slackDigestNotifier(options: SlackDigestNotifierOptions): Notifier<DigestDelivery> {
  const { client } = options;
  const mode = options.charts ?? 'png';
  const refusal = options.nativeRefusal ?? memoryRefusal();
  const channelId = channelDirectory(client);
  const call = async <T>(method: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw slackError(method, error);
    }
  };
  /** The conversation a target names: a user's DM with the app, a #name, or a channel ID. */
  const conversation = async (target: string): Promise<string> => {
    if (/^[UW][A-Z0-9]+$/.test(target)) {
      const dm = await call('conversations.open', () => client.conversations.open({ users: target }));
      return dm.channel!.id!;
    }
    return channelId(target);
  };

  return {
    name: 'slack',
    async deliver({ dedupKey, target, digest }) {
      const channel = await conversation(target);
      // A retry after a crash between posting and bookkeeping finds its message instead of posting again.
      const oldest = String(Date.parse(digest.builtAt) / 1000 - 60);
      const history = await call('conversations.history', () => client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
      const found = (history.messages ?? []).find(
        (m) => (m as { metadata?: { event_payload?: Record<string, unknown> } }).metadata?.event_payload?.dedup_key === dedupKey,
      );
      if (found?.ts) return { ref: `${channel}/${found.ts}` };
      const reply = await options.render(digest);
      const charts = reply.blocks.flatMap((b) => (b.kind === 'chart' ? [b] : []));
      const metadata = { event_type: DIGEST_METADATA_EVENT, event_payload: { dedup_key: dedupKey } };
      const post = (message: SlackMessage) => call('chat.postMessage', () => client.chat.postMessage({ channel, ...message, metadata } as never));
      const plain = renderReply(reply);
      const headline = mode !== 'png' && !(await refusal.refused()) ? headlineChart(reply) : undefined;
      let posted: Awaited<ReturnType<typeof post>>;
      try {
        posted = await post(headline ? withHeadline(plain, headline) : plain);
      } catch (error) {
        if (!headline || !isInvalidBlocks(error)) throw error;
        // Slack refused the block: the digest goes at once without it (its PNG follows in the
        // thread as always), and this workspace's messages skip the block from now on.
        posted = await post(plain);
        await refusal.mark((error as Error).message);
        options.log?.warn({ err: error }, '[slack] Slack refused a data_visualization block in a digest; digests go without it in this workspace from now on');
      }
      for (const c of charts) {
        const png = await options.chartPng(c.chart);
        await call('files.uploadV2', () =>
          client.filesUploadV2({
            channel_id: channel,
            thread_ts: posted.ts!,
            file: png,
            filename: `${c.chart.kind}.png`,
            title: c.chart.title,
            alt_text: c.alt,
          } as never),
        );
      }
      return { ref: `${channel}/${posted.ts}` };
    },
  };
}

/** The digest's headline line chart, from its small-multiples chart input: the first KPI charted. */
function headlineChart(reply: Reply) {
  for (const b of reply.blocks) if (b.kind === 'chart' && b.headline) return b.headline;
  return undefined;
}

/** The digest's message with the headline chart after the KPI table (before the movers and alerts), or last. */
function withHeadline(message: SlackMessage, chart: NonNullable<ReturnType<typeof headlineChart>>): SlackMessage {
  const blocks = [...(message.blocks ?? [])];
  const table = blocks.findIndex((b) => b.type === 'data_table' || (b.type === 'section' && JSON.stringify(b).includes('```')));
  blocks.splice(table < 0 ? blocks.length : table + 1, 0, { ...dataVisualizationBlock(chart), block_id: 'digest:headline' });
  return { ...message, blocks };
}
