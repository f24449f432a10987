import type { App } from '@slack/bolt';
import { commandContext, type SlackServices } from '../../slack-context.ts';
import { postReply } from '../../post-reply.ts';
import { workQueue } from '../../work-queue.ts';
import { slackThreadLink } from '../../thread-link.ts';

/** Commands answered at once; more wait their turn after being acknowledged. */
const CONCURRENCY = 2;

/** `/kpi …`: ack at once, then answer through the shared command service. */
export function register(app: App, s: SlackServices): void {
  const queue = workQueue(CONCURRENCY, (error) => s.log.error({ err: error }, 'a /kpi answer failed'));
  app.command('/kpi', async ({ command, ack, respond, client }) => {
    await ack();
    queue(async () => {
    try {
      const ctx = { ...(await commandContext(s, client, command.user_id, command.channel_id)), threadLink: slackThreadLink(client, s.log) };
      const reply = await s.commands.run(command.text, ctx);
      await postReply(s, { client, userId: command.user_id, channelId: command.channel_id, respond }, reply);
    } catch (error) {
      s.log.error({ err: error, command: 'kpi', user: command.user_id }, 'a /kpi command failed');
      await respond({ response_type: 'ephemeral', text: `:warning: ${(error as Error).message.split('\n')[0]}` });
    }
    });
  });
}
