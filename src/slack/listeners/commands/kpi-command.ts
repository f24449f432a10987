import type { App } from '@slack/bolt';
import { messages } from '../../../answers/messages.ts';
import { commandContext, DEFAULT_ANSWER_CONCURRENCY, localeOf, type SlackServices } from '../../slack-context.ts';
import { internalErrorText } from '../../internal-error.ts';
import { postReply } from '../../post-reply.ts';
import { budgetedRespond } from '../../response-url.ts';
import { workQueue } from '../../work-queue.ts';
import { slackThreadLink } from '../../thread-link.ts';
import { userOrder } from '../../user-order.ts';

/** Commands that may wait for a slot; the next one is told "busy, try again" in its acknowledgement. */
export const MAX_WAITING_COMMANDS = 50;

/** `/kpi …`: ack at once, then answer through the shared command service. */
export function register(app: App, s: SlackServices): void {
  // Answers are worked out side by side; each user's are sent in the order the user asked.
  const order = userOrder();
  const queue = workQueue(s.answerConcurrency ?? DEFAULT_ANSWER_CONCURRENCY, MAX_WAITING_COMMANDS, (error) =>
    s.log.error({ err: error }, 'a /kpi answer failed'),
  );
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
    const turn = order.take(command.user_id);
    const taken = queue(async () => {
      // The slot covers working out the answer only: sending it (response_url, uploads) happens
      // outside, each call bounded by its timeout, so a user whose response_url hangs holds no slot.
      let reply: Awaited<ReturnType<typeof s.commands.run>>;
      try {
        const ctx = { ...(await commandContext(s, client, command.user_id, command.channel_id)), threadLink: slackThreadLink(client, s.log) };
        reply = await s.commands.run(command.text, ctx);
      } catch (error) {
        void turn.previous.then(() => fail(error)).finally(turn.done);
        return;
      }
      void turn.previous
        .then(() => postReply(s, { client, userId: command.user_id, channelId: command.channel_id, respond: respondOnce }, reply))
        .catch(fail)
        .finally(turn.done);
    });
    if (!taken) turn.done();
    // A full queue answers in the acknowledgement itself: Slack shows it to the user at once.
    await (taken ? ack() : ack({ response_type: 'ephemeral', text: messages(locale).busy }));
  });
}
