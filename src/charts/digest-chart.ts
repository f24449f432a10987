import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { ChartBase } from './chart-base.ts';
import { finiteOrNull } from './chart-checks.ts';
import { chartError } from './chart-error.ts';
import type { ChartFill, NoDataFill } from './chart-fill.ts';
import { chartLabels } from './chart-labels.ts';
import { changeColor } from './change-color.ts';
import type { PeriodValue } from './comparison-chart.ts';
import { textWidth } from './font-metrics.ts';
import { formatChartChange, formatChartValue } from './format-chart-value.ts';

/** One KPI of a digest: its recent periods, oldest first. */
export interface DigestItem {
  readonly title: string;
  readonly unit: KpiUnit;
  /** the ISO code of a money KPI: its value and change carry its sign or code */
  readonly currency?: string;
  readonly direction?: Direction;
  readonly points: readonly PeriodValue[];
}

/** Digest small multiples: a grid of sparklines, one per KPI, with the latest value and change. */
export interface DigestChartInput extends ChartBase {
  readonly kind: 'digest';
  readonly items: readonly DigestItem[];
}

/** Cells in a digest grid: three columns of KPIs. */
export const DIGEST_MAX_ITEMS = 12;

/** Width of a digest cell, and of its header label, in pixels (digest.vl.json). */
const CELL_WIDTH = 180;
/** Font size of a cell's header (digest.vl.json). */
const HEADER_FONT_SIZE = 13;

/**
 * A KPI title broken into at most two lines that fit a cell: between words, or between any two
 * characters of Chinese, which is written without spaces. A second line still too long is cut
 * by the template's label limit.
 * @example headerLines('Complaint resolution (hours, median)') // ['Complaint resolution', '(hours, median)']
 */
export function headerLines(title: string): string[] {
  // Headers are drawn bold (the theme's header weight), which is wider than regular.
  const fits = (text: string) => textWidth(text, HEADER_FONT_SIZE, 600) <= CELL_WIDTH;
  if (fits(title)) return [title];
  // Before the bracket when the part before it fits: "Complaint resolution" / "(hours, median)".
  const bracket = title.search(/\s\(|（/);
  if (bracket > 0 && fits(title.slice(0, bracket).trimEnd())) return [title.slice(0, bracket).trimEnd(), title.slice(bracket).trim()];
  // Words with the spaces after them; each CJK character or full-width mark on its own.
  const pieces = title.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]|[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+\s*|\s+/gu) ?? [title];
  let first = '';
  let i = 0;
  while (i < pieces.length && fits((first + pieces[i]!).trimEnd())) first += pieces[i++]!;
  if (first.trim() === '') return [title];
  // A closing mark never starts a line: it takes the character before it along.
  if (i < pieces.length && /^[)）】」，。、]/u.test(pieces[i]!) && i > 1) first = pieces.slice(0, --i).join('');
  return [first.trimEnd(), pieces.slice(i).join('').trim()];
}

/** The points of digest.vl.json, one cell per KPI, or no data when no KPI has a value. */
export function fillDigestChart(input: DigestChartInput): ChartFill | NoDataFill {
  const labels = chartLabels(input.lang);
  if (!Array.isArray(input.items as unknown)) throw chartError('digest', 'items must be an array', 'pass [{ title, unit, points: [{ period, value }] }, …]');
  if (input.items.length > DIGEST_MAX_ITEMS) {
    throw chartError(
      'digest',
      `${input.items.length} KPIs do not fit one digest image (at most ${DIGEST_MAX_ITEMS})`,
      'split them over several digest charts, e.g. one per perspective',
    );
  }
  // The header shows the title on up to two lines (digest.vl.json splits at '|'), so that
  // "Complaint resolution (hours, median)" is not cut to "Complaint resolution (hou…". When one
  // title wraps, every header gets two lines, so that the cells of a row stay aligned.
  const titles = input.items.map((item) => headerLines(item.title));
  const lineCount = Math.max(1, ...titles.map((t) => t.length));
  const cells = input.items.map((item, k) => {
    const lines = titles[k]!;
    const cell = `${k}|${[...lines, ...Array<string>(lineCount - lines.length).fill(' ')].join('|')}`;
    const points = (item.points ?? []).map((p, i) => ({ i, period: p.period, value: finiteOrNull(p.value) }));
    const defined = points.filter((p) => p.value !== null);
    const last = defined.at(-1);
    const before = last ? defined.filter((p) => p.i < last.i).at(-1) : undefined;
    const change = last && before ? last.value! - before.value! : null;
    const valueLabel = last ? formatChartValue(last.value, item.unit, item.currency) : '–';
    const info = {
      valueLabel,
      changeLabel: change === null ? '' : formatChartChange(change, item.unit, item.currency),
      changeColor: changeColor(change, item.direction),
      changeX: Math.ceil(textWidth(valueLabel, 22, 600)) + 8,
      periodLabel: last ? (before ? `${last.period} ${labels.vs} ${before.period}` : last.period) : labels.noValue,
    };
    const rows: { i: number; value: number | null }[] = points.length ? points : [{ i: 0, value: null }];
    return { hasValue: last !== undefined, rows: rows.map((p) => ({ cell, i: p.i, value: p.value, last: last ? p.i === last.i : p.i === 0, ...info })) };
  });
  if (!cells.some((c) => c.hasValue)) {
    return {
      noData: {
        subject: input.title,
        period: input.period,
        reason: input.items.length ? labels.noneHasValue(input.items.length, labels.kpi) : labels.noItems(labels.kpi),
      },
    };
  }
  return {
    datasets: { points: cells.flatMap((c) => c.rows) },
    params: { chartTitle: input.title, chartSubtitle: input.subtitle ?? input.period, unit: 'count', lang: input.lang ?? 'en' },
  };
}
