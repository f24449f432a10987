import type { App } from '@slack/bolt';
import { messages } from '../../../commands/messages.ts';
import { commandContext, localeOf, type SlackServices } from '../../slack-context.ts';
import { internalErrorText } from '../../internal-error.ts';
import { postReply } from '../../post-reply.ts';
import { budgetedRespond } from '../../response-url.ts';
import { workQueue } from '../../work-queue.ts';
import { slackThreadLink } from '../../thread-link.ts';

/** Commands answered at once; more wait their turn after being acknowledged. */
const CONCURRENCY = 2;
/** Commands that may wait for a slot; the next one is told "busy, try again" in its acknowledgement. */
export const MAX_WAITING_COMMANDS = 50;

/** `/kpi …`: ack at once, then answer through the shared command service. */
export function register(app: App, s: SlackServices): void {
  const queue = workQueue(CONCURRENCY, MAX_WAITING_COMMANDS, (error) => s.log.error({ err: error }, 'a /kpi answer failed'));
  app.command('/kpi', async ({ command, ack, respond, client }) => {
    const locale = localeOf(s.config, command.user_id);
    // One budget for every answer to this command (the reply and any error after it): Slack takes
    // 5 calls on a response_url; past them, or once Slack says it is spent, answers go ephemeral.
    const respondOnce = budgetedRespond((m) => respond(m as never), { client, userId: command.user_id, channelId: command.channel_id }, s.log);
    // Internal errors answer a generic sentence with an error id the log holds, never the message.
    const fail = async (error: unknown) => {
      await respondOnce({ response_type: 'ephemeral', text: internalErrorText(s.log, locale, error, '/kpi') }).catch((e: unknown) =>
        s.log.error({ err: e, command: 'kpi', user: command.user_id }, 'a /kpi answer could not be sent'),
      );
    };
    const taken = queue(async () => {
      // The slot covers working out the answer only: sending it (response_url, uploads) happens
      // outside, each call bounded by its timeout, so a user whose response_url hangs holds no slot.
      let reply: Awaited<ReturnType<typeof s.commands.run>>;
      try {
        const ctx = { ...(await commandContext(s, client, command.user_id, command.channel_id)), threadLink: slackThreadLink(client, s.log) };
        reply = await s.commands.run(command.text, ctx);
      } catch (error) {
        void fail(error);
        return;
      }
      void postReply(s, { client, userId: command.user_id, channelId: command.channel_id, respond: respondOnce }, reply).catch(fail);
    });
    // A full queue answers in the acknowledgement itself: Slack shows it to the user at once.
    await (taken ? ack() : ack({ response_type: 'ephemeral', text: messages(locale).busy }));
  });
}
