import { COMMAND_NAMES, type CommandName } from './command.ts';
import { messages, type ParseProblem } from './messages.ts';
import type { Reply, ReplyBlock } from './reply.ts';
import type { Locale } from '../domain/locale.ts';

/**
 * The answer to `/kpi help [topic]`: every subcommand with its syntax and an example, or one
 * subcommand with all its examples, in the caller's language.
 * @example helpReply('why', 'zh').blocks[0] // { kind: 'header', text: '/kpi 为什么 <KPI> [时间段] [按 <维度>]' }
 */
export function helpReply(topic: CommandName | undefined, locale: Locale): Reply {
  const m = messages(locale);
  if (topic === undefined || topic === 'help') {
    const lines = COMMAND_NAMES.filter((n) => n !== 'help').map((n) => `\`${m.help(n).syntax}\` ${m.help(n).summary}`);
    const examples = COMMAND_NAMES.filter((n) => n === 'kpi' || n === 'why' || n === 'target').flatMap((n) => m.help(n).examples.slice(0, 2));
    return {
      text: m.helpTitle,
      blocks: [
        { kind: 'header', text: m.helpTitle },
        { kind: 'text', text: m.helpIntro },
        { kind: 'text', text: lines.join('\n') },
        { kind: 'text', text: examples.map((e) => `\`${e}\``).join('\n') },
        { kind: 'context', text: m.helpFooter },
      ],
      visibility: 'ephemeral',
      kind: 'answer',
      locale,
    };
  }
  return { text: m.help(topic).syntax, blocks: topicBlocks(topic, locale), visibility: 'ephemeral', kind: 'answer', locale };
}

/**
 * What is wrong with a /kpi text, then the help of the subcommand it was for (the whole help when
 * it was not even a subcommand).
 */
export function usageReply(problem: ParseProblem, topic: CommandName, locale: Locale): Reply {
  const m = messages(locale);
  const text = m.problem(problem);
  const help = topic === 'help' ? helpReply(undefined, locale).blocks.slice(1) : topicBlocks(topic, locale);
  return { text, blocks: [{ kind: 'text', text }, ...help], visibility: 'ephemeral', kind: 'usage', locale };
}

function topicBlocks(topic: CommandName, locale: Locale): ReplyBlock[] {
  const m = messages(locale);
  const h = m.help(topic);
  return [
    { kind: 'header', text: h.syntax },
    { kind: 'text', text: `${h.summary}\n${h.examples.map((e) => `\`${e}\``).join('\n')}` },
    { kind: 'context', text: m.helpFooter },
  ];
}
