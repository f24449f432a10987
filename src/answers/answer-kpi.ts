import type { BreakdownChartInput } from '../charts/breakdown-chart.ts';
import type { TrendChartInput } from '../charts/trend-chart.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Period } from '../domain/period.ts';
import type { KpiValue } from '../kpi/evaluate-kpi.ts';
import { formatKpiChange, formatKpiValue, formatSampleSize } from '../kpi/format-kpi-value.ts';
import { isLowSample, minSample } from '../kpi/sample-size.ts';
import { targetOnGrain } from '../kpi/target-on-grain.ts';
import type { KpiReport } from '../kpi/kpi-report.ts';
import { periodContaining } from '../kpi/periods.ts';
import type { TargetStatus } from '../kpi/target-status.ts';
import { chartThreshold } from './chart-threshold.ts';
import type { KpiQuery } from './command.ts';
import type { CommandDeps } from './command-deps.ts';
import { messages, type Messages } from './messages.ts';
import { periodName } from './period-name.ts';
import { answerReply, chartBlock } from './reply-of.ts';
import { fitTable, numberCell } from './reply-limits.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

/** Periods on a KPI's trend chart: a year of months, three of quarters. */
export const TREND_PERIODS = 12;

/**
 * `/kpi <kpi> …`: the KPI's value in the period, its change against the previous period and the
 * same period last year, its target progress, a trend chart of the last 12 periods (with the
 * target and the alert threshold), and with `by` the breakdown as a table and a chart.
 * `/kpi chart …` (chartOnly) answers with the chart alone.
 */
export async function answerKpi(deps: CommandDeps, q: KpiQuery, ctx: CommandContext, post: boolean, chartOnly: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const kpi = deps.kpis.get(q.kpi);
  const asked = q.period ?? periodContaining(q.asOf, q.grain, deps.calendar);
  const asOf = new Date(Math.min(q.asOf.getTime(), asked.end.getTime() - 1));
  // Without a period named, a KPI whose data ends before the clock's period is judged at its data's end.
  const report = await deps.kpiReport(kpi.key, {
    grain: asked.grain,
    asOf,
    count: TREND_PERIODS,
    by: q.by,
    atDataEnd: q.period === undefined,
    range: asked.range ? asked : undefined,
  });
  const row = report.rows.at(-1)!;
  const period = row.period;
  const title = m.kpiTitle(kpi);
  const value = formatKpiValue(row.current.value, kpi.unit, kpi.currency);
  const target = (await deps.targets(q.asOf, kpi.key)).find((t) => t.key === kpi.key);
  const trend = trendChart(deps, kpi, report, target, m);
  const breakdown = q.by === undefined ? undefined : breakdownChart(kpi, report, q.by, m);
  const sample = row.current.value === null ? '' : sampleText(row.current, kpi, m);
  const summary = `${m.kpiHeader(title, periodName(period, ctx.locale, deps.calendar))}: ${row.current.value === null ? m.noValue(row.current.reason) : `${value}${sample}`}`;
  if (chartOnly) return answerReply(summary, [breakdown ?? trend], post, m.locale);

  const day = (d: Date) => periodContaining(new Date(d.getTime() - 1), 'day', deps.calendar).label;
  const notes = [
    ...(row.current.cutAt ? [m.toDate(day(row.current.cutAt))] : []),
    ...(report.dataEnd ? [m.atDataEnd(day(new Date(report.dataEnd.getTime() + 1)))] : []),
  ];
  const compared = (c: typeof row.previous) => (c.cutAt ? m.toDateLabel(c.period.label, day(c.cutAt)) : c.period.label);
  const blocks: ReplyBlock[] = [
    { kind: 'header', text: m.kpiHeader(title, periodName(period, ctx.locale, deps.calendar)) },
    {
      kind: 'text',
      text: (row.current.value === null ? m.noValue(row.current.reason) : `*${value}*${sample}`) + (notes.length ? ` (${notes.join(m.semicolon)})` : ''),
    },
    {
      kind: 'fields',
      fields: [
        { label: m.vsPrevious, value: comparisonText(m, kpi, row.change, compared(row.previous), row.previous) },
        { label: m.vsLastYear, value: comparisonText(m, kpi, row.changeYoY, compared(row.lastYear), row.lastYear) },
        ...(target ? [{ label: `${m.targetLabel} (${target.current.period.label})`, value: targetText(target, kpi, m) }] : []),
      ],
    },
  ];
  // A chart with no value to draw is left out: the text already says why there is none (the
  // "no data" image stays for /kpi chart, which asks for the chart alone).
  const drawable = (values: readonly (number | null)[]) => values.some((v) => v !== null);
  if (q.by !== undefined && report.breakdown) {
    blocks.push(...breakdownTable(kpi, report, row.period, q.by, m));
    if (drawable(report.breakdown.map((b) => b.value))) blocks.push(breakdown!);
  }
  if (!period.range && drawable(report.rows.map((r) => r.current.value))) blocks.push(trend);
  blocks.push({ kind: 'context', text: `${m.definition(kpi)} · ${m.timeZone(deps.calendar.timeZone)}` });
  return answerReply(summary, blocks, post, m.locale);
}

/** A comparison: the change and the compared value, or why the compared period has none. */
function comparisonText(m: Messages, kpi: KpiDefinition, change: number | null, label: string, c: { value: number | null; reason?: string }): string {
  if (c.value === null) return m.change('–', label, m.noValue(c.reason));
  return m.change(formatKpiChange(change, kpi.unit, kpi.currency), label, formatKpiValue(c.value, kpi.unit, kpi.currency));
}

/** " (n = 1,234)" after a value of a KPI with a sample size, with the low-confidence warning under its minimum; '' without. */
export function sampleText(v: KpiValue, kpi: KpiDefinition, m: Messages): string {
  if (v.n === undefined) return '';
  return ` (${m.sample(formatSampleSize(v.n), v.low ? formatSampleSize(minSample(kpi)) : undefined)})`;
}

/** A target's progress in words. */
export function targetText(t: TargetStatus, kpi: KpiDefinition, m: Messages): string {
  const value = formatKpiValue(t.target, kpi.unit, kpi.currency);
  if (t.lowSample)
    return m.target(value, t.deadline, undefined, undefined, undefined, m.lowSampleTarget(formatSampleSize(t.lowSample.n), formatSampleSize(t.lowSample.min)));
  if (!t.progress) return m.target(value, t.deadline, undefined, undefined, undefined, t.reason ?? m.noValue(undefined));
  const pct = `${Math.round(t.progress.progress * 100)}%`;
  const projected = t.progress.projected === null ? undefined : formatKpiValue(t.progress.projected, kpi.unit, kpi.currency);
  const heading = t.heading ? ` · ${m.targetHeading(formatKpiValue(t.start.value, kpi.unit, kpi.currency), t.start.period.label, t.heading)}` : '';
  return `${m.target(value, t.deadline, pct, projected, t.progress.onTrack, undefined)}${heading}`;
}

function trendChart(deps: CommandDeps, kpi: KpiDefinition, report: KpiReport, target: TargetStatus | undefined, m: Messages): ReplyBlock {
  const rows = report.rows;
  const range = `${rows[0]!.period.label} – ${rows.at(-1)!.period.label}`;
  const threshold = chartThreshold(deps.config.config.alerts, kpi.key, rows[0]!.period.grain);
  // A quarterly sum target over monthly values would sit three times too high (issue 14): drawn only
  // where its grain fits, or converted to a pace per period and labelled so.
  const grain = rows[0]!.period.grain;
  const drawn = target ? targetOnGrain(kpi, { value: target.target, grain: target.current.period.grain }, grain) : undefined;
  const chart: TrendChartInput = {
    kind: 'trend',
    title: m.kpiTitle(kpi),
    period: range,
    unit: kpi.unit,
    currency: kpi.currency,
    lang: m.locale,
    points: rows.map((r) => ({
      period: r.period.label,
      start: r.period.start.toISOString(),
      value: r.current.value,
      ...(r.current.n !== undefined ? { n: r.current.n, low: isLowSample(r.current) } : {}),
      ...(r.current.cutAt ? { toDate: periodContaining(new Date(r.current.cutAt.getTime() - 1), 'day', deps.calendar).label } : {}),
    })),
    ...(threshold ? { threshold } : {}),
    ...(drawn ? { target: drawn.value } : {}),
    ...(drawn?.kind === 'pace'
      ? {
          targetLabel: m.targetPace(
            formatKpiValue(target!.target, kpi.unit, kpi.currency),
            target!.current.period.grain,
            grain,
            formatKpiValue(drawn.value, kpi.unit, kpi.currency),
          ),
        }
      : {}),
  };
  return chartBlock(chart, m.trendAlt(chart.title, range, threshold !== undefined, drawn !== undefined));
}

function breakdownChart(kpi: KpiDefinition, report: KpiReport, by: string, m: Messages): ReplyBlock {
  const row = report.rows.at(-1)!;
  const chart: BreakdownChartInput = {
    kind: 'breakdown',
    title: m.kpiTitle(kpi),
    period: row.period.label,
    unit: kpi.unit,
    currency: kpi.currency,
    direction: kpi.direction,
    dimension: m.dimension(by),
    previousPeriod: row.previous.period.label,
    lang: m.locale,
    items: (report.breakdown ?? []).map((b) => ({
      key: b.key,
      value: b.value,
      previous: b.previous,
      ...(b.n !== undefined ? { n: b.n, low: isLowSample(b) } : {}),
    })),
  };
  return chartBlock(chart, m.breakdownAlt(chart.title, chart.dimension, chart.period));
}

/** The breakdown as the report ranks it (by n for a KPI with a sample size), n beside each value and * on the low-confidence ones. */
function breakdownTable(kpi: KpiDefinition, report: KpiReport, period: Period, by: string, m: Messages): ReplyBlock[] {
  const previous = report.rows.at(-1)!.previous.period.label;
  const items = report.breakdown ?? [];
  const withN = kpi.sample !== undefined;
  const rows = items.map((b) => {
    const change = b.value === null || b.previous === null ? null : b.value - b.previous;
    return [
      b.key,
      numberCell(b.value, `${formatKpiValue(b.value, kpi.unit, kpi.currency)}${isLowSample(b) ? '*' : ''}`),
      ...(withN ? [numberCell(b.n, formatSampleSize(b.n))] : []),
      numberCell(b.previous, formatKpiValue(b.previous, kpi.unit, kpi.currency)),
      numberCell(change, formatKpiChange(change, kpi.unit, kpi.currency)),
    ];
  });
  const table: ReplyBlock = {
    kind: 'table',
    ...fitTable([m.dimension(by), period.label, ...(withN ? [m.sampleColumn] : []), previous, m.changeColumn], rows, m.more),
  };
  return items.some(isLowSample) ? [table, { kind: 'context', text: m.lowSampleNote(formatSampleSize(minSample(kpi))) }] : [table];
}
