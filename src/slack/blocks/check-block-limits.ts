import { safeSlice } from '../../lib/safe-slice.ts';

/** One Block Kit block, loosely typed: what the limit checker reads. */
export type Block = { readonly type: string } & Record<string, unknown>;

/** A message as chat.postMessage, chat.update and response_url take it. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly Block[];
  readonly attachments?: readonly { readonly color?: string; readonly blocks?: readonly Block[] }[];
}

// https://api.slack.com/reference/block-kit/blocks: the limits Slack enforces with invalid_blocks.
const LIMITS = { blocks: 50, sectionText: 3000, header: 150, fields: 10, fieldText: 2000, context: 10, actions: 25, buttonText: 75, altText: 2000, messageText: 40_000 };

/**
 * What in a message breaks Slack's Block Kit limits, in words; empty when it fits. Every message
 * builder's output goes through this in tests, so invalid_blocks never reaches a user.
 * @example blockLimitProblems({ text: 'x', blocks: Array(51).fill({ type: 'divider' }) }) // ['51 blocks; at most 50']
 */
export function blockLimitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.text.length > LIMITS.messageText) problems.push(`text is ${message.text.length} characters; at most ${LIMITS.messageText}`);
  const all = [...(message.blocks ?? []), ...(message.attachments ?? []).flatMap((a) => a.blocks ?? [])];
  if (all.length > LIMITS.blocks) problems.push(`${all.length} blocks; at most ${LIMITS.blocks}`);
  all.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    const text = (b.text as { text?: string } | undefined)?.text;
    if (b.type === 'header' && (text?.length ?? 0) > LIMITS.header) problems.push(`${at}: header is ${text!.length} characters; at most ${LIMITS.header}`);
    if (b.type === 'section') {
      if ((text?.length ?? 0) > LIMITS.sectionText) problems.push(`${at}: text is ${text!.length} characters; at most ${LIMITS.sectionText}`);
      const fields = (b.fields as { text: string }[] | undefined) ?? [];
      if (fields.length > LIMITS.fields) problems.push(`${at}: ${fields.length} fields; at most ${LIMITS.fields}`);
      for (const f of fields) if (f.text.length > LIMITS.fieldText) problems.push(`${at}: a field is ${f.text.length} characters; at most ${LIMITS.fieldText}`);
      if (text === undefined && fields.length === 0) problems.push(`${at}: a section needs text or fields`);
    }
    if (b.type === 'context' && ((b.elements as unknown[]) ?? []).length > LIMITS.context) problems.push(`${at}: more than ${LIMITS.context} elements`);
    if (b.type === 'actions') {
      const elements = (b.elements as { text?: { text: string } }[]) ?? [];
      if (elements.length > LIMITS.actions) problems.push(`${at}: more than ${LIMITS.actions} elements`);
      for (const e of elements) if ((e.text?.text.length ?? 0) > LIMITS.buttonText) problems.push(`${at}: a button label is over ${LIMITS.buttonText} characters`);
    }
    if (b.type === 'image' && ((b.alt_text as string | undefined)?.length ?? 0) > LIMITS.altText) problems.push(`${at}: alt text over ${LIMITS.altText} characters`);
  });
  return problems;
}

/** Cuts text to a limit, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${safeSlice(text, max - 1)}…`;
}
