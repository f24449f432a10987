import type { Command } from 'commander';
import { CrmPulseError } from '../lib/errors.ts';
import { withCurrency } from '../lib/with-currency.ts';
import type { ClvReport } from '../kpi/clv/predict-clv.ts';
import { table } from './format-report.ts';
import type { KpiCommandContext } from './kpi-commands.ts';

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sig = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
const pct = (v: number) => `${n(v * 100, 1)}%`;

/** A positive number option, or a usage error naming it. */
function positive(name: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min)
    throw new CrmPulseError('usage', `[cli] ${name} '${text}' is not a number ≥ ${min}`, { hint: `e.g. ${name} ${fallback}` });
  return v;
}

/** Adds `clv`: the BG/NBD and Gamma-Gamma fits, predicted CLV per RFM segment, the top customers and those at risk. */
export function registerClvCommand(program: Command, ctx: KpiCommandContext): void {
  program
    .command('clv')
    .description(
      'predictive CLV: BG/NBD (repeat purchases) and Gamma-Gamma (spend) fitted to the orders, parameters and fit diagnostics, CLV per RFM segment, top customers, customers at risk',
    )
    .option('--as-of <date>', 'the reference date (default: the end of the data)')
    .option('--months <n>', 'the horizon of the prediction in months', '12')
    .option('--discount <rate>', 'the monthly discount rate', '0.01')
    .option('--top <n>', 'customers listed', '10')
    .option('--json', 'print JSON (every customer)')
    .action(async (opts: { asOf?: string; months?: string; discount?: string; top?: string; json?: boolean }) => {
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const months = Math.round(positive('--months', opts.months, 12, 1));
        const monthlyDiscountRate = positive('--discount', opts.discount, 0.01);
        const top = Math.round(positive('--top', opts.top, 10, 1));
        const report = await app.clv(await app.asOf(opts.asOf), { months, monthlyDiscountRate });
        if (opts.json) return (ctx.print(JSON.stringify(report, null, 2)), 0);
        ctx.print(formatClv(report, top, app.kpis.all.find((k) => k.key === 'clv')?.currency));
        return 0;
      });
    });
}

/** The report as the terminal shows it; amounts in `currency` (the clv KPI's) when there is one. */
export function formatClv(r: ClvReport, top: number, currency?: string): string {
  const { bgNbd: bg, gammaGamma: gg } = r;
  const money = (v: number) => withCurrency(n(v), currency);
  const edge = (fit: { boundary: readonly string[] }) =>
    fit.boundary.length ? `; at the edge of the search (a limit of the model): ${fit.boundary.join(', ')}` : '';
  const row = (c: ClvReport['customers'][number]) => [
    c.customer,
    c.segment ?? '–',
    n(c.frequency),
    n(c.recency, 1),
    n(c.T, 1),
    money(c.pastValue),
    pct(c.pAlive),
    n(c.expectedPurchases, 2),
    money(c.clv),
  ];
  const columns = ['customer', 'RFM segment', 'repeat days', 'recency (wk)', 'age (wk)', 'past value', 'P(alive)', `purchases ${r.months} mo`, 'predicted CLV'];
  const risk = r.atRisk;
  return [
    `Predictive CLV as of ${r.asOf.toISOString().slice(0, 10)}${r.atDataEnd ? ' (the day after the last order: the orders end before the clock)' : ''}: ${r.customers.length} customers, next ${r.months} months, ${pct(r.monthlyDiscountRate)} a month discount`,
    '',
    `BG/NBD (Fader, Hardie & Lee 2005), time in weeks: r = ${sig(bg.params.r)}, alpha = ${sig(bg.params.alpha)}, a = ${sig(bg.params.a)}, b = ${sig(bg.params.b)}`,
    `  log-likelihood ${n(bg.logLikelihood, 2)} over ${n(bg.customers)} customers, ${bg.iterations} simplex iterations${edge(bg)}`,
    `Gamma-Gamma (spend per repeat purchase day): p = ${sig(gg.params.p)}, q = ${sig(gg.params.q)}, gamma = ${sig(gg.params.gamma)}`,
    `  log-likelihood ${n(gg.logLikelihood, 2)} over ${n(gg.customers)} repeat customers, ${gg.iterations} simplex iterations${edge(gg)}`,
    `  mean spend vs frequency of repeat customers: Pearson r = ${n(r.spendFrequencyCorrelation, 3)} (the model assumes they are independent)`,
    '',
    `clv_predicted: ${money(r.total)}`,
    table(
      ['RFM segment', 'customers', 'predicted CLV', 'share', 'mean P(alive)'],
      r.segments.map((s) => [s.segment, n(s.customers), money(s.clv), r.total > 0 ? pct(s.clv / r.total) : '–', s.customers ? pct(s.meanPAlive) : '–']),
    ),
    '',
    `Top ${Math.min(top, r.customers.length)} customers by predicted CLV`,
    table(columns, r.customers.slice(0, top).map(row)),
    '',
    risk.flagged > 0
      ? `customers_at_risk: ${risk.flagged} of the top 20% by past value (> ${money(risk.minPastValue)}) have P(alive) < ${pct(risk.aliveBelow)}`
      : `customers_at_risk: 0, no customer of the top 20% by past value (> ${money(risk.minPastValue)}) has P(alive) < ${pct(risk.aliveBelow)}; the lowest P(alive) among them:`,
    table(columns, risk.customers.slice(0, top).map(row)),
    `  against RFM: ${risk.rfm.map((s) => `${s.segment} ${n(s.customers)} customers, ${s.listed} listed`).join('; ')}`,
  ].join('\n');
}
