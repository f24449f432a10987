import type { WebClient } from '@slack/web-api';
import type { ChartInput } from '../charts/chart-input.ts';
import type { Reply } from '../commands/reply.ts';
import type { Digest } from '../digest/digest.ts';
import type { DigestNotifier } from '../digest/digest-notifier.ts';
import { renderReply } from './blocks/render-reply.ts';
import { channelDirectory } from './channel-directory.ts';
import { slackError } from './slack-error.ts';

/** The event type of a digest's message metadata: it carries the digest's dedup key. */
export const DIGEST_METADATA_EVENT = 'crm_pulse_digest';

/** What the Slack digest notifier needs. */
export interface SlackDigestNotifierOptions {
  readonly client: WebClient;
  /** the digest as a reply, in the workspace's language, with its alert cards linked */
  readonly render: (digest: Digest) => Promise<Reply>;
  readonly chartPng: (chart: ChartInput) => Promise<Buffer>;
}

/**
 * Sends digests to Slack: a manager's as a direct message with the app (conversations.open), a
 * channel's into the channel, each as one message with its small-multiples chart in the message's
 * thread. The message carries the dedup key as metadata, and the notifier looks for it before
 * posting, so a digest retried after a crash is not posted twice.
 * @example await app.digests.deliver(slackDigestNotifier({ client, render, chartPng }), now)
 */
export function slackDigestNotifier(options: SlackDigestNotifierOptions): DigestNotifier {
  const { client } = options;
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
      const found = (history.messages ?? []).find((m) => (m as { metadata?: { event_payload?: Record<string, unknown> } }).metadata?.event_payload?.dedup_key === dedupKey);
      if (found?.ts) return { ref: `${channel}/${found.ts}` };
      const reply = await options.render(digest);
      const charts = reply.blocks.flatMap((b) => (b.kind === 'chart' ? [b] : []));
      const metadata = { event_type: DIGEST_METADATA_EVENT, event_payload: { dedup_key: dedupKey } };
      const posted = await call('chat.postMessage', () => client.chat.postMessage({ channel, ...renderReply(reply), metadata } as never));
      for (const c of charts) {
        const png = await options.chartPng(c.chart);
        await call('files.uploadV2', () =>
          client.filesUploadV2({ channel_id: channel, thread_ts: posted.ts!, file: png, filename: `${c.chart.kind}.png`, title: c.chart.title, alt_text: c.alt } as never),
        );
      }
      return { ref: `${channel}/${posted.ts}` };
    },
  };
}
