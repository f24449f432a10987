import type { Command } from './command.ts';
import type { CommandDeps } from './command-deps.ts';
import { digestReply, digestThreadLinks } from './digest-reply.ts';
import type { CommandContext, Reply } from './reply.ts';

/**
 * `/kpi digest [preview] [for <manager>]`: the weekly digest of the week before now, built on the
 * spot: the named manager's, else the caller's if alerts.owners maps them to a manager, else the
 * company's. `preview` shows it to the caller only; without it, it is posted in the channel.
 */
export async function answerDigest(deps: CommandDeps, c: Extract<Command, { name: 'digest' }>, ctx: CommandContext): Promise<Reply> {
  const manager = c.manager ?? (await deps.digests.managerOf(ctx.userId));
  const digest = await deps.digests.preview(manager, ctx.now);
  const reply = digestReply(deps, digest, ctx.locale, await digestThreadLinks(digest, ctx.threadLink));
  return { ...reply, visibility: c.preview ? 'ephemeral' : 'in_channel' };
}
