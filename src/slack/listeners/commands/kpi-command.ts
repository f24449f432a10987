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
    const fail = async (error: unknown) => {
      s.log.error({ err: error, command: 'kpi', user: command.user_id }, 'a /kpi command failed');
      await respond({ response_type: 'ephemeral', text: `:warning: ${(error as Error).message.split('\n')[0]}` }).catch((e: unknown) =>
        s.log.error({ err: e, command: 'kpi', user: command.user_id }, 'a /kpi answer could not be sent'),
      );
    };
    queue(async () => {
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
      void postReply(s, { client, userId: command.user_id, channelId: command.channel_id, respond }, reply).catch(fail);
    });
  });
}
