import type { WebClient } from '@slack/web-api';
import type { Logger } from '../lib/logger.ts';
import { slackError } from './slack-error.ts';

/** Slack takes at most this many answers on one response_url, within 30 minutes of the command. */
export const RESPONSE_URL_USES = 5;

/** Where an answer goes when its response_url is spent: an ephemeral message to the user in the channel. */
export interface RespondFallback {
  readonly client: WebClient;
  readonly userId: string;
  readonly channelId: string;
}

/**
 * Wraps one command's respond() so it never makes a 6th call on the response_url: past
 * RESPONSE_URL_USES, or once Slack answers that the URL is used up or expired (HTTP 404/410, as
 * `used_url` / `expired_url`), the answer goes by chat.postEphemeral instead, with a warning in
 * the log. Other failures (a timeout, a 5xx) are thrown to the caller, which logs them.
 * @example const send = budgetedRespond(respond, { client, userId, channelId }, s.log); await send({ text });
 */
export function budgetedRespond(
  respond: (message: Record<string, unknown>) => Promise<unknown>,
  fallback: RespondFallback,
  log: Logger,
): (message: Record<string, unknown>) => Promise<unknown> {
  let used = 0;
  let spent = false;
  const ephemeral = async (message: Record<string, unknown>) => {
    // response_url fields mean nothing to chat.postEphemeral; the rest of the message is the same.
    const { response_type: _type, replace_original: _replace, delete_original: _delete, ...rest } = message;
    try {
      await fallback.client.chat.postEphemeral({ ...rest, channel: fallback.channelId, user: fallback.userId } as never);
    } catch (error) {
      throw slackError('chat.postEphemeral', error);
    }
  };
  return async (message) => {
    if (spent || used >= RESPONSE_URL_USES) {
      if (!spent) log.warn({ user: fallback.userId, uses: used }, '[slack] an answer needed a 6th response_url call: sent as an ephemeral message instead');
      spent = true;
      return ephemeral(message);
    }
    used++;
    try {
      // What the response_url answered: a refusal of the blocks comes back as a body, not an error.
      return await respond(message);
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (status !== 404 && status !== 410) throw error;
      spent = true;
      log.warn(
        { user: fallback.userId, status, uses: used },
        '[slack] Slack refused the response_url as used up or expired: the answer goes as an ephemeral message instead',
      );
      return ephemeral(message);
    }
  };
}
