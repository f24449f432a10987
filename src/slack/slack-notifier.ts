import type { WebClient } from '@slack/web-api';
import type { Delivery, Notifier } from '../alerts/notifier.ts';
import type { NativeChart } from '../answers/reply.ts';
import type { Locale } from '../domain/locale.ts';
import type { AlertNotification } from '../domain/alert.ts';
import type { Logger } from '../lib/logger.ts';
import { alertCard, threadLine, type CardChart, type CardMarks } from './blocks/alert-card.ts';
import { channelDirectory } from './channel-directory.ts';
import { isInvalidBlocks, memoryRefusal, type NativeRefusal } from './native-refusal.ts';
import { slackError } from './slack-error.ts';

/** The event type of crm-pulse's message metadata: it carries the dedup key of each post. */
export const METADATA_EVENT = 'crm_pulse_alert';

/** An alert's chart for its card: the PNG (or how to render it), and the native line where it fits. */
export interface NotifierChart {
  readonly title: string;
  readonly png: Buffer | (() => Promise<Buffer>);
  /** the KPI's line for a data_visualization block, when it fits one */
  readonly native?: NativeChart | undefined;
  /** what the native line does not draw, in words */
  readonly note?: string | undefined;
}

/** What the Slack notifier needs. */
export interface SlackNotifierOptions {
  readonly client: WebClient;
  readonly locale: Locale;
  /** the chart of an episode at its event (app/alert-chart.ts: alertCardChart, given by the composition root) */
  readonly chartFor?: ((n: AlertNotification) => Promise<NotifierChart | undefined>) | undefined;
  /**
   * slack.charts: `native` draws the KPI's line in the card (a PNG in the thread only when the
   * block cannot draw it), `png` uploads the PNG into the card's thread when it fires, `both`
   * does both. Default `png`, the card without native blocks.
   */
  readonly charts?: 'native' | 'png' | 'both';
  /** the workspace's refusal of native blocks (default: kept in memory) */
  readonly nativeRefusal?: NativeRefusal;
  readonly log?: Pick<Logger, 'warn'>;
  /** acknowledgements and snoozes shown on the card when it is edited */
  readonly marksFor?: ((episodeId: number) => Promise<CardMarks>) | undefined;
  /** least time between two posts to one channel; Slack allows about one a second */
  readonly perChannelMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
}

/** The Slack notifier of alert cards, which can also redraw a card in place (after a button). */
export interface SlackNotifier extends Notifier<AlertNotification> {
  /**
   * Edits the card at `ref` (channel/ts) to show `n` with `marks`, keeping its native line from
   * the event's data where the mode and the workspace allow it, as the delivery of `n` drew it.
   */
  redraw(ref: string, n: AlertNotification, marks: CardMarks): Promise<void>;
}

/**
 * Delivers alert notifications to Slack. The first notification of an episode in a channel posts
 * its card (and the chart in its thread); later ones edit the card (chat.update) and add a line in
 * the thread. Each post carries its dedup key as message metadata, and the notifier looks for it
 * before posting, so a notification retried after a crash is not posted twice.
 * With `charts: native` the card draws the KPI's line itself, and each edit carries the line built
 * from its own event's data. If Slack refuses the block (invalid_blocks), the card is sent again
 * at once without it, its PNG goes into the thread, and the workspace is marked so that later
 * cards skip the block.
 * @example await app.alerts.deliver(slackNotifier({ client, locale: 'en' }), now)
 */
export function slackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const { client } = options;
  const spacing = options.perChannelMs ?? 1100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = options.clock ?? Date.now;
  const lastPost = new Map<string, number>();
  const mode = options.charts ?? 'png';
  const refusal = options.nativeRefusal ?? memoryRefusal();
  const charts = new Map<string, Promise<NotifierChart | undefined>>();

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
      const chart = await chartOf(n);
      if (thread) {
        const [channel, ts] = thread.split('/') as [string, string];
        let drawn: boolean;
        try {
          drawn = await editCard(channel, ts, n, marks, chart);
        } catch (error) {
          // Someone deleted the card: as Alertmanager and Grafana do, the alert is shown again, as
          // a new card in its current state, which later events then edit (the new ref is kept).
          if (!/: message_not_found\b/.test((error as Error).message)) throw error;
          return postCard(n, marks, chart);
        }
        // A card that cannot carry its line (refused, or the line no longer fits) has the PNG in its thread.
        if (chart && mode === 'native' && !drawn) await uploadChartOnce(channel, ts, n, chart);
        const replies = await call('conversations.replies', () => client.conversations.replies({ channel, ts, include_all_metadata: true, limit: 200 }));
        if (!(replies.messages ?? []).some((m) => carries(m as never, n.dedupKey))) {
          await pace(channel);
          await call('chat.postMessage', () =>
            client.chat.postMessage({ channel, thread_ts: ts, ...threadLine(n, options.locale), metadata: metadata(n) } as never),
          ).finally(() => posted(channel));
        }
        return { ref: thread };
      }
      return postCard(n, marks, chart);
    },
    async redraw(ref, n, marks) {
      const [channel, ts] = ref.split('/') as [string, string];
      await editCard(channel, ts, n, marks, await chartOf(n));
    },
  };

  /** Edits the card at channel/ts to show `n` with its marks, and its native line where it may. Whether the line is drawn. */
  function editCard(channel: string, ts: string, n: AlertNotification, marks: CardMarks, chart: NotifierChart | undefined): Promise<boolean> {
    return sendCard(chart, (c) => call('chat.update', () => client.chat.update({ channel, ts, ...alertCard(n, options.locale, marks, c) } as never)));
  }

  /**
   * The chart of an event: asked for when the card may draw it or its PNG may be uploaded, once
   * for all the channels the event goes to (the last few events are remembered).
   */
  function chartOf(n: AlertNotification): Promise<NotifierChart | undefined> {
    if (!options.chartFor || (mode === 'png' && n.event !== 'firing')) return Promise.resolve(undefined);
    const key = `${n.episodeId}|${n.event}|${n.evaluatedAt ?? n.since}`;
    let chart = charts.get(key);
    if (!chart) {
      chart = options.chartFor(n);
      // A failed query is asked again by the retry, not remembered.
      chart.catch(() => charts.delete(key));
      if (charts.size >= 64) charts.delete(charts.keys().next().value!);
      charts.set(key, chart);
    }
    return chart;
  }

  /**
   * Sends a card with its native line when the mode, the workspace and the chart allow it; if Slack
   * refuses the block, sends it again at once without it and marks the workspace. Whether the
   * card Slack took carries the line.
   */
  async function sendCard(chart: NotifierChart | undefined, send: (c: CardChart | undefined) => Promise<unknown>): Promise<boolean> {
    const native = mode !== 'png' && chart?.native && !(await refusal.refused()) ? { native: chart.native, note: chart.note } : undefined;
    try {
      await send(native);
      return native !== undefined;
    } catch (error) {
      if (!native || !isInvalidBlocks(error)) throw error;
      await send(undefined);
      // The card went through without the block, so the block was what Slack refused.
      await refusal.mark((error as Error).message);
      options.log?.warn({ err: error }, '[slack] Slack refused a data_visualization block on an alert card; cards carry PNGs in this workspace from now on');
      return false;
    }
  }

  /** Posts the episode's card in its channel unless a retried delivery already did, and the chart in its thread. */
  async function postCard(n: AlertNotification, marks: CardMarks, chart: NotifierChart | undefined): Promise<Delivery> {
    const channel = await channelId(n.channel);
    const oldest = String(Math.floor(Date.parse(n.since) / 1000) - 3600);
    const history = await call('conversations.history', () => client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
    const found = (history.messages ?? []).find((m) => carries(m as never, n.dedupKey)) as { ts?: string; attachments?: unknown } | undefined;
    let ts = found?.ts;
    // A card found after a crash says itself whether it carries the line.
    let drawn = JSON.stringify(found?.attachments ?? '').includes('"data_visualization"');
    if (!ts) {
      await pace(channel);
      drawn = await sendCard(chart, async (c) => {
        const card = await call('chat.postMessage', () =>
          client.chat.postMessage({ channel, ...alertCard(n, options.locale, marks, c), metadata: metadata(n) } as never),
        ).finally(() => posted(channel));
        ts = card.ts!;
      });
    }
    const png = mode === 'native' ? !drawn : n.event === 'firing';
    if (chart && png) await uploadChartOnce(channel, ts!, n, chart);
    return { ref: `${channel}/${ts}` };
  }

  /** Uploads the chart into the card's thread unless a retried delivery already did. */
  async function uploadChartOnce(channel: string, ts: string, n: AlertNotification, chart: NotifierChart): Promise<void> {
    const replies = await call('conversations.replies', () => client.conversations.replies({ channel, ts, limit: 200 }));
    if ((replies.messages ?? []).some((m) => (m.files ?? []).length > 0)) return;
    const file = typeof chart.png === 'function' ? await chart.png() : chart.png;
    // files.uploadV2: files.getUploadURLExternal → POST of the bytes → files.completeUploadExternal
    // with channel_id and thread_ts (files.upload was retired in November 2025).
    await call('files.uploadV2', () =>
      client.filesUploadV2({ channel_id: channel, thread_ts: ts, file, filename: `${n.kpi}-${n.episodeId}.png`, title: chart.title } as never),
    );
  }
}
