import type { Reply, ReplyBlock } from './reply.ts';
import { tableText } from './table-text.ts';
import { safeSlice } from '../lib/safe-slice.ts';

/**
 * The Block Kit limits a reply must fit (https://api.slack.com/reference/block-kit/blocks):
 * Slack refuses a message that breaks one with invalid_blocks. Tests check these numbers, and
 * every rendered reply, against Slack's published Block Kit JSON Schema (test/helpers/block-kit.ts).
 */
export const REPLY_LIMITS = { blocks: 50, text: 3000, header: 150, fields: 10, fieldText: 2000, actions: 25, buttonLabel: 75, altText: 2000 } as const;

/** Characters a table's code fence and a little slack take besides its lines. */
const FENCE = 10;

/** How many Block Kit blocks a reply block becomes: fields go ten to a section. */
export function blockCount(block: ReplyBlock): number {
  return block.kind === 'fields' ? Math.max(1, Math.ceil(block.fields.length / REPLY_LIMITS.fields)) : 1;
}

/**
 * Cuts a table to the rows that fit one section, with a last row saying how many were left out
 * (`more` writes it, e.g. "… and 12 more").
 */
export function fitTable(columns: readonly string[], rows: readonly (readonly string[])[], more: (n: number) => string): { columns: readonly string[]; rows: readonly (readonly string[])[] } {
  if (tableText(columns, rows).length + FENCE <= REPLY_LIMITS.text) return { columns, rows };
  let keep = rows.length - 1;
  const cut = (k: number) => [...rows.slice(0, k), [more(rows.length - k), ...columns.slice(1).map(() => '')]];
  while (keep > 0 && tableText(columns, cut(keep)).length + FENCE > REPLY_LIMITS.text) keep--;
  return { columns, rows: cut(keep) };
}

/** Cuts a text to a limit, ending it with an ellipsis. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${safeSlice(text, max - 1)}…`;
}

/**
 * A reply cut to Slack's limits, as a last guard: long headers and texts end in "…", tables keep
 * the rows that fit, and blocks past 50 give way to a note saying how many were left out.
 */
export function fitReply(reply: Reply, more: (n: number) => string): Reply {
  const blocks = reply.blocks.map((b): ReplyBlock => {
    switch (b.kind) {
      case 'header':
        return { ...b, text: clipText(b.text, REPLY_LIMITS.header) };
      case 'text':
      case 'context':
        return { ...b, text: clipText(b.text, REPLY_LIMITS.text) };
      case 'table':
        return { kind: 'table', ...fitTable(b.columns, b.rows, more) };
      case 'chart':
        return { ...b, alt: clipText(b.alt, REPLY_LIMITS.altText) };
      default:
        return b;
    }
  });
  let count = 0;
  const kept: ReplyBlock[] = [];
  for (const [i, b] of blocks.entries()) {
    if (count + blockCount(b) > REPLY_LIMITS.blocks - 1 && i < blocks.length - 1) {
      kept.push({ kind: 'context', text: more(blocks.length - i) });
      break;
    }
    kept.push(b);
    count += blockCount(b);
  }
  return { ...reply, text: clipText(reply.text, REPLY_LIMITS.text), blocks: kept };
}
