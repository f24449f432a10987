/** Wide characters (CJK, full-width forms) take two columns in a monospaced font. */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;

/** Cells that are right-aligned: numbers, percentages, signed changes (a trailing * marks a low-confidence one), and the dash of no value. */
const NUMERIC = /^(–|[−+±-]?[\d,]*\.?\d+( ?%| pp)?\*?)$/;

/** How many monospaced columns a text takes. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/**
 * A table as monospaced lines: columns padded to their widest cell by display width (a Chinese
 * character counts two), numeric columns right-aligned, a dashed rule under the header. Local
 * mode prints it; Slack shows the same text in a code block.
 * @example tableText(['region', 'value'], [['West', '41.3%']]) // 'region  value\n------  -----\nWest    41.3%'
 */
export function tableText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  // A column of numbers is right-aligned; blank cells and "… and N more" do not count against it.
  const filler = (c: string) => c === '' || c.startsWith('…');
  const numeric = columns.map((_, i) => rows.some((r) => NUMERIC.test(r[i] ?? '')) && rows.every((r) => NUMERIC.test(r[i] ?? '') || filler(r[i] ?? '')));
  const pad = (cell: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell)));
    return numeric[i] && !filler(cell) ? fill + cell : cell + fill;
  };
  const line = (cells: readonly string[]) =>
    columns
      .map((_, i) => pad(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
