import type { WebClient } from '@slack/web-api';
import type { Reply } from '../commands/reply.ts';
import { nativeCharts, renderReply } from './blocks/render-reply.ts';
import type { SlackServices } from './slack-context.ts';
import { slackError } from './slack-error.ts';

/** How an answer reaches the user: the command's response_url, or a post in the channel. */
export interface ReplyTarget {
  readonly client: WebClient;
  readonly userId: string;
  readonly channelId: string;
  /** sends through response_url (5 uses in 30 minutes; one per reply here, see response-url.ts) */
  readonly respond: (message: Record<string, unknown>) => Promise<unknown>;
}

/**
 * Sends a reply. Posted answers (`… post`) go into the channel with their charts in the message's
 * thread. Ephemeral answers go through response_url; Slack cannot show a file to one person in a
 * channel, so their charts go to the user's direct message with the app, and the answer says so.
 */
export async function postReply(s: SlackServices, target: ReplyTarget, reply: Reply): Promise<void> {
  const charts = reply.blocks.flatMap((b) => (b.kind === 'chart' ? [b] : []));
  const { client } = target;
  if (reply.visibility === 'in_channel') {
    const mode = s.config.slack.charts;
    let drawn = mode !== 'png' && !refusesNative.has(s) && !(await s.nativeRefusal?.refused()) ? nativeCharts(reply) : new Map<number, unknown>();
    const post = () => wrap('chat.postMessage', () => client.chat.postMessage({ channel: target.channelId, ...renderReply(reply, { native: drawn.size > 0 }) } as never));
    let posted: Awaited<ReturnType<typeof post>>;
    try {
      posted = await post();
    } catch (error) {
      if (drawn.size === 0 || !isInvalidBlocks(error)) throw error;
      // Slack refused the native chart (an older client, a Grid policy): resend at once without
      // it, with the PNG in the thread, and skip the block in this workspace from now on.
      refusesNative.add(s);
      await s.nativeRefusal?.mark((error as Error).message);
      s.log.warn({ err: error }, '[slack] Slack refused a data_visualization block; charts go as PNGs in this workspace from now on');
      drawn = new Map();
      posted = await post();
    }
    for (const [i, b] of reply.blocks.entries()) {
      if (b.kind === 'chart' && (mode === 'both' || !drawn.has(i))) await upload(s, client, target.channelId, b.chart, b.alt, posted.ts);
    }
    return;
  }
  const note = charts.length ? (reply.text.match(/[\u4e00-\u9fff]/) ? '图表已发送到你与 crm-pulse 的私信' : 'chart sent to your direct messages with crm-pulse') : undefined;
  await target.respond({ response_type: 'ephemeral', ...renderReply(reply, note ? { chartNote: note } : {}) });
  if (charts.length) {
    const dm = await wrap('conversations.open', () => client.conversations.open({ users: target.userId }));
    for (const c of charts) await upload(s, client, dm.channel!.id!, c.chart, c.alt, undefined);
  }
}

/**
 * Workspaces (one services object each) that refused a native block with invalid_blocks, in
 * memory; the bot also keeps the mark in its database (services.nativeRefusal), shared with alert
 * cards and digests, so a restart does not try the block again.
 */
const refusesNative = new WeakSet<SlackServices>();

/** Whether Slack refused a message's blocks (the platform error invalid_blocks). */
function isInvalidBlocks(error: unknown): boolean {
  const cause = (error as { cause?: { data?: { error?: string } } }).cause;
  return cause?.data?.error === 'invalid_blocks';
}

async function upload(s: SlackServices, client: WebClient, channel: string, chart: Parameters<SlackServices['chartPng']>[0], alt: string, threadTs: string | undefined): Promise<void> {
  const png = await s.chartPng(chart);
  await wrap('files.uploadV2', () =>
    client.filesUploadV2({ channel_id: channel, file: png, filename: `${chart.kind}.png`, title: chart.title, alt_text: alt, ...(threadTs ? { thread_ts: threadTs } : {}) } as never),
  );
}

async function wrap<T>(method: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw slackError(method, error);
  }
}
