import { messages } from './messages.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

/** An answer: posted in the channel when asked (`post`), else shown to the caller only. */
export function answerReply(text: string, blocks: readonly ReplyBlock[], post: boolean): Reply {
  return { text, blocks, visibility: post ? 'in_channel' : 'ephemeral', kind: 'answer' };
}

/** An error the caller can act on, shown to the caller only. */
export function errorReply(message: string, ctx: Pick<CommandContext, 'locale'>): Reply {
  const text = messages(ctx.locale).error(message);
  return { text, blocks: [{ kind: 'text', text }], visibility: 'ephemeral', kind: 'error' };
}
