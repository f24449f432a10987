import type { WebClient } from '@slack/web-api';
import { messages } from '../answers/messages.ts';
import type { Reply } from '../answers/reply.ts';
import { hasNativeBlocks } from './blocks/native-blocks.ts';
import { nativeCharts, renderReplyMessages } from './blocks/render-reply.ts';
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
 * thread. Ephemeral answers go through response_url with the charts Slack draws natively in the
 * message itself; Slack cannot show a file to one person in a channel, so the other charts (PNGs)
 * go to the user's direct message with the app, and the answer says so.
 */
export async function postReply(s: SlackServices, target: ReplyTarget, reply: Reply): Promise<void> {
  const { client } = target;
  // Tables are data_table blocks unless the config says text or this workspace refused a native block
  // (marked in memory, and in the bot's database so that a restart remembers it).
  const skipNative = refusesNative.has(s) || (await s.nativeRefusal?.refused()) === true;
  let tables = s.config.slack.tables === 'native' && !skipNative;
  const mode = s.config.slack.charts;
  let drawn = mode !== 'png' && !skipNative ? nativeCharts(reply) : new Map<number, unknown>();
  /** The charts that go as PNGs: those not drawn in the message, and with `both` every one. */
  const pngs = () => reply.blocks.flatMap((b, i) => (b.kind === 'chart' && (mode === 'both' || !drawn.has(i)) ? [b] : []));
  if (reply.visibility === 'in_channel') {
    const render = () => renderReplyMessages(reply, { native: drawn.size > 0, tables });
    const post = (message: object) => wrap('chat.postMessage', () => client.chat.postMessage({ channel: target.channelId, ...message } as never));
    let sent = render();
    let posted: Awaited<ReturnType<typeof post>>;
    try {
      posted = await post(sent[0]!);
    } catch (error) {
      if (!hasNativeBlocks(sent[0]!.blocks) || !isInvalidBlocks(error)) throw error;
      // Slack refused a native block (an older client, a Grid policy): resend at once without it,
      // charts as PNGs in the thread and tables as text, and skip the blocks in this workspace from now on.
      await refused(s, error);
      drawn = new Map();
      tables = false;
      sent = render();
      posted = await post(sent[0]!);
    }
    // A table longer than one data_table continues in the answer's thread.
    for (const more of sent.slice(1)) await post({ ...more, thread_ts: posted.ts });
    for (const b of pngs()) await upload(s, client, target.channelId, b.chart, b.alt, posted.ts);
    return;
  }
  const render = () => {
    const note = pngs().length ? messages(reply.locale).chartInDm : undefined;
    return renderReplyMessages(reply, { ...(note ? { chartNote: note } : {}), native: drawn.size > 0, tables });
  };
  const respond = (message: object) => target.respond({ response_type: 'ephemeral', ...message });
  let sent = render();
  const refusal = await respond(sent[0]!).then(
    async (answer) => ((await refusedBody(answer)) ? new Error('the response_url answered invalid_blocks') : undefined),
    (error: unknown) => {
      if (hasNativeBlocks(sent[0]!.blocks) && (isInvalidBlocks(error) || (error as { statusCode?: unknown }).statusCode === 400)) return error;
      throw error;
    },
  );
  if (refusal !== undefined && hasNativeBlocks(sent[0]!.blocks)) {
    // As for posted answers: resend at once without the blocks; every chart then goes to the DM.
    await refused(s, refusal);
    drawn = new Map();
    tables = false;
    sent = render();
    await respond(sent[0]!);
  }
  // A table longer than one data_table continues in the next messages (the response_url takes 5).
  for (const more of sent.slice(1)) await respond(more);
  const dm = pngs();
  if (dm.length) {
    const open = await wrap('conversations.open', () => client.conversations.open({ users: target.userId }));
    for (const c of dm) await upload(s, client, open.channel!.id!, c.chart, c.alt, undefined);
  }
}

/**
 * Workspaces (one services object each) that refused a native block with invalid_blocks, in
 * memory; the bot also keeps the mark in its database (services.nativeRefusal), shared with alert
 * cards and digests, so a restart does not try the block again.
 */
const refusesNative = new WeakSet<SlackServices>();

/** Marks a workspace whose Slack refused a native block (in memory and in the bot's database), and says so once in the log. */
async function refused(s: SlackServices, error: unknown): Promise<void> {
  refusesNative.add(s);
  await s.nativeRefusal?.mark((error as Error).message);
  s.log.warn(
    { err: error },
    '[slack] Slack refused a native block (data_visualization or data_table); charts go as PNGs and tables as text in this workspace from now on',
  );
}

/**
 * Whether a response_url answered that it refused the blocks: it answers HTTP 200 with an
 * `{ ok: false, error: 'invalid_blocks' }` body (Bolt's respond() only throws on a non-2xx status).
 */
async function refusedBody(answer: unknown): Promise<boolean> {
  const res = answer as { clone?: () => { json(): Promise<unknown> } } | undefined;
  if (typeof res?.clone !== 'function') return false;
  const body = (await res
    .clone()
    .json()
    .catch(() => undefined)) as { ok?: boolean; error?: string } | undefined;
  return body?.ok === false && body.error === 'invalid_blocks';
}

/** Whether Slack refused a message's blocks (the platform error invalid_blocks). */
function isInvalidBlocks(error: unknown): boolean {
  const cause = (error as { cause?: { data?: { error?: string } } }).cause;
  return cause?.data?.error === 'invalid_blocks';
}

async function upload(
  s: SlackServices,
  client: WebClient,
  channel: string,
  chart: Parameters<SlackServices['chartPng']>[0],
  alt: string,
  threadTs: string | undefined,
): Promise<void> {
  const png = await s.chartPng(chart);
  await wrap('files.uploadV2', () =>
    client.filesUploadV2({
      channel_id: channel,
      file: png,
      filename: `${chart.kind}.png`,
      title: chart.title,
      alt_text: alt,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    } as never),
  );
}

async function wrap<T>(method: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw slackError(method, error);
  }
}
