// Slack's data_table block for the tables of /kpi answers (issue 17): the limits of the block at
// and one past each (100 rows, 20 columns, 10,000 characters), a long table split over messages
// that say which rows each holds, the text fallback carrying the numbers, and every message in
// both languages passing the published Block Kit schema (test/helpers/block-kit.ts).
import { describe, expect, it } from 'vitest';
import type { Reply, ReplyBlock, TableCell } from '../../src/answers/reply.ts';
import { fitTable } from '../../src/answers/reply-limits.ts';
import { messages } from '../../src/answers/messages.ts';
import { dataTablePages, DATA_TABLE_LIMITS, MAX_TABLE_MESSAGES } from '../../src/slack/blocks/data-table.ts';
import { renderReply, renderReplyMessages } from '../../src/slack/blocks/render-reply.ts';
import { messageProblems } from '../helpers/block-kit.ts';

type Table = Extract<ReplyBlock, { kind: 'table' }>;
type Cell = { type: string; text?: string; value?: number };
const rowsOf = (block: unknown) => (block as { rows: Cell[][] }).rows;

/** A table of `n` regions with a won-revenue number each, as an answer builds it. */
function regions(n: number): Table {
  const cells = Array.from({ length: n }, (_, i): TableCell[] => [{ text: `r${i + 1}` }, { text: `$${(i + 1) * 10}`, value: (i + 1) * 10 }]);
  return { kind: 'table', ...fitTable(['region', '2024-03'], cells, messages('en').more) };
}

/** A one-column table of text rows of the given lengths, under a one-character header. */
const textTable = (lengths: number[]): Table => ({ kind: 'table', columns: ['h'], rows: lengths.map((l, i) => [String(i % 10).repeat(l)]) });

const reply = (table: Table, visibility: Reply['visibility'], locale: Reply['locale'] = 'en'): Reply => ({
  text: 'Won revenue by region',
  blocks: [{ kind: 'header', text: 'Won revenue by region' }, table, { kind: 'context', text: 'Source: crm' }],
  visibility,
  kind: 'answer',
  locale,
});

describe('data_table limits', () => {
  it('100 rows are one table; 101 are two, split after the 100th', () => {
    const one = dataTablePages(regions(100), 'c')!;
    expect(one.map((p) => [p.from, p.to, p.total])).toEqual([[1, 100, 100]]);
    expect(rowsOf(one[0]!.block)).toHaveLength(101);
    const two = dataTablePages(regions(101), 'c')!;
    expect(two.map((p) => [p.from, p.to, p.total])).toEqual([
      [1, 100, 101],
      [101, 101, 101],
    ]);
    expect(rowsOf(two[1]!.block).map((r) => r[0]!.text)).toEqual(['region', 'r101']);
    for (const p of [...one, ...two]) expect(messageProblems({ text: 'x', blocks: [p.block] })).toEqual([]);
  });

  it('20 columns fit the block; 21 stay monospaced text', () => {
    const wide = (n: number): Table => ({
      kind: 'table',
      columns: Array.from({ length: n }, (_, i) => `c${i}`),
      rows: [Array.from({ length: n }, (_, i) => String(i))],
    });
    const twenty = dataTablePages(wide(DATA_TABLE_LIMITS.columns), 'c')!;
    expect(rowsOf(twenty[0]!.block)[0]).toHaveLength(20);
    expect(messageProblems({ text: 'x', blocks: [twenty[0]!.block] })).toEqual([]);
    expect(dataTablePages(wide(21), 'c')).toBeUndefined();
    const message = renderReply(reply(wide(21), 'ephemeral'), { tables: true });
    expect(message.blocks!.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  it('10,000 characters of cells are one table; 10,001 split, each part within the limit', () => {
    // The header's 1 character and 99 rows of 101: 10,000 exactly.
    const exact = dataTablePages(textTable(Array.from({ length: 99 }, () => 101)), 'c')!;
    expect(exact).toHaveLength(1);
    expect(messageProblems({ text: 'x', blocks: [exact[0]!.block] })).toEqual([]);
    const over = dataTablePages(textTable([...Array.from({ length: 98 }, () => 101), 102]), 'c')!;
    expect(over.map((p) => [p.from, p.to])).toEqual([
      [1, 98],
      [99, 99],
    ]);
    for (const p of over) expect(messageProblems({ text: 'x', blocks: [p.block] })).toEqual([]);
    // The checker, which reads the limit independently, refuses the unsplit 10,001.
    const unsplit = { type: 'data_table', caption: 'c', rows: [[{ type: 'raw_text', text: 'h' }], ...over.flatMap((p) => rowsOf(p.block).slice(1))] };
    expect(messageProblems({ text: 'x', blocks: [unsplit] })).toContain('blocks[0] (data_table): 10001 characters in its cells; at most 10000');
  });

  it('a number cell is raw_number with its formatted text, so the column sorts by value; a blank cell is a dash', () => {
    const table: Table = {
      kind: 'table',
      ...fitTable(
        ['region', 'won', 'note'],
        [
          ['West', { text: '$40', value: 40 }, ''],
          ['East', { text: '$100', value: 100 }, 'x'],
        ],
        messages('en').more,
      ),
    };
    const [page] = dataTablePages(table, 'Won revenue')!;
    expect(rowsOf(page!.block)).toEqual([
      [
        { type: 'raw_text', text: 'region' },
        { type: 'raw_text', text: 'won' },
        { type: 'raw_text', text: 'note' },
      ],
      [
        { type: 'raw_text', text: 'West' },
        { type: 'raw_number', value: 40, text: '$40' },
        { type: 'raw_text', text: '–' },
      ],
      [
        { type: 'raw_text', text: 'East' },
        { type: 'raw_number', value: 100, text: '$100' },
        { type: 'raw_text', text: 'x' },
      ],
    ]);
    expect(page!.block).toMatchObject({ type: 'data_table', caption: 'Won revenue', row_header_column_index: 0, page_size: 2 });
  });
});

describe('a long table over several messages', () => {
  it('posted: rows 1–100 of 340 in the answer, the rest in three more messages for its thread', () => {
    const sent = renderReplyMessages(reply(regions(340), 'in_channel'), { tables: true });
    expect(sent).toHaveLength(4);
    const first = sent[0]!;
    expect(first.blocks!.map((b) => b.type)).toEqual(['header', 'data_table', 'context', 'context']);
    expect(first.blocks![1]).toMatchObject({ caption: 'Won revenue by region · rows 1–100 of 340' });
    expect(JSON.stringify(first.blocks![2])).toContain('rows 1–100 of 340; the rest follow in the thread');
    expect(sent.map((m) => (m.blocks![m === first ? 1 : 0] as unknown as { caption: string }).caption.split(' · ')[1])).toEqual([
      'rows 1–100 of 340',
      'rows 101–200 of 340',
      'rows 201–300 of 340',
      'rows 301–340 of 340',
    ]);
    // Every row is sent once, in order.
    const sentRows = sent.flatMap((m) =>
      rowsOf(m.blocks!.find((b) => b.type === 'data_table'))
        .slice(1)
        .map((r) => r[0]!.text),
    );
    expect(sentRows).toEqual(Array.from({ length: 340 }, (_, i) => `r${i + 1}`));
    for (const m of sent) expect(messageProblems(m as never)).toEqual([]);
  });

  it(`ephemeral, in Chinese: the rest follow in the next messages; past ${MAX_TABLE_MESSAGES} messages the rows left are counted`, () => {
    const sent = renderReplyMessages(reply(regions(640), 'ephemeral', 'zh'), { tables: true });
    expect(sent).toHaveLength(MAX_TABLE_MESSAGES);
    expect(JSON.stringify(sent[0]!.blocks)).toContain('第 1–100 行，共 640 行；其余各行见后续消息');
    expect(JSON.stringify(sent.at(-1)!.blocks)).toContain('另有 140 行未显示');
    for (const m of sent) expect(messageProblems({ ...m, response_type: 'ephemeral' } as never)).toEqual([]);
  });
});

describe('the text fallback carries the numbers', () => {
  const table: Table = {
    kind: 'table',
    ...fitTable(
      ['region', '2024-03', 'change'],
      [
        ['West', { text: '$40', value: 40 }, { text: '−$60', value: -60 }],
        ['East', { text: '$100', value: 100 }, { text: '$0', value: 0 }],
      ],
      messages('en').more,
    ),
  };
  it.each([true, false])('native tables %s: text names each row with its numbers', (tables) => {
    const { text } = renderReply(reply(table, 'ephemeral'), { tables });
    expect(text.split('\n')).toEqual(['Won revenue by region', 'region · 2024-03 · change', 'West · $40 · −$60', 'East · $100 · $0']);
  });

  it('as text, a table cut to fit its section still gives every row it can in the text, and counts the rest', () => {
    const table = regions(400);
    expect(table.rows.at(-1)![0]).toMatch(/^… and \d+ more$/);
    const lines = renderReply(reply(table, 'ephemeral'), { tables: false }).text.split('\n');
    const shown = lines.filter((l) => /^r\d+ · \$\d+$/.test(l));
    // More rows than the 3,000-character section shows, in order, then the count of the others.
    expect(shown.length).toBeGreaterThan(table.rows.length - 1);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => `r${i + 1} · $${(i + 1) * 10}`));
    expect(lines.at(-1)).toBe(`(+${400 - shown.length})`);
  });

  it('each further message of a split table names its own rows', () => {
    const sent = renderReplyMessages(reply(regions(150), 'in_channel'), { tables: true });
    expect(sent[1]!.text.split('\n').slice(0, 3)).toEqual(['Won revenue by region (rows 101–150 of 150)', 'region · 2024-03', 'r101 · $1010']);
    expect(sent[0]!.text.length).toBeLessThanOrEqual(3000);
    // The first message's text holds as many rows as fit 3,000 characters and counts the rest.
    expect(sent[0]!.text).toMatch(/r100 · \$1000|\(\+\d+\)$/);
  });
});
