import type { NativeChart, Reply, ReplyAction, ReplyBlock } from '../../answers/reply.ts';
import { messages } from '../../answers/messages.ts';
import { tableText as alignedTable } from '../../answers/table-text.ts';
import { clipText as clip } from '../../lib/safe-slice.ts';
import type { Block, SlackMessage } from './check-block-limits.ts';
import { dataTablePages, MAX_TABLE_MESSAGES } from './data-table.ts';
import { dataVisualizationBlock } from './native-blocks.ts';

/** Most blocks a reply uses; the rest are summarised so the message never breaks the limit of 50. */
const MAX_BLOCKS = 48;

/** How a reply is rendered: where its charts went, and which native blocks it may use. */
export interface RenderOptions {
  /** says where the charts went (an ephemeral answer's PNGs go to the user's DM) */
  readonly chartNote?: string;
  /** charts Slack's data_visualization block can draw are blocks (see nativeCharts) */
  readonly native?: boolean;
  /** the first table is Slack's data_table block, split over messages past 100 rows or 10,000 characters */
  readonly tables?: boolean;
}

type Table = Extract<ReplyBlock, { kind: 'table' }>;

/**
 * A reply as a Block Kit message. Charts are not blocks here unless `native`: the caller uploads
 * them (into a thread, or the user's DM for an ephemeral answer) and this message says where.
 * Tables are monospaced sections, cut to fit 3,000 characters with "… N more rows", unless
 * `tables`: then see renderReplyMessages. The text fallback carries the table's numbers.
 * @example respond({ ...renderReply(reply), response_type: reply.visibility })
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  return renderReplyMessages(reply, options)[0]!;
}

/**
 * A reply as one message, or several when `tables` is set and its first table needs more than one
 * data_table (over 100 rows or 10,000 characters of cells; a message holds one table): the first
 * message says "rows 1–100 of 340" and where the rest go, and each further message holds the
 * next rows, up to MAX_TABLE_MESSAGES in all (rows past them are counted, with how to narrow the
 * question). Posted answers send the rest into the thread, ephemeral ones as the next messages.
 * @example const [first, ...rest] = renderReplyMessages(reply, { tables: true });
 */
export function renderReplyMessages(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const w = messages(reply.locale);
  const blocks: Block[] = [];
  const native = options.native ? nativeCharts(reply) : new Map<number, NativeChart>();
  const tableAt = reply.blocks.findIndex((b) => b.kind === 'table');
  const table = tableAt >= 0 ? (reply.blocks[tableAt] as Table) : undefined;
  const caption = table ? captionOf(reply, tableAt) : '';
  const pages = table && options.tables ? dataTablePages(table, caption) : undefined;
  const sent = pages
    ?.slice(0, MAX_TABLE_MESSAGES)
    .map((p) => (pages.length > 1 ? { ...p, block: { ...p.block, caption: `${caption} · ${w.tableRows(p.from, p.to, p.total)}` } } : p));
  const left = pages && sent ? pages.at(-1)!.to - sent.at(-1)!.to : 0;
  // One note says where the charts went, however many there are.
  let note = options.chartNote;
  const lastChart = reply.blocks.findLastIndex((b) => b.kind === 'chart');
  for (const [i, b] of reply.blocks.entries()) {
    const drawn = native.get(i);
    if (drawn) {
      blocks.push(dataVisualizationBlock(drawn));
      // Every chart drawn here and sent as a PNG too (slack.charts: both): the note follows the last.
      if (note && i === lastChart) blocks.push(contextBlock(`📈 ${note}`));
      continue;
    }
    if (i === tableAt && sent) {
      blocks.push(sent[0]!.block);
      if (sent.length > 1) blocks.push(contextBlock(w.tableRest(sent[0]!.from, sent[0]!.to, sent[0]!.total, reply.visibility === 'in_channel')));
      if (sent.length === 1 && left > 0) blocks.push(contextBlock(w.tableNotShown(left)));
      continue;
    }
    blocks.push(...render(b, note));
    if (b.kind === 'chart') note = undefined;
  }
  const kept =
    blocks.length > MAX_BLOCKS ? [...blocks.slice(0, MAX_BLOCKS - 1), contextBlock(`… ${blocks.length - MAX_BLOCKS + 1} more parts not shown`)] : blocks;
  // A reply of charts alone (`chart … post`) has no blocks left here: Slack refuses an empty
  // blocks array (the Block Kit schema's minItems: 1), so the text alone carries the message.
  const first: SlackMessage = {
    text: withNumbers(reply.text, table?.columns, sent ? sent[0]!.rows : (table?.cells?.map((row) => row.map((c) => c.text)) ?? table?.rows)),
    ...(kept.length ? { blocks: kept } : {}),
  };
  const rest = (sent ?? []).slice(1).map(
    (p, k, all): SlackMessage => ({
      text: withNumbers(`${clip(reply.text.split('\n')[0]!, 2000)} (${w.tableRows(p.from, p.to, p.total)})`, table!.columns, p.rows),
      blocks: [p.block, ...(k === all.length - 1 && left > 0 ? [contextBlock(w.tableNotShown(left))] : [])],
    }),
  );
  return [first, ...rest];
}

/** A table's caption: the header it stands under, else the answer's first line if short, else '' (the column names then). */
function captionOf(reply: Reply, tableAt: number): string {
  const header = reply.blocks.slice(0, tableAt).findLast((b) => b.kind === 'header');
  const line = reply.text.split('\n')[0]!.trim();
  return header?.kind === 'header' ? header.text : line.length <= 150 ? line : '';
}

/**
 * The message's text with the table's numbers, a row a line, for notifications and screen readers
 * (which read `text`, not the blocks): every row the table has (its cells, not the text form cut
 * to fit a section), whole rows within 3,000 characters and "(+N)" for the rest; a row that only
 * says how many more there are ("… and 12 more") is left to the blocks.
 */
function withNumbers(text: string, columns: readonly string[] | undefined, rows: readonly (readonly string[])[] | undefined): string {
  const head = clip(text, 3000);
  const data = (rows ?? []).filter((r) => !r[0]?.startsWith('…'));
  if (!columns || data.length === 0 || head.length + columns.join(' · ').length + 20 > 3000) return head;
  const lines = [head, columns.join(' · ')];
  let size = lines.join('\n').length;
  for (const [i, row] of data.entries()) {
    const line = row.map((c) => c.trim() || '–').join(' · ');
    if (size + line.length + 12 > 3000) {
      lines.push(`(+${data.length - i})`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/**
 * The charts of a reply that Slack's data_visualization block can draw, by their index in the
 * reply: at most two, the most a message may hold. The others stay PNGs.
 */
export function nativeCharts(reply: Reply): Map<number, NativeChart> {
  const out = new Map<number, NativeChart>();
  for (const [i, b] of reply.blocks.entries()) {
    if (b.kind !== 'chart' || out.size === 2) continue;
    if (b.native) out.set(i, b.native);
  }
  return out;
}

function render(b: ReplyBlock, chartNote: string | undefined): Block[] {
  switch (b.kind) {
    case 'header':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(b.text, 150), emoji: true } }];
    case 'text':
      return [{ type: 'section', text: { type: 'mrkdwn', text: clip(b.text || ' ', 3000) } }];
    case 'fields': {
      const out: Block[] = [];
      for (let i = 0; i < b.fields.length; i += 10) {
        out.push({ type: 'section', fields: b.fields.slice(i, i + 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${f.label}*\n${f.value}`, 2000) })) });
      }
      return out;
    }
    case 'table':
      return [{ type: 'section', text: { type: 'mrkdwn', text: tableText(b.columns, b.rows) } }];
    case 'context':
      return [contextBlock(b.text)];
    case 'chart':
      return chartNote ? [contextBlock(`📈 ${chartNote}`)] : [];
    case 'actions':
      return [{ type: 'actions', elements: b.actions.slice(0, 25).map(action) }];
  }
}

function contextBlock(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 3000) }] };
}

function action(a: ReplyAction): Block {
  if (a.options) {
    return {
      type: 'static_select',
      action_id: a.id,
      placeholder: { type: 'plain_text', text: clip(a.label, 150) },
      options: a.options.slice(0, 100).map((o) => ({ text: { type: 'plain_text', text: clip(o.label, 75) }, value: o.value })),
    };
  }
  return { type: 'button', action_id: a.id, text: { type: 'plain_text', text: clip(a.label, 75) }, value: a.value, ...(a.style ? { style: a.style } : {}) };
}

/** A table as a code block that fits a section: rows beyond the limit are counted, not cut mid-line. */
export function tableText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const [head, rule, ...body] = alignedTable(columns, rows).split('\n');
  const kept = [head!, rule!];
  let size = head!.length + rule!.length + 10;
  for (const [i, line] of body.entries()) {
    if (size + line.length + 40 > 3000) {
      kept.push(`… ${body.length - i} more rows`);
      break;
    }
    kept.push(line);
    size += line.length + 1;
  }
  return `\`\`\`\n${kept.join('\n')}\n\`\`\``;
}
