import type { TargetDefinition } from '../domain/kpi.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { periodContaining } from '../kpi/periods.ts';
import type { Command, CommandName } from './command.ts';
import type { CommandDeps } from './command-deps.ts';
import { messages } from './messages.ts';
import { channelMention } from './parse-values.ts';
import { MAX_COMMAND_TEXT } from './parse-command.ts';
import { answerReply, errorReply } from './reply-of.ts';
import type { CommandContext, Reply } from './reply.ts';
import { safeSlice } from '../lib/safe-slice.ts';

/**
 * The polite refusal of a mutating command to a non-admin, written to the audit log with what
 * was asked.
 */
export async function refuse(deps: CommandDeps, name: CommandName, text: string, ctx: CommandContext): Promise<Reply> {
  // What was read of it: the parser reads no further than MAX_COMMAND_TEXT, and the audit log
  // must not grow by whatever a non-admin pastes after that.
  const asked = safeSlice(text, MAX_COMMAND_TEXT);
  await deps.records.audit({
    at: ctx.now,
    actor: ctx.userId,
    action: 'refused',
    subject: `/kpi ${name}`,
    detail: { text: asked, channel: ctx.channelId ?? null },
  });
  const message = messages(ctx.locale).refused(name, deps.config.config.slack.admins);
  return { text: message, blocks: [{ kind: 'text', text: message }], visibility: 'ephemeral', kind: 'refused', locale: ctx.locale };
}

/**
 * `/kpi target <kpi> <value> by <date>`: stores a SMART target (audited), which replaces the
 * config's. It keeps the replaced target's grain (else month) and start (else today).
 */
export async function answerTarget(deps: CommandDeps, c: Extract<Command, { name: 'target' }>, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const kpi = deps.kpis.get(c.kpi);
  const before = (await deps.records.storedTargets())[c.kpi] ?? deps.config.config.targets[c.kpi];
  // A changed target keeps the start of the one it replaces, so the pace so far is re-judged against
  // the new value at once; a fresh start would leave no pace to judge until the next period (issue 14).
  const from = before ? before.from : periodContaining(ctx.now, 'day', deps.calendar).label;
  const target: TargetDefinition = { value: c.value, by: c.by, from, grain: before?.grain ?? 'month' };
  await deps.records.setKpiTarget(c.kpi, target, ctx.userId, ctx.now);
  const text = m.targetSet(
    m.kpiTitle(kpi),
    formatKpiValue(c.value, kpi.unit, kpi.currency),
    c.by,
    m.grain(target.grain),
    target.from,
    before ? `${formatKpiValue(before.value, kpi.unit, kpi.currency)} (${before.by})` : undefined,
  );
  return answerReply(text, [{ kind: 'text', text }], post, m.locale);
}

/** `/kpi subscribe|unsubscribe <#channel> <kpi…>`: adds or removes alert routes to a channel (audited). */
export async function answerSubscription(
  deps: CommandDeps,
  c: Extract<Command, { name: 'subscribe' | 'unsubscribe' }>,
  ctx: CommandContext,
  post: boolean,
): Promise<Reply> {
  const m = messages(ctx.locale);
  const titles = (keys: readonly string[]) => keys.map((k) => m.kpiTitle(deps.kpis.get(k))).join(m.comma);
  const channel = channelMention(c.channel);
  let text: string;
  if (c.name === 'subscribe' && ctx.channelExists && !(await ctx.channelExists(c.channel))) {
    return errorReply(m.problem({ kind: 'unknown_channel', word: channel }), ctx);
  }
  if (c.name === 'subscribe') {
    const added = await deps.records.subscribeChannel(c.channel, c.kpis, ctx.userId, ctx.now);
    text = m.subscribed(channel, titles(added), titles(c.kpis.filter((k) => !added.includes(k))));
  } else {
    const removed = await deps.records.unsubscribeChannel(c.channel, c.kpis, ctx.userId, ctx.now);
    text = m.unsubscribed(channel, titles(removed), titles(c.kpis.filter((k) => !removed.includes(k))));
  }
  return answerReply(text, [{ kind: 'text', text }], post, m.locale);
}
