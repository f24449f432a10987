// The shape every bench case returns, so that `npm run bench` can print all of them as one table
// and one JSON document: per figure, what was measured, crm-pulse's number, the named baseline's
// number from the same run, their ratio and the peak RSS of each side.

/** One row of the combined table: a crm-pulse figure against a baseline measured in the same run. */
export interface BenchRow {
  /** the bench case: ingest, kpi, evaluate, chart, slash, parse, soak, cli, idle */
  readonly case: string;
  /** what is measured, in a few words */
  readonly measured: string;
  /** the unit of `value` and `baselineValue`: s, ms, µs, MB or count */
  readonly unit: 's' | 'ms' | 'µs' | 'MB' | 'count';
  /** crm-pulse's figure */
  readonly value: number;
  /** the baseline's name; undefined when the figure has none (an error count) */
  readonly baseline?: string;
  /** the baseline's figure, in `unit`, from the same run */
  readonly baselineValue?: number;
  /** value ÷ baselineValue: below 1 crm-pulse is faster (or smaller) */
  readonly ratio?: number;
  /** peak RSS of crm-pulse's process for this figure, MB */
  readonly peakRssMb?: number;
  /** peak RSS of the baseline's process, MB */
  readonly baselinePeakRssMb?: number;
}

/** What a case hands back: its table rows, the detail lines it prints, and its results for the JSON. */
export interface BenchCaseResult {
  readonly rows: BenchRow[];
  readonly detail: string;
  readonly raw: unknown;
}

/** A row with its ratio computed from the two figures. */
export function benchRow(row: Omit<BenchRow, 'ratio'>): BenchRow {
  return row.baselineValue === undefined || row.baselineValue === 0 ? row : { ...row, ratio: row.value / row.baselineValue };
}

/** The median of a list of numbers (the upper one of an even count, as the cases always used). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
