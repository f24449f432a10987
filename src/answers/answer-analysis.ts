import type { CohortChartInput } from '../charts/cohort-chart.ts';
import type { RfmChartInput } from '../charts/rfm-chart.ts';
import type { ScorecardChartInput } from '../charts/scorecard-chart.ts';
import { formatKpiValue, withCurrency } from '../kpi/format-kpi-value.ts';
import { clvCurrency } from './answer-clv.ts';
import { periodContaining } from '../kpi/periods.ts';
import type { CommandDeps } from './command-deps.ts';
import { messages } from './messages.ts';
import { periodName } from './period-name.ts';
import { answerReply, errorReply, chartBlock } from './reply-of.ts';
import { fitTable, numberCell } from './reply-limits.ts';
import type { CommandContext, Reply } from './reply.ts';

/** Cohorts in the table (the chart shows up to 24), and the months after the first shown. */
const COHORT_ROWS = 24;
const COHORT_MONTHS = [1, 2, 3, 6, 12];

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `/kpi segments`: the ten RFM segments with their sizes and averages, the value tiers, and the RFM chart. */
export async function answerSegments(deps: CommandDeps, asOf: Date, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const r = await deps.segments(asOf);
  const day = periodContaining(r.atDataEnd ? new Date(r.asOf.getTime() - 1) : asOf, 'day', deps.calendar).label;
  if (r.customers === 0) return answerReply(m.noCustomers(day), [{ kind: 'text', text: m.noCustomers(day) }], post, m.locale);
  // Past the data, recency counts from the data's end, and the header says so.
  const header = m.segmentsHeader(n(r.customers), r.atDataEnd ? m.dataEnd(day) : day);
  const rows = r.segments.map((s) => [
    m.segment(s.name),
    numberCell(s.customers, n(s.customers)),
    numberCell(s.share, `${n(s.share * 100, 1)}%`),
    numberCell(s.avgRecency, n(s.avgRecency, 1)),
    numberCell(s.avgFrequency, n(s.avgFrequency, 1)),
    numberCell(s.avgMonetary, withCurrency(n(s.avgMonetary), clvCurrency(deps))),
  ]);
  const chart: RfmChartInput = {
    kind: 'rfm',
    title: m.rfmTitle,
    period: day,
    lang: ctx.locale,
    valueTitle: m.avgSpend,
    currency: clvCurrency(deps),
    segments: r.segments.map((s) => ({ name: m.segment(s.name), customers: s.customers, value: s.avgMonetary })),
  };
  return answerReply(
    header,
    [
      { kind: 'header', text: header },
      { kind: 'table', ...fitTable(m.segmentColumns, rows, m.more) },
      {
        kind: 'context',
        text: m.tiers(r.tiers.map((t) => `${m.tier(t.name)} ${n(t.customers)} (${withCurrency(n(t.monetary), clvCurrency(deps))})`).join(m.comma)),
      },
      chartBlock(chart, m.chartAlt(m.rfmTitle, day)),
    ],
    post,
    m.locale,
  );
}

/** `/kpi cohorts`: retention of the latest monthly cohorts at 1, 2, 3, 6 and 12 months, and the heatmap. */
export async function answerCohorts(deps: CommandDeps, asOf: Date, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const matrix = await deps.cohorts({ to: asOf });
  if (matrix.cohorts.length === 0) return answerReply(m.noCohorts, [{ kind: 'text', text: m.noCohorts }], post, m.locale);
  const header = m.cohortsHeader(matrix.cohorts.length);
  const latest = matrix.cohorts.slice(-COHORT_ROWS);
  // The month the data ends in is to date: its cells carry a *, explained below the table.
  const star = (cohort: string, k: number) => (matrix.partial && addMonths(cohort, k) === matrix.partial.month ? '*' : '');
  const rows = latest.map((c) => [
    `${c.cohort}${star(c.cohort, 0)}`,
    numberCell(c.size, n(c.size)),
    ...COHORT_MONTHS.map((k) => (k < c.percents.length ? numberCell(c.percents[k]! / 100, `${n(c.percents[k]!, 1)}%${star(c.cohort, k)}`) : '')),
  ]);
  const first = matrix.cohorts[0]!.cohort;
  const last = matrix.cohorts.at(-1)!.cohort;
  const chart: CohortChartInput = {
    kind: 'cohort',
    title: m.cohortTitle,
    period: `${first} – ${last}`,
    lang: ctx.locale,
    cohorts: matrix.cohorts.map((c) => ({ cohort: `${c.cohort}${star(c.cohort, 0)}`, size: c.size, retention: c.percents.map((p) => p / 100) })),
    ...(matrix.partial ? { note: m.cohortPartialShort(matrix.partial.through), partialMonth: matrix.partial.month } : {}),
  };
  return answerReply(
    header,
    [
      { kind: 'header', text: header },
      { kind: 'table', ...fitTable([...m.cohortColumns, ...COHORT_MONTHS.map(m.month)], rows, m.more) },
      { kind: 'context', text: [m.cohortsContext, ...(matrix.partial ? [m.cohortPartial(matrix.partial.month, matrix.partial.through)] : [])].join(' ') },
      chartBlock(chart, m.chartAlt(m.cohortTitle, chart.period)),
    ],
    post,
    m.locale,
  );
}

/** `/kpi scorecard`: each perspective's score and its KPIs against their targets, and the bullet chart. */
export async function answerScorecard(deps: CommandDeps, asOf: Date, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  if (Object.keys(deps.config.config.scorecard.perspectives).length === 0) return errorReply(m.noScorecard, ctx);
  const report = await deps.scorecard(asOf);
  const { card } = report;
  const title = (key: string) => m.kpiTitle(deps.kpis.get(key));
  const unit = (key: string) => deps.kpis.get(key).unit;
  const currency = (key: string) => deps.kpis.get(key).currency;
  const composite = card.composite === null ? '–' : n(card.composite, 1);
  const period = periodName(report.period, ctx.locale, deps.calendar);
  const header = m.scorecardHeader(period, composite);
  const rows = card.perspectives.flatMap((p) => [
    [m.perspective(p.perspective), numberCell(p.score, p.score === null ? '–' : n(p.score, 1)), numberCell(p.weight, `${n(p.weight * 100)}%`), '', ''],
    ...p.kpis.map((k) => {
      const kpi = report.kpis.find((x) => x.key === k.key)!;
      return [
        `  ${title(k.key)}`,
        numberCell(k.attainment, n(k.attainment, 1)),
        numberCell(k.weight, `${n(k.weight * 100)}%`),
        numberCell(kpi.value, formatKpiValue(kpi.value, unit(k.key), currency(k.key))),
        numberCell(kpi.target, formatKpiValue(kpi.target, unit(k.key), currency(k.key))),
      ];
    }),
  ]);
  const attainment = new Map(card.perspectives.flatMap((p) => p.kpis.map((k) => [k.key, k.attainment] as const)));
  const missing = new Map(card.missing.map((x) => [x.key, report.kpis.find((k) => k.key === x.key)?.reason ?? x.reason]));
  const chart: ScorecardChartInput = {
    kind: 'scorecard',
    title: m.scorecardTitle,
    period: report.period.label,
    lang: ctx.locale,
    composite: card.composite,
    perspectives: [...new Set(report.kpis.map((k) => k.perspective))].map((p) => ({
      name: m.perspective(p),
      score: card.perspectives.find((x) => x.perspective === p)?.score ?? null,
      kpis: report.kpis
        .filter((k) => k.perspective === p)
        .map((k) => ({
          title: title(k.key),
          unit: unit(k.key),
          currency: currency(k.key),
          value: k.value,
          target: k.target,
          attainment: attainment.get(k.key) ?? null,
          ...(missing.has(k.key) ? { reason: missing.get(k.key)! } : {}),
        })),
    })),
  };
  const notes = card.missing.map((x) => m.notScored(title(x.key), missing.get(x.key)!));
  return answerReply(
    header,
    [
      { kind: 'header', text: header },
      { kind: 'table', ...fitTable(m.scorecardColumns, rows, m.more) },
      ...(notes.length ? [{ kind: 'context' as const, text: notes.join('\n').slice(0, 2900) }] : []),
      chartBlock(chart, m.chartAlt(m.scorecardTitle, report.period.label)),
    ],
    post,
    m.locale,
  );
}

/** 'YYYY-MM' plus k months. */
function addMonths(label: string, k: number): string {
  const i = Number(label.slice(0, 4)) * 12 + Number(label.slice(5, 7)) - 1 + k;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
