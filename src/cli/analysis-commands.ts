import type { Command } from 'commander';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { withCurrency } from '../lib/with-currency.ts';
import { table } from './format-report.ts';
import type { KpiCommandContext } from './kpi-commands.ts';

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Adds `segments`, `cohorts`, `scorecard` and `targets` to the command line. */
export function registerAnalysisCommands(program: Command, ctx: KpiCommandContext): void {
  const asOfOption = ['--as-of <date>', 'the reference date (default: the end of the data)'] as const;

  program
    .command('segments')
    .description('RFM segments of the customers (recency, frequency, monetary scored 1–5 by quintiles)')
    .option(...asOfOption)
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      await ctx.withApp({ ...program.opts(), quiet: true, readOnly: true }, async (app) => {
        const result = await app.segments(await app.asOf(opts.asOf));
        if (opts.json) return (ctx.print(JSON.stringify(result, null, 2)), 0);
        // Customer value is written in the clv KPI's currency, as /kpi segments writes it.
        const money = (v: number) => withCurrency(n(v), app.kpis.all.find((k) => k.key === 'clv')?.currency);
        ctx.print(`RFM segments of ${n(result.customers)} customers as of ${result.asOf.toISOString().slice(0, 10)}\n`);
        ctx.print(
          table(
            ['segment', 'customers', 'share', 'avg recency (days)', 'avg purchases', 'avg value'],
            result.segments.map((s) => [s.name, n(s.customers), `${n(s.share * 100, 1)}%`, n(s.avgRecency, 1), n(s.avgFrequency, 1), money(s.avgMonetary)]),
          ),
        );
        ctx.print(
          `\n${table(
            ['value tier', 'customers', 'value'],
            result.tiers.map((t) => [t.name, n(t.customers), money(t.monetary)]),
          )}`,
        );
        return 0;
      });
    });

  program
    .command('cohorts')
    .description('monthly cohort retention: customers by month of first purchase, and who bought again each month after')
    .option('--from <date>', 'first cohort month shown (YYYY-MM-DD)')
    .option('--to <date>', 'ignore purchases from this date on (YYYY-MM-DD)')
    .option('--percent', 'show percentages of the cohort instead of counts')
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; to?: string; percent?: boolean; json?: boolean }) => {
      await ctx.withApp({ ...program.opts(), quiet: true, readOnly: true }, async (app) => {
        const day = async (d?: string) => (d === undefined ? undefined : new Date((await app.asOf(d)).getTime() + 1 - 86_400_000));
        const matrix = await app.cohorts({ ...(opts.from ? { from: await day(opts.from) } : {}), ...(opts.to ? { to: await day(opts.to) } : {}) });
        if (opts.json) return (ctx.print(JSON.stringify(matrix, null, 2)), 0);
        const width = Math.max(0, ...matrix.cohorts.map((c) => c.counts.length));
        const header = ['cohort', 'size', ...Array.from({ length: width }, (_, k) => `m${k}`)];
        const rows = matrix.cohorts.map((c) => [
          c.cohort,
          n(c.size),
          ...Array.from({ length: width }, (_, k) => (k < c.counts.length ? (opts.percent ? `${n(c.percents[k]!, 1)}%` : n(c.counts[k]!)) : '')),
        ]);
        ctx.print(matrix.cohorts.length ? table(header, rows) : 'No purchases with a customer in the store.');
        return 0;
      });
    });

  program
    .command('scorecard')
    .description('the weighted Balanced Scorecard: KPIs against targets, AHP weights, a 0–100 composite')
    .option(...asOfOption)
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      await ctx.withApp({ ...program.opts(), quiet: true, readOnly: true }, async (app) => {
        const report = await app.scorecard(await app.asOf(opts.asOf));
        if (opts.json) return (ctx.print(JSON.stringify(report, null, 2)), 0);
        const { card } = report;
        ctx.print(`Scorecard ${report.period.label}: composite ${card.composite === null ? '–' : `${n(card.composite, 1)} / 100`}\n`);
        const rows = card.perspectives.flatMap((p) => [
          [p.perspective, p.score === null ? '–' : n(p.score, 1), `${n(p.weight * 100, 0)}%`, '', '', ''],
          ...p.kpis.map((k) => {
            const kpi = report.kpis.find((x) => x.key === k.key)!;
            const { unit, currency } = app.kpis.get(k.key);
            return [
              `  ${kpi.title}`,
              n(k.attainment, 1),
              `${n(k.weight * 100, 0)}%`,
              formatKpiValue(kpi.value, unit, currency),
              formatKpiValue(kpi.target, unit, currency),
              kpi.direction,
            ];
          }),
        ]);
        ctx.print(table(['perspective / KPI', 'score', 'weight', 'value', 'target', 'better'], rows));
        for (const m of card.missing) ctx.print(`  not scored: ${m.key}: ${report.kpis.find((k) => k.key === m.key)?.reason ?? m.reason}`);
        for (const [perspective, r] of Object.entries(report.ahp)) ctx.print(`  AHP ${perspective}: consistency ratio ${n(r.cr, 3)} (≤ 0.10 accepted)`);
        return 0;
      });
    });

  program
    .command('targets')
    .description('SMART targets: progress, the value projected at the deadline at the current pace, on track or not')
    .option(...asOfOption)
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      await ctx.withApp({ ...program.opts(), quiet: true, readOnly: true }, async (app) => {
        const statuses = await app.targets(await app.asOf(opts.asOf));
        if (opts.json) return (ctx.print(JSON.stringify(statuses, null, 2)), 0);
        if (statuses.length === 0) return (ctx.print('No targets configured: add them under targets: in the config.'), 0);
        ctx.print(
          table(
            ['KPI', 'start', 'now', 'heading', 'target', 'by', 'progress', 'projected', 'on track'],
            statuses.map((s) => {
              const { unit, currency } = app.kpis.get(s.key);
              return [
                `${s.title} (${s.current.period.label})`,
                // The start and the heading say what "progress 0%" hides: the value moved away (issue 14).
                `${formatKpiValue(s.start.value, unit, currency)} (${s.start.period.label})`,
                formatKpiValue(s.current.value, unit, currency),
                s.heading === 'away' ? 'moving away' : s.heading === 'toward' ? 'toward' : s.heading === 'flat' ? 'flat' : '–',
                formatKpiValue(s.target, unit, currency),
                s.deadline,
                s.progress ? `${n(s.progress.progress * 100, 0)}%` : '–',
                formatKpiValue(s.progress?.projected ?? null, unit, currency),
                s.progress ? (s.progress.onTrack ? 'yes' : 'no') : (s.reason ?? '–'),
              ];
            }),
          ),
        );
        return 0;
      });
    });
}
