import type { Command } from 'commander';
import type { App } from '../app.ts';
import { GRAINS, type Grain } from '../domain/period.ts';
import { formatKpiChange, formatKpiValue } from '../kpi/format-kpi-value.ts';
import type { KpiReport } from '../kpi/kpi-report.ts';
import { periodContaining } from '../kpi/periods.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { table } from './format-report.ts';
import type { WithApp } from './run-cli.ts';

/** What the KPI verbs need from the CLI. */
export interface KpiCommandContext {
  readonly withApp: WithApp;
  readonly print: (text: string) => void;
}

/** Adds `kpi` to the command line. */
export function registerKpiCommands(program: Command, ctx: KpiCommandContext): void {
  program
    .command('kpi')
    .description('a KPI over periods, with the previous period and last year; without a key, the list of KPIs')
    .argument('[key]', 'the KPI, e.g. win_rate')
    .option('--period <grain>', `period length: ${GRAINS.join(', ')}`, 'month')
    .option('--from <date>', 'first day (YYYY-MM-DD)')
    .option('--to <date>', 'last day (YYYY-MM-DD), default the as-of date')
    .option('--count <n>', 'periods up to the as-of date when no --from is given', '6')
    .option('--by <dimension>', 'break the latest period down by owner, manager, office, product, sector, country, …')
    .option('--as-of <date>', "today's date for the report (default: the end of the data)")
    .option('--json', 'print JSON')
    .action(async (key: string | undefined, opts: KpiOptions) => {
      await ctx.withApp({ ...program.opts(), quiet: true, readOnly: true }, async (app) => {
        if (key === undefined) {
          ctx.print(opts.json ? JSON.stringify(app.kpis.all, null, 2) : listKpis(app));
          return 0;
        }
        const kpi = app.kpis.get(key);
        const grain = parseGrain(opts.period);
        const asOf = opts.asOf ? day(app, opts.asOf, '--as-of').end : (await app.dataEnd()) ?? new Date();
        const report = await app.kpiReport(kpi.key, {
          grain,
          asOf: new Date(asOf.getTime() - 1),
          from: opts.from ? day(app, opts.from, '--from').start : undefined,
          to: opts.to ? day(app, opts.to, '--to').end : undefined,
          count: positiveInt(opts.count),
          by: opts.by,
        });
        ctx.print(opts.json ? JSON.stringify(report, null, 2) : formatReport(report, app));
        return 0;
      });
    });
}

interface KpiOptions {
  period: string;
  from?: string;
  to?: string;
  count: string;
  by?: string;
  asOf?: string;
  json?: boolean;
}

function listKpis(app: App): string {
  return table(
    ['kpi', 'title', 'unit', 'better', 'definition'],
    app.kpis.all.map((k) => [k.key, k.title, k.unit, k.direction, k.description]),
  );
}

function formatReport(report: KpiReport, app: App): string {
  const { kpi } = report;
  const unit = kpi.unit;
  const out = [`${kpi.title} (${kpi.key}): ${kpi.description}`, `time zone ${app.calendar.timeZone}`, ''];
  out.push(
    table(
      ['period', 'value', 'vs previous', 'previous', 'vs last year', 'last year'],
      report.rows.map((r) => [
        r.period.label,
        formatKpiValue(r.current.value, unit),
        formatKpiChange(r.change, unit),
        formatKpiValue(r.previous.value, unit),
        formatKpiChange(r.changeYoY, unit),
        formatKpiValue(r.lastYear.value, unit),
      ]),
    ),
  );
  const reasons = report.rows.filter((r) => r.current.value === null).map((r) => `  ${r.period.label}: no value (${r.current.reason})`);
  if (reasons.length) out.push('', ...reasons);
  if (report.breakdown) {
    const latest = report.rows.at(-1)!.period.label;
    const rows = [...report.breakdown].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
    out.push('', `${latest} by ${report.by}:`);
    out.push(
      table(
        [report.by!, 'value', 'previous', 'change'],
        rows.map((b) => [b.key, formatKpiValue(b.value, unit), formatKpiValue(b.previous, unit), formatKpiChange(b.value === null || b.previous === null ? null : b.value - b.previous, unit)]),
      ),
    );
  }
  return out.join('\n');
}

function parseGrain(text: string): Grain {
  if ((GRAINS as readonly string[]).includes(text)) return text as Grain;
  throw new CrmPulseError('usage', `[kpi] --period '${text}' is not a period length`, { hint: `use one of ${GRAINS.join(', ')}` });
}

function day(app: App, text: string, flag: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T12:00:00Z`))) {
    throw new CrmPulseError('usage', `[kpi] ${flag} '${text}' is not a date`, { hint: `write it as YYYY-MM-DD, e.g. ${flag} 2017-06-30` });
  }
  return periodContaining(new Date(`${text}T12:00:00Z`), 'day', app.calendar);
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new CrmPulseError('usage', `[kpi] --count '${text}' must be a whole number from 1 to 400`);
  return n;
}
