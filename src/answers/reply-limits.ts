import type { Reply, ReplyBlock, TableCell } from './reply.ts';
import { tableText } from './table-text.ts';
import { clipText } from '../lib/safe-slice.ts';

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

/** A cell that shows a number: sorts as that number in Slack's data_table; a missing value is plain text. */
export function numberCell(value: number | null | undefined, text: string): TableCell | string {
  return value === null || value === undefined || !Number.isFinite(value) ? text : { text, value };
}

/**
 * Cuts a table's text form to the rows that fit one section, with a last row saying how many were
 * left out (`more` writes it, e.g. "… and 12 more"). Every row is kept in `cells` when a cell has a
 * number or rows were cut, for Slack's data_table, which holds 100 rows and sorts by the numbers.
 */
export function fitTable(
  columns: readonly string[],
  rows: readonly (readonly (string | TableCell)[])[],
  more: (n: number) => string,
): { columns: readonly string[]; rows: readonly (readonly string[])[]; cells?: readonly (readonly TableCell[])[] } {
  const texts = rows.map((r) => r.map((c) => (typeof c === 'string' ? c : c.text)));
  const cells = () => rows.map((r) => r.map((c): TableCell => (typeof c === 'string' ? { text: c } : c)));
  const numeric = rows.some((r) => r.some((c) => typeof c !== 'string' && c.value !== undefined));
  if (tableText(columns, texts).length + FENCE <= REPLY_LIMITS.text) return numeric ? { columns, rows: texts, cells: cells() } : { columns, rows: texts };
  let keep = texts.length - 1;
  const cut = (k: number) => [...texts.slice(0, k), [more(texts.length - k), ...columns.slice(1).map(() => '')]];
  while (keep > 0 && tableText(columns, cut(keep)).length + FENCE > REPLY_LIMITS.text) keep--;
  return { columns, rows: cut(keep), cells: cells() };
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
        // Already fitted rows come back as they are; the cells the answer kept stay with them.
        return { ...b, ...fitTable(b.columns, b.rows, more) };
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
