import { withCurrency } from '../kpi/format-kpi-value.ts';
import type { ClvChartInput } from '../charts/clv-chart.ts';
import type { RfmChartInput } from '../charts/rfm-chart.ts';
import type { ClvReport } from '../kpi/clv/predict-clv.ts';
import { periodContaining } from '../kpi/periods.ts';
import { clvMessages } from './clv-messages.ts';
import type { CommandDeps } from './command-deps.ts';
import { messages } from './messages.ts';
import { answerReply, chartBlock } from './reply-of.ts';
import { fitTable } from './reply-limits.ts';
import type { CommandContext, Reply } from './reply.ts';

/** Customers listed in the at-risk table (the chart shows them all). */
const AT_RISK_ROWS = 15;

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (v: number) => `${n(v * 100, 1)}%`;
/** Four significant digits: model parameters span 1e-8 to 1e4. */
const sig = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 });

/** The currency of customer value: the `clv` KPI's (its own, else the sources'), when the catalog has it. */
export function clvCurrency(deps: Pick<CommandDeps, 'kpis'>): string | undefined {
  return deps.kpis.all.find((k) => k.key === 'clv')?.currency;
}

/** Amounts of customer value as people read them: 1,235 or €1,235. */
function moneyOf(deps: Pick<CommandDeps, 'kpis'>): (v: number) => string {
  const currency = clvCurrency(deps);
  return (v) => withCurrency(n(v), currency);
}

/** The fitted parameters and the discounting, as one context line. */
function modelLine(r: ClvReport, locale: CommandContext['locale']): string {
  const { r: rr, alpha, a, b } = r.bgNbd.params;
  const { p, q, gamma } = r.gammaGamma.params;
  const bg = `r = ${sig(rr)}, α = ${sig(alpha)}, a = ${sig(a)}, b = ${sig(b)}`;
  const gg = `p = ${sig(p)}, q = ${sig(q)}, γ = ${sig(gamma)}`;
  const c = clvMessages(locale);
  const edge = [...r.bgNbd.boundary, ...r.gammaGamma.boundary];
  return `${c.model(bg, gg, pct(r.monthlyDiscountRate), n(r.spendFrequencyCorrelation, 3))}${edge.length ? ` ${c.boundary(edge.join(', '))}` : ''}`;
}

/** `/kpi clv_predicted`: the predicted CLV over the next months, in total and per RFM segment, with the segment chart. */
export async function answerClvPredicted(deps: CommandDeps, asOf: Date, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const c = clvMessages(ctx.locale);
  const r = await deps.clv(asOf);
  // Orders that end before the clock are read at their end, and the answer says so.
  const day = periodContaining(r.atDataEnd ? new Date(r.asOf.getTime() - 1) : asOf, 'day', deps.calendar).label;
  const when = r.atDataEnd ? m.dataEnd(day) : day;
  const money = moneyOf(deps);
  const header = c.clvHeader(money(r.total), r.months, n(r.customers.length), when);
  const rows = r.segments.map((s) => [
    m.segment(s.segment),
    n(s.customers),
    money(s.clv),
    r.total > 0 ? pct(s.clv / r.total) : '–',
    s.customers ? pct(s.meanPAlive) : '–',
  ]);
  const chart: RfmChartInput = {
    kind: 'rfm',
    title: c.clvTitle,
    period: when,
    lang: ctx.locale,
    valueTitle: c.clvValueTitle,
    currency: clvCurrency(deps),
    segments: r.segments.map((s) => ({ name: m.segment(s.segment), customers: s.customers, value: s.clv })),
  };
  return answerReply(
    header,
    [
      { kind: 'header', text: header },
      { kind: 'table', ...fitTable(c.clvColumns, rows, m.more) },
      { kind: 'context', text: modelLine(r, ctx.locale) },
      chartBlock(chart, m.chartAlt(c.clvTitle, day)),
    ],
    post,
    m.locale,
  );
}

/** `/kpi customers at risk`: top-value customers with a low P(alive), their figures, the overlap with RFM, and the scatter chart. */
export async function answerAtRisk(deps: CommandDeps, asOf: Date, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const c = clvMessages(ctx.locale);
  const r = await deps.clv(asOf);
  // Orders that end before the clock are read at their end, and the answer says so.
  const day = periodContaining(r.atDataEnd ? new Date(r.asOf.getTime() - 1) : asOf, 'day', deps.calendar).label;
  const when = r.atDataEnd ? m.dataEnd(day) : day;
  const risk = r.atRisk;
  const money = moneyOf(deps);
  const minValue = money(risk.minPastValue);
  const header = c.atRiskHeader(risk.flagged, pct(risk.aliveBelow), when);
  const intro = c.atRiskIntro(risk.flagged, minValue, pct(risk.aliveBelow), risk.customers.length);
  const rows = risk.customers
    .slice(0, AT_RISK_ROWS)
    .map((x) => [x.customer, x.segment ? m.segment(x.segment) : '–', money(x.pastValue), pct(x.pAlive), n(x.expectedPurchases, 2), money(x.clv)]);
  const more = risk.customers.length > AT_RISK_ROWS ? [[m.more(risk.customers.length - AT_RISK_ROWS), '', '', '', '', '']] : [];
  const overlap = c.overlap(
    risk.rfm.map((s) => c.rfmListed(m.segment(s.segment), n(s.customers), s.listed)).join(m.comma),
    risk.bySegment.map((s) => `${m.segment(s.segment)} ${s.customers}`).join(m.comma) || '–',
  );
  const chart: ClvChartInput = {
    kind: 'clv',
    title: c.atRiskTitle,
    period: when,
    lang: ctx.locale,
    customers: r.customers.map((x) => ({ customer: x.customer, pastValue: x.pastValue, pAlive: x.pAlive })),
    atRisk: risk.customers.map((x) => ({ customer: x.customer, pastValue: x.pastValue, pAlive: x.pAlive })),
    minPastValue: risk.minPastValue,
    currency: clvCurrency(deps),
    aliveBelow: risk.aliveBelow,
    xTitle: c.pastValue,
    yTitle: c.pAlive,
    valueRuleLabel: c.valueRule,
    aliveRuleLabel: c.aliveRule(pct(risk.aliveBelow)),
  };
  return answerReply(
    header,
    [
      { kind: 'header', text: header },
      { kind: 'text', text: intro },
      { kind: 'table', ...fitTable(c.atRiskColumns(r.months), [...rows, ...more], m.more) },
      { kind: 'context', text: overlap },
      { kind: 'context', text: modelLine(r, ctx.locale) },
      chartBlock(chart, m.chartAlt(c.atRiskTitle, day)),
    ],
    post,
    m.locale,
  );
}
