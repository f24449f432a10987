import type { WebClient } from '@slack/web-api';
import { slackError } from './slack-error.ts';

/**
 * Turns configured channels into IDs: a `#name` is looked up with conversations.list (paged,
 * remembered for the client's life), an ID passes through. An unknown name throws Slack's own
 * `channel_not_found`, not retryable, so the outbox keeps the message as failed with that reason.
 * @example const id = await channelDirectory(client)('#crm-alerts') // 'C0ALERTS'
 */
export function channelDirectory(client: WebClient): (channel: string) => Promise<string> {
  const ids = new Map<string, string>();
  return async (channel) => {
    if (!channel.startsWith('#')) return channel;
    const known = ids.get(channel);
    if (known) return known;
    let cursor: string | undefined;
    do {
      let page: Awaited<ReturnType<WebClient['conversations']['list']>>;
      try {
        page = await client.conversations.list({ types: 'public_channel,private_channel', limit: 1000, exclude_archived: true, ...(cursor ? { cursor } : {}) });
      } catch (error) {
        throw slackError('conversations.list', error);
      }
      for (const c of page.channels ?? []) if (c.name && c.id) ids.set(`#${c.name}`, c.id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor && !ids.has(channel));
    const id = ids.get(channel);
    if (!id) throw slackError('conversations.list', { code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
    return id;
  };
}
