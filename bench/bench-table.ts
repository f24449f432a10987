// Prints the rows of every bench case as one plain-text table.
import type { BenchRow } from './bench-row.ts';

/** A figure with its unit, at a precision that reads well (three significant digits, at least). */
export function formatFigure(value: number, unit: BenchRow['unit']): string {
  if (unit === 'count') return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/**
 * The combined table: case, what is measured, crm-pulse's figure, the baseline and its figure,
 * the ratio (crm-pulse ÷ baseline) and the peak RSS of crm-pulse's side (and the baseline's).
 * @example console.log(benchTable([{ case: 'parse', measured: 'worst text', unit: 'µs', value: 800, baseline: 'typical', baselineValue: 40, ratio: 20 }]))
 */
export function benchTable(rows: readonly BenchRow[]): string {
  const mb = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(0)}`);
  const cells = rows.map((r) => [
    r.case,
    r.measured,
    formatFigure(r.value, r.unit),
    r.baseline ?? '—',
    r.baselineValue === undefined ? '—' : formatFigure(r.baselineValue, r.unit),
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(r.ratio < 0.1 ? 3 : 2)}×`,
    r.peakRssMb === undefined ? '—' : `${mb(r.peakRssMb)}${r.baselinePeakRssMb === undefined ? '' : ` / ${mb(r.baselinePeakRssMb)}`} MB`,
  ]);
  const head = ['case', 'measured', 'crm-pulse', 'baseline', 'baseline figure', 'ratio', 'peak RSS (ours / baseline)'];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const right = new Set([2, 4, 5, 6]);
  const line = (c: string[]) => `| ${c.map((x, i) => (right.has(i) ? x.padStart(width[i]!) : x.padEnd(width[i]!))).join(' | ')} |`;
  return [line(head), `|${width.map((w, i) => (right.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...cells.map(line)].join('\n');
}
