import type { ContributionChartInput } from '../charts/contribution-chart.ts';
import type { BreakdownChartInput } from '../charts/breakdown-chart.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import type { Period } from '../domain/period.ts';
import { attributeChange, explanatoryPower, type ChangeAttribution, type ChangeContribution } from '../kpi/change-contributions.ts';
import { formatKpiChange, formatKpiValue } from '../kpi/format-kpi-value.ts';
import { formulaShape, type FormulaShape, type LinearForm } from '../kpi/formula-shape.ts';
import { periodContaining, previousPeriod } from '../kpi/periods.ts';
import type { KpiQuery } from './command.ts';
import type { CommandDeps } from './command-deps.ts';
import { whyDimensions } from '../kpi/kpi-dimensions.ts';
import { messages, type Messages } from './messages.ts';
import { periodName } from './period-name.ts';
import { answerReply, chartBlock } from './reply-of.ts';
import { fitTable } from './reply-limits.ts';
import type { CommandContext, Reply, ReplyBlock } from './reply.ts';

/** Rows per dimension when `why` ranks every dimension; with `by`, as many as fit. */
const ROWS_PER_DIMENSION = 5;

/** One dimension's attribution of the change. */
interface DimensionAttribution {
  readonly dimension: string;
  readonly attribution: ChangeAttribution;
}

/**
 * `/kpi why <kpi> [period] [by <dimension>]`: the change of the KPI from the previous period,
 * split over the values of each of its dimensions (or the one asked for) and ranked by their
 * contribution: each value's own change for an additive KPI, rate + mix effects (shift-share)
 * for a ratio. The dimension that explains most beyond all values moving alike comes first,
 * with its chart.
 */
export async function answerWhy(deps: CommandDeps, q: KpiQuery, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const kpi = deps.kpis.get(q.kpi);
  const title = m.kpiTitle(kpi);
  const period = q.period ?? periodContaining(q.asOf, q.grain, deps.calendar);
  const previous = previousPeriod(period, deps.calendar);
  const header: ReplyBlock = { kind: 'header', text: m.whyHeader(title, periodName(period, ctx.locale, deps.calendar)) };
  const dimensions = q.by !== undefined ? [q.by] : whyDimensions(kpi);
  if (dimensions.length === 0) return answerReply(m.noDimensions(title), [header, { kind: 'text', text: m.noDimensions(title) }], post, m.locale);

  const shape = formulaShape(kpi);
  const all: DimensionAttribution[] = [];
  // As of a date inside the period, both periods are cut at the same offset: nothing after it counts.
  const toDate = q.asOf.getTime() + 1 < period.end.getTime();
  const cut = q.asOf.getTime() + 1 - period.start.getTime();
  const asOf = (p: Period) => new Date((toDate ? Math.min(p.end.getTime(), p.start.getTime() + cut) : p.end.getTime()) - 1);
  for (const dimension of dimensions) all.push({ dimension, attribution: await attribute(deps, kpi, shape, period, previous, dimension, asOf) });
  const { before, after, change } = all[0]!.attribution;
  if (change === null) {
    const missing = after === null ? period : previous;
    const report = await deps.kpiReport(kpi.key, { grain: period.grain, asOf: asOf(missing), count: 1 });
    const text = m.whyNoValue(title, missing.label, report.rows[0]!.current.reason);
    return answerReply(text, [header, { kind: 'text', text }], post, m.locale);
  }
  // A dimension with one value (say every deal without a sector) explains nothing; unless asked for, it is left out.
  const informative = all.filter((d) => q.by !== undefined || d.attribution.items.length > 1);
  // Without contributions there is no fair measure of what explains most: coarse dimensions first.
  const power = (a: ChangeAttribution) => (a.method === 'own_change' ? 0 : explanatoryPower(a));
  const split = (informative.length ? informative : all).sort(
    (a, b) => power(b.attribution) - power(a.attribution) || dimensions.indexOf(a.dimension) - dimensions.indexOf(b.dimension),
  );
  const top = split[0]!;
  const fmt = (v: number | null) => formatKpiValue(v, kpi.unit, kpi.currency);
  const summary = m.whySummary(title, fmt(before), fmt(after), previous.label, period.label, formatKpiChange(change, kpi.unit, kpi.currency));
  const driver = top.attribution.items[0];
  const driverWords =
    driver &&
    (driver.contribution !== null ? m.topDriver : m.largestChange)(
      driver.key,
      m.dimension(top.dimension),
      formatKpiChange(driver.contribution ?? changeOf(driver), kpi.unit, kpi.currency),
    );
  const driverText = driverWords ? `${m.sentenceGap}${driverWords}` : '';

  const blocks: ReplyBlock[] = [
    header,
    { kind: 'text', text: summary + driverText },
    { kind: 'context', text: m.method(top.attribution.method, title, methodDetail(kpi, shape)) },
  ];
  for (const [i, d] of split.entries()) {
    blocks.push(table(kpi, d, previous, period, q.by !== undefined ? Infinity : ROWS_PER_DIMENSION, m));
    const rest = d.attribution.unexplained;
    if (rest !== null && Math.abs(rest) > 1e-9 * Math.max(1, Math.abs(change)))
      blocks.push({ kind: 'context', text: `${m.dimension(d.dimension)}: ${m.unexplained(formatKpiChange(rest, kpi.unit, kpi.currency))}` });
    if (i === 0) blocks.push(chart(kpi, d, previous, period, m));
  }
  return answerReply(summary + driverText, blocks, post, m.locale);
}

async function attribute(
  deps: CommandDeps,
  kpi: KpiDefinition,
  shape: FormulaShape,
  period: Period,
  previous: Period,
  by: string,
  asOf: (p: Period) => Date,
): Promise<ChangeAttribution> {
  const at = (p: Period) => deps.kpiReport(kpi.key, { grain: p.grain, asOf: asOf(p), count: 1, by });
  const [now, before] = [await at(period), await at(previous)];
  const row = now.rows[0]!;
  return attributeChange(shape, { before: row.previous.value, after: row.current.value }, before.breakdown ?? [], now.breakdown ?? []);
}

function changeOf(c: ChangeContribution): number | null {
  return c.before === null || c.after === null ? null : c.after - c.before;
}

function table(kpi: KpiDefinition, d: DimensionAttribution, previous: Period, period: Period, limit: number, m: Messages): ReplyBlock {
  const { method, items } = d.attribution;
  const fmt = (v: number | null) => formatKpiValue(v, kpi.unit, kpi.currency);
  const chg = (v: number | null | undefined) => formatKpiChange(v ?? null, kpi.unit, kpi.currency);
  const columns =
    method === 'shift_share'
      ? [m.dimension(d.dimension), previous.label, period.label, m.rateEffect, m.mixEffect, m.contribution]
      : [m.dimension(d.dimension), previous.label, period.label, method === 'additive' ? m.contribution : m.changeColumn];
  const rowOf = (c: ChangeContribution) =>
    method === 'shift_share'
      ? [c.key, fmt(c.before), fmt(c.after), chg(c.rateEffect), chg(c.mixEffect), chg(c.contribution)]
      : [c.key, fmt(c.before), fmt(c.after), chg(method === 'additive' ? c.contribution : changeOf(c))];
  const shown = items.slice(0, limit);
  const rows = shown.map(rowOf);
  if (items.length > shown.length) {
    const rest = items.slice(shown.length);
    const sum = method === 'own_change' ? '' : chg(rest.reduce((s, c) => s + (c.contribution ?? 0), 0));
    rows.push([m.more(rest.length), '', '', ...(method === 'shift_share' ? ['', ''] : []), sum]);
  }
  return { kind: 'table', ...fitTable(columns, rows, m.more) };
}

function chart(kpi: KpiDefinition, d: DimensionAttribution, previous: Period, period: Period, m: Messages): ReplyBlock {
  const a = d.attribution;
  const title = m.kpiTitle(kpi);
  const dimension = m.dimension(d.dimension);
  if (a.method === 'own_change') {
    const input: BreakdownChartInput = {
      kind: 'breakdown',
      title,
      period: period.label,
      unit: kpi.unit,
      currency: kpi.currency,
      direction: kpi.direction,
      dimension,
      previousPeriod: previous.label,
      lang: m.locale,
      items: a.items.map((c) => ({ key: c.key, value: c.after, previous: c.before })),
    };
    return chartBlock(input, m.breakdownAlt(title, dimension, period.label));
  }
  const input: ContributionChartInput = {
    kind: 'contribution',
    title,
    period: `${previous.label} → ${period.label}`,
    unit: kpi.unit,
    currency: kpi.currency,
    direction: kpi.direction,
    dimension,
    lang: m.locale,
    previous: { period: previous.label, value: a.before },
    current: { period: period.label, value: a.after },
    contributions: a.items.map((c) => ({ key: c.key, change: c.contribution ?? 0 })),
  };
  return chartBlock(input, m.contributionAlt(title, dimension, previous.label, period.label));
}

function methodDetail(kpi: KpiDefinition, shape: FormulaShape): { formula: string; denominator?: string; aggregates?: readonly string[] } {
  if (shape.kind === 'ratio') return { formula: kpi.formula, denominator: linearText(shape.denominator) };
  if (shape.kind === 'other') return { formula: kpi.formula, aggregates: shape.aggregates };
  return { formula: kpi.formula };
}

function linearText(form: LinearForm): string {
  return Object.entries(form.terms)
    .map(([name, w], i) => `${w < 0 ? (i ? ' − ' : '−') : i ? ' + ' : ''}${Math.abs(w) === 1 ? '' : `${Math.abs(w)}·`}${name}`)
    .join('');
}
