import type { App } from '@slack/bolt';
import { messages } from '../../../commands/messages.ts';
import { commandContext, localeOf, type SlackServices } from '../../slack-context.ts';
import { internalErrorText } from '../../internal-error.ts';
import { postReply } from '../../post-reply.ts';
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
    const taken = queue(async () => {
      try {
        const ctx = { ...(await commandContext(s, client, command.user_id, command.channel_id)), threadLink: slackThreadLink(client, s.log) };
        const reply = await s.commands.run(command.text, ctx);
        await postReply(s, { client, userId: command.user_id, channelId: command.channel_id, respond }, reply);
      } catch (error) {
        await respond({ response_type: 'ephemeral', text: internalErrorText(s.log, locale, error, '/kpi') });
      }
    });
    // A full queue answers in the acknowledgement itself: Slack shows it to the user at once.
    await (taken ? ack() : ack({ response_type: 'ephemeral', text: messages(locale).busy }));
  });
}
