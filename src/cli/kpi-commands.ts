import type { Command } from 'commander';
import type { App } from '../app.ts';
import { GRAINS, type Grain, type Period } from '../domain/period.ts';
import type { KpiValue } from '../kpi/evaluate-kpi.ts';
import { formatKpiChange, formatKpiValue, formatSampleSize } from '../kpi/format-kpi-value.ts';
import { isLowSample, minSample } from '../kpi/sample-size.ts';
import type { KpiReport } from '../kpi/kpi-report.ts';
import { periodContaining, rangePeriod } from '../kpi/periods.ts';
import { messages } from '../answers/messages.ts';
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
    .option('--period <grain>', `period length: ${GRAINS.join(', ')}, or range (one period from --from to --to)`, 'month')
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
        const range = opts.period === 'range' ? rangeOf(app, opts) : undefined;
        const grain = range ? range.grain : parseGrain(opts.period);
        const asOf = opts.asOf ? day(app, opts.asOf, '--as-of').end : range ? range.end : ((await app.dataEnd()) ?? new Date());
        const report = await app.kpiReport(kpi.key, {
          grain,
          range,
          asOf: new Date(asOf.getTime() - 1),
          from: opts.from ? day(app, opts.from, '--from').start : undefined,
          to: opts.to ? day(app, opts.to, '--to').end : undefined,
          count: positiveInt(opts.count),
          by: opts.by,
          // Without --as-of or --from, a KPI whose data ended before the clock is shown at its data's end.
          atDataEnd: !opts.asOf && !opts.from && !range,
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
  const m = messages('en');
  const day = (d: Date) => periodContaining(new Date(d.getTime() - 1), 'day', app.calendar).label;
  // A to-date period and the comparisons cut at its offset carry "through <day>".
  const label = (p: { period: { label: string }; cutAt?: Date }) => (p.cutAt ? m.toDateLabel(p.period.label, day(p.cutAt)) : p.period.label);
  const out = [`${kpi.title} (${kpi.key}): ${kpi.description}`, `time zone ${app.calendar.timeZone}`];
  if (report.dataEnd) out.push(`${m.atDataEnd(day(new Date(report.dataEnd.getTime() + 1)))}: the data of this KPI ends before the clock`);
  out.push('');
  const withN = kpi.sample !== undefined;
  const low = (v: KpiValue) => (isLowSample(v) ? '*' : '');
  out.push(
    table(
      ['period', 'value', ...(withN ? ['n'] : []), 'vs previous', 'previous', 'vs last year', 'last year'],
      report.rows.map((r) => [
        label({ period: r.period, ...r.current }),
        formatKpiValue(r.current.value, unit, kpi.currency) + low(r.current),
        ...(withN ? [formatSampleSize(r.current.n)] : []),
        formatKpiChange(r.change, unit, kpi.currency),
        `${formatKpiValue(r.previous.value, unit, kpi.currency)} (${label(r.previous)})`,
        formatKpiChange(r.changeYoY, unit, kpi.currency),
        `${formatKpiValue(r.lastYear.value, unit, kpi.currency)} (${label(r.lastYear)})`,
      ]),
    ),
  );
  const noValue = (what: string, v: { value: number | null; reason?: string }) => (v.value === null ? [`  ${what}: ${m.noValue(v.reason)}`] : []);
  const reasons = report.rows.flatMap((r) => [
    ...noValue(r.period.label, r.current),
    ...noValue(`${label(r.previous)} (previous)`, r.previous),
    ...noValue(`${label(r.lastYear)} (last year)`, r.lastYear),
  ]);
  if (reasons.length) out.push('', ...[...new Set(reasons)]);
  if (report.breakdown) {
    const latest = report.rows.at(-1)!.period.label;
    // The report ranks the breakdown: by n for a KPI with a sample size, else by value.
    out.push('', `${latest} by ${report.by}${withN ? ', largest n first' : ''}:`);
    out.push(
      table(
        [report.by!, 'value', ...(withN ? ['n'] : []), 'previous', 'change'],
        report.breakdown.map((b) => [
          b.key,
          formatKpiValue(b.value, unit, kpi.currency) + low(b),
          ...(withN ? [formatSampleSize(b.n)] : []),
          formatKpiValue(b.previous, unit, kpi.currency),
          formatKpiChange(b.value === null || b.previous === null ? null : b.value - b.previous, unit, kpi.currency),
        ]),
      ),
    );
  }
  const lows = [...report.rows.map((r) => r.current), ...(report.breakdown ?? [])].some(isLowSample);
  if (lows) out.push('', `* n under ${formatSampleSize(minSample(kpi))}: low confidence (samples.min in the config)`);
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

/** `--period range --from D --to D`: the days from D to D as one period. */
function rangeOf(app: App, opts: KpiOptions): Period {
  if (!opts.from || !opts.to) {
    throw new CrmPulseError('usage', '[kpi] --period range needs both --from and --to', { hint: 'e.g. --period range --from 2010-12-01 --to 2011-12-09' });
  }
  return rangePeriod(day(app, opts.from, '--from').start, day(app, opts.to, '--to').start, app.calendar);
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new CrmPulseError('usage', `[kpi] --count '${text}' must be a whole number from 1 to 400`);
  return n;
}
