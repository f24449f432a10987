import type { Reply, ReplyAction, ReplyBlock } from '../../commands/reply.ts';
import { tableText as alignedTable } from '../../commands/table-text.ts';
import { nativeChart, type NativeChart } from '../../charts/native-chart.ts';
import { clip, type Block, type SlackMessage } from './check-block-limits.ts';
import { dataVisualizationBlock } from './native-blocks.ts';

/** Most blocks a reply uses; the rest are summarised so the message never breaks the limit of 50. */
const MAX_BLOCKS = 48;

/**
 * A reply as a Block Kit message. Charts are not blocks here: the caller uploads them (into a
 * thread, or the user's DM for an ephemeral answer) and this message says where. Tables are
 * monospaced sections, cut to fit 3,000 characters with "… N more rows".
 * @example respond({ ...renderReply(reply), response_type: reply.visibility })
 */
export function renderReply(reply: Reply, options: { chartNote?: string; native?: boolean } = {}): SlackMessage {
  const blocks: Block[] = [];
  const native = options.native ? nativeCharts(reply) : new Map<number, NativeChart>();
  // One note says where the charts went, however many there are.
  let note = options.chartNote;
  for (const [i, b] of reply.blocks.entries()) {
    const drawn = native.get(i);
    if (drawn) {
      blocks.push(dataVisualizationBlock(drawn));
      continue;
    }
    blocks.push(...render(b, note));
    if (b.kind === 'chart') note = undefined;
  }
  const kept = blocks.length > MAX_BLOCKS ? [...blocks.slice(0, MAX_BLOCKS - 1), contextBlock(`… ${blocks.length - MAX_BLOCKS + 1} more parts not shown`)] : blocks;
  // A reply of charts alone (`chart … post`) has no blocks left here: Slack refuses an empty
  // blocks array (the Block Kit schema's minItems: 1), so the text alone carries the message.
  return { text: clip(reply.text, 3000), ...(kept.length ? { blocks: kept } : {}) };
}

/**
 * The charts of a reply that Slack's data_visualization block can draw, by their index in the
 * reply: at most two, the most a message may hold. The others stay PNGs.
 */
export function nativeCharts(reply: Reply): Map<number, NativeChart> {
  const out = new Map<number, NativeChart>();
  for (const [i, b] of reply.blocks.entries()) {
    if (b.kind !== 'chart' || out.size === 2) continue;
    const chart = nativeChart(b.chart);
    if (chart) out.set(i, chart);
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
