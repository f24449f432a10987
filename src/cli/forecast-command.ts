import type { Command } from 'commander';
import type { App } from '../app.ts';
import type { Grain } from '../domain/period.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import type { KpiForecast } from '../kpi/kpi-forecast.ts';
import type { ForecastAccuracy } from '../kpi/kpi-forecast-accuracy.ts';
import type { AccuracyComparison } from '../kpi/forecast/rolling-origin.ts';
import { periodContaining } from '../kpi/periods.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { table } from './format-report.ts';
import type { KpiCommandContext } from './kpi-commands.ts';

interface ForecastOptions {
  by?: string;
  next: string;
  grain: string;
  asOf?: string;
  evaluate?: boolean;
  horizon: string;
  origins: string;
  json?: boolean;
}

/** Adds `forecast` to the command line: a KPI's forecast, or with --evaluate its measured accuracy. */
export function registerForecastCommand(program: Command, ctx: KpiCommandContext): void {
  program
    .command('forecast')
    .description('forecast a KPI by exponential smoothing (ETS, chosen by AICc) with 80%/95% intervals; --evaluate backtests it')
    .argument('<kpi>', 'the KPI, e.g. won_revenue')
    .option('--grain <grain>', 'period length: day, week or month', 'month')
    .option('--next <n>', 'periods to forecast', '3')
    .option('--by <dimension>', 'one forecast per value of a dimension (the 6 largest)')
    .option('--as-of <date>', 'forecast from the periods complete at the end of this day (default: the end of the data)')
    .option('--evaluate', 'rolling-origin backtest: MASE and interval coverage against naive and seasonal naive')
    .option('--horizon <n>', 'with --evaluate: periods ahead scored from each origin', '1')
    .option('--origins <n>', 'with --evaluate: at most this many origins, the latest', '60')
    .option('--json', 'print JSON')
    .action(async (key: string, opts: ForecastOptions) => {
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const kpi = app.kpis.get(key);
        const grain = parseGrain(opts.grain);
        const asOf = new Date(periodContaining(await app.asOf(opts.asOf), 'day', app.calendar).end.getTime() - 1);
        if (opts.evaluate) {
          const accuracy = await app.forecastAccuracy(kpi.key, {
            grain,
            asOf,
            horizon: whole(opts.horizon, '--horizon', 24),
            maxOrigins: whole(opts.origins, '--origins', 500),
          });
          ctx.print(opts.json ? JSON.stringify(accuracy, null, 2) : formatAccuracy(accuracy));
          return 0;
        }
        const forecast = await app.kpiForecast(kpi.key, { grain, asOf, horizon: whole(opts.next, '--next', 366), by: opts.by, atDataEnd: !opts.asOf });
        ctx.print(opts.json ? JSON.stringify(forecast, null, 2) : formatForecast(forecast, app));
        return 0;
      });
    });
}

/** The forecast as text: per series, the method and why, then one row per period ahead. */
export function formatForecast(f: KpiForecast, app: Pick<App, 'calendar'>): string {
  const unit = f.kpi.unit;
  const v = (x: number | null) => formatKpiValue(x, unit, f.kpi.currency);
  const out = [`${f.kpi.title} (${f.kpi.key}) forecast by ${f.grain}, time zone ${app.calendar.timeZone}`];
  for (const s of f.series) {
    const h = s.history;
    out.push('');
    if (f.by !== undefined) out.push(`${f.by} ${s.key}`);
    out.push(`method: ${s.forecast.model} (${s.forecast.reason})`);
    out.push(`history: ${h.values.length} ${f.grain}s, ${h.periods[0]!.label} to ${h.periods.at(-1)!.label}${h.notes.length ? `; ${h.notes.join('; ')}` : ''}`);
    out.push(
      table(
        ['period', 'forecast', '80% interval', '95% interval'],
        s.forecast.points.map((p, i) => [
          s.periods[i]!.label,
          v(p.mean),
          p.lo80 === null ? '–' : `${v(p.lo80)} – ${v(p.hi80)}`,
          p.lo95 === null ? '–' : `${v(p.lo95)} – ${v(p.hi95)}`,
        ]),
      ),
    );
  }
  return out.join('\n');
}

/** The backtest as text: MASE, its ratio to the baseline, and coverage, per comparison. */
export function formatAccuracy(a: ForecastAccuracy): string {
  const r = a.report;
  const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  const out = [
    `${a.kpi.title} (${a.kpi.key}) forecast accuracy by ${a.grain}: rolling origin over ${r.length} ${a.grain}s (${a.history.periods[0]!.label} to ${a.history.periods.at(-1)!.label}), ${r.horizon} ${a.grain}${r.horizon > 1 ? 's' : ''} ahead`,
  ];
  const block = (title: string, c: AccuracyComparison) => {
    const chosen = c.methods[0]!;
    const base = c.methods[1]!;
    out.push('', `${title}: origins from ${a.history.periods[c.firstOrigin]?.label ?? '–'}, ${chosen.points} held-out values`);
    out.push(
      table(
        ['method', 'MASE', '80% coverage', '95% coverage', 'models chosen'],
        c.methods.map((m) => [
          m.method === 'auto' ? 'chosen (ETS by AICc)' : m.method.replace('_', ' '),
          m.mase.toFixed(3),
          pct(m.coverage80),
          pct(m.coverage95),
          Object.entries(m.models)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', '),
        ]),
      ),
    );
    const ratio = chosen.mase / base.mase;
    out.push(`MASE ratio chosen ÷ ${base.method.replace('_', ' ')}: ${ratio.toFixed(3)} (${ratio < 1 ? 'better' : 'not better'})`);
  };
  block('against naive', r.vsNaive);
  if (r.vsSeasonalNaive) block('against seasonal naive', r.vsSeasonalNaive);
  else out.push('', `no seasonal naive comparison: ${r.seasonalNaiveNote}`);
  return out.join('\n');
}

function parseGrain(text: string): Grain {
  if (['day', 'week', 'month'].includes(text)) return text as Grain;
  throw new CrmPulseError('usage', `[cli] --grain '${text}' cannot be forecast`, {
    hint: 'use day, week or month; quarters and years are too few to forecast from',
  });
}

function whole(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CrmPulseError('usage', `[cli] ${flag} '${text}' must be a whole number from 1 to ${max}`);
  return n;
}
