import type { WebClient } from '@slack/web-api';
import type { Delivery, Notifier } from '../alerts/notifier.ts';
import type { Locale } from '../commands/reply.ts';
import type { AlertNotification } from '../domain/alert.ts';
import { alertCard, threadLine, type CardMarks } from './blocks/alert-card.ts';
import { channelDirectory } from './channel-directory.ts';
import { slackError } from './slack-error.ts';

/** The event type of crm-pulse's message metadata: it carries the dedup key of each post. */
export const METADATA_EVENT = 'crm_pulse_alert';

/** What the Slack notifier needs. */
export interface SlackNotifierOptions {
  readonly client: WebClient;
  readonly locale: Locale;
  /** the chart of an episode, uploaded into the card's thread when it fires */
  readonly chartFor?: ((n: AlertNotification) => Promise<{ png: Buffer; title: string } | undefined>) | undefined;
  /** acknowledgements and snoozes shown on the card when it is edited */
  readonly marksFor?: ((episodeId: number) => Promise<CardMarks>) | undefined;
  /** least time between two posts to one channel; Slack allows about one a second */
  readonly perChannelMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
}

/**
 * Delivers alert notifications to Slack. The first notification of an episode in a channel posts
 * its card (and the chart in its thread); later ones edit the card (chat.update) and add a line in
 * the thread. Each post carries its dedup key as message metadata, and the notifier looks for it
 * before posting, so a notification retried after a crash is not posted twice.
 * @example deliverOutbox(db, slackNotifier({ client, locale: 'en' }), now, log)
 */
export function slackNotifier(options: SlackNotifierOptions): Notifier {
  const { client } = options;
  const spacing = options.perChannelMs ?? 1100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = options.clock ?? Date.now;
  const lastPost = new Map<string, number>();

  const call = async <T>(method: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw slackError(method, error);
    }
  };
  /**
   * Waits so that posts to one channel stay about a second apart, counted from when the last post
   * finished: Slack may receive a post any time before it answers, and channels are delivered
   * side by side, so the moment a post was sent says too little.
   */
  const pace = async (channel: string) => {
    const wait = (lastPost.get(channel) ?? 0) + spacing - clock();
    if (wait > 0) await sleep(wait);
  };
  const posted = (channel: string) => lastPost.set(channel, clock());
  const channelId = channelDirectory(client);
  const metadata = (n: AlertNotification) => ({ event_type: METADATA_EVENT, event_payload: { dedup_key: n.dedupKey, episode_id: n.episodeId } });
  const carries = (m: { metadata?: { event_payload?: Record<string, unknown> } }, key: string) => m.metadata?.event_payload?.dedup_key === key;

  return {
    name: 'slack',
    async deliver(n, thread): Promise<Delivery> {
      const marks = (await options.marksFor?.(n.episodeId)) ?? {};
      if (thread) {
        const [channel, ts] = thread.split('/') as [string, string];
        try {
          await call('chat.update', () => client.chat.update({ channel, ts, ...alertCard(n, options.locale, marks) } as never));
        } catch (error) {
          // Someone deleted the card: as Alertmanager and Grafana do, the alert is shown again, as
          // a new card in its current state, which later events then edit (the new ref is kept).
          if (!/: message_not_found\b/.test((error as Error).message)) throw error;
          return postCard(n, marks);
        }
        const replies = await call('conversations.replies', () => client.conversations.replies({ channel, ts, include_all_metadata: true, limit: 200 }));
        if (!(replies.messages ?? []).some((m) => carries(m as never, n.dedupKey))) {
          await pace(channel);
          await call('chat.postMessage', () => client.chat.postMessage({ channel, thread_ts: ts, ...threadLine(n, options.locale), metadata: metadata(n) } as never)).finally(() => posted(channel));
        }
        return { ref: thread };
      }
      return postCard(n, marks);
    },
  };

  /** Posts the episode's card in its channel unless a retried delivery already did, and the chart in its thread. */
  async function postCard(n: AlertNotification, marks: CardMarks): Promise<Delivery> {
    const channel = await channelId(n.channel);
    const oldest = String(Math.floor(Date.parse(n.since) / 1000) - 3600);
    const history = await call('conversations.history', () => client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
    let ts = (history.messages ?? []).find((m) => carries(m as never, n.dedupKey))?.ts;
    if (!ts) {
      await pace(channel);
      const card = await call('chat.postMessage', () => client.chat.postMessage({ channel, ...alertCard(n, options.locale, marks), metadata: metadata(n) } as never)).finally(() => posted(channel));
      ts = card.ts!;
    }
    if (n.event === 'firing' && options.chartFor) await uploadChartOnce(channel, ts, n);
    return { ref: `${channel}/${ts}` };
  }

  /** Uploads the chart into the card's thread unless a retried delivery already did. */
  async function uploadChartOnce(channel: string, ts: string, n: AlertNotification): Promise<void> {
    const replies = await call('conversations.replies', () => client.conversations.replies({ channel, ts, limit: 200 }));
    if ((replies.messages ?? []).some((m) => (m.files ?? []).length > 0)) return;
    const chart = await options.chartFor!(n);
    if (!chart) return;
    // files.uploadV2: files.getUploadURLExternal → POST of the bytes → files.completeUploadExternal
    // with channel_id and thread_ts (files.upload was retired in November 2025).
    await call('files.uploadV2', () =>
      client.filesUploadV2({ channel_id: channel, thread_ts: ts, file: chart.png, filename: `${n.kpi}-${n.episodeId}.png`, title: chart.title } as never),
    );
  }
}
