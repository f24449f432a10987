import type { WebClient } from '@slack/web-api';
import type { ThreadLink } from '../answers/reply.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * Links alert cards through `chat.getPermalink`. It needs no scope, and it knows the workspace's
 * URL (a custom domain, Enterprise Grid), which the bot cannot build itself from a channel and a
 * ts; an `app_redirect` link only opens a channel or an app, never a message
 * (https://api.slack.com/methods/chat.getPermalink, https://api.slack.com/docs/deep-linking).
 * A card that is gone (message_not_found) or a failed call gives no link, so the answer names the
 * channel; the failure is logged.
 * @example const link = await slackThreadLink(client, log)('#alerts', 'C0ALERTS/1712000000.000100');
 */
export function slackThreadLink(client: WebClient, log: Logger): ThreadLink {
  return async (_channel, ref) => {
    const [channel, ts] = ref.split('/');
    // Not a Slack ref (local mode's notifier writes `file#episode`): nothing to link to.
    if (!channel || !ts) return undefined;
    try {
      return (await client.chat.getPermalink({ channel, message_ts: ts })).permalink;
    } catch (error) {
      log.warn({ err: error, channel, ts }, '[slack] chat.getPermalink failed; /kpi alerts names the channel of this card instead');
      return undefined;
    }
  };
}
