import type { ReplyBlock, TableCell } from '../../answers/reply.ts';
import type { Block } from './check-block-limits.ts';

/**
 * Slack's data_table limits (docs.slack.dev, "Data table block"; our summary in
 * ../shared/reference/slack/native-blocks-2026.md): 1 header and 1 to 100 rows, 1 to 20 columns,
 * 10,000 characters across the cells of a table and of all tables in a message, page_size 1 to 100.
 */
export const DATA_TABLE_LIMITS = { rows: 100, columns: 20, chars: 10_000, pageSize: 100 } as const;

/** Rows Slack shows per page of the table before its own pager: a screenful, as in a BI table. */
export const TABLE_PAGE_SIZE = 20;

/** Most messages one table is split into; rows past them are counted, and the answer says how to narrow the question. */
export const MAX_TABLE_MESSAGES = 5;

/** One message's share of a table: rows `from`–`to` (1-based) of `total`, as a data_table block. */
export interface TablePage {
  readonly from: number;
  readonly to: number;
  readonly total: number;
  /** the text of each row, for the message's text fallback */
  readonly rows: readonly (readonly string[])[];
  readonly block: Block;
}

type Table = Extract<ReplyBlock, { kind: 'table' }>;

/**
 * A table as data_table blocks, one per message: each holds at most 100 rows and 10,000 characters
 * of cells (a number cell counts its text and its value, the stricter reading of the limit). A cell
 * with a number is `raw_number` with its formatted text, so its column sorts numerically. Undefined
 * when the block cannot hold the table at all: over 20 columns, or a header and one row over 10,000
 * characters. Those stay monospaced text.
 * @example const pages = dataTablePages(table, 'Win rate by region'); blocks.push(pages[0].block);
 */
export function dataTablePages(table: Table, caption: string): TablePage[] | undefined {
  const { columns } = table;
  if (columns.length === 0 || columns.length > DATA_TABLE_LIMITS.columns) return undefined;
  const rows = table.cells ?? table.rows.map((r) => r.map((text): TableCell => ({ text })));
  if (rows.length === 0) return undefined;
  const header = columns.map((c) => ({ type: 'raw_text', text: c || '–' }));
  const headerChars = header.reduce((n, c) => n + c.text.length, 0);
  const pages: TablePage[] = [];
  let start = 0;
  while (start < rows.length) {
    let chars = headerChars;
    let end = start;
    while (end < rows.length && end - start < DATA_TABLE_LIMITS.rows) {
      const size = rowChars(rows[end]!, columns.length);
      if (chars + size > DATA_TABLE_LIMITS.chars) break;
      chars += size;
      end++;
    }
    if (end === start) return undefined;
    const body = rows.slice(start, end).map((r) => columns.map((_, i) => cell(r[i])));
    pages.push({
      from: start + 1,
      to: end,
      total: rows.length,
      rows: rows.slice(start, end).map((r) => columns.map((_, i) => r[i]?.text ?? '')),
      block: {
        type: 'data_table',
        caption: caption || columns.join(' · '),
        // The first column names the row (a region, a KPI): screen readers announce it with each cell.
        row_header_column_index: 0,
        page_size: Math.min(TABLE_PAGE_SIZE, body.length),
        rows: [header, ...body],
      },
    });
    start = end;
  }
  return pages;
}

/** Characters a row adds to a table, as dataTablePages counts them. */
export function rowChars(row: readonly TableCell[], width: number): number {
  let n = 0;
  for (let i = 0; i < width; i++) {
    const c = row[i];
    n += (c?.text || '–').length + (c?.value !== undefined ? String(c.value).length : 0);
  }
  return n;
}

// A blank cell is a dash: Slack refuses an empty raw_text.
function cell(c: TableCell | undefined): Block {
  const text = c?.text || '–';
  return c?.value !== undefined && Number.isFinite(c.value) ? { type: 'raw_number', value: c.value, text } : { type: 'raw_text', text };
}
