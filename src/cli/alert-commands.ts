import type { Command } from 'commander';
import type { KpiDefinition } from '../domain/kpi.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import type { App } from '../app.ts';
import type { TickReport } from '../alerts/evaluate-alerts.ts';
import type { BacktestReport } from '../alerts/backtest.ts';
import type { AlertsOverview } from '../alerts/alerts-service.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { formatDuration, parseDuration } from '../lib/duration.ts';
import { table } from './format-report.ts';
import { alertChartFile } from './alert-chart-file.ts';
import { localTimeText } from '../lib/zoned-time.ts';
import type { KpiCommandContext } from './kpi-commands.ts';

/**
 * One tick at `now` and the delivery of what it queued through local mode's notifier, which
 * prints each notification. Returns the text that summarises the tick.
 */
export async function evaluateAndDeliver(
  app: App,
  now: Date,
  print: (text: string) => void,
  options: { rules?: readonly string[]; outDir?: string } = {},
): Promise<TickReport> {
  const report = await app.alerts.evaluate(now, options.rules ? { rules: options.rules } : {});
  const { localNotifier } = await import('../local/local-notifier.ts');
  // With outDir (local mode's prompt), each alert's chart is written there as a PNG.
  const chart = options.outDir ? alertChartFile(app, options.outDir) : undefined;
  await app.alerts.deliver(
    localNotifier(app.env.notificationsFile, (t) => print(t.trimEnd()), chart ? { chart } : {}),
    now,
  );
  return report;
}

/** The transitions and what was held or failed in a tick, in lines. */
export function formatTick(r: TickReport): string {
  const lines = [
    `evaluated ${r.rules} rules, ${r.series} series at ${r.at.toISOString()}: ${r.transitions.length} state changes, ${r.queued} notifications queued`,
  ];
  for (const t of r.transitions) lines.push(`  ${t.rule}${t.seriesKey ? ` [${t.seriesKey}]` : ''}: ${t.from} → ${t.to}  ${t.summary}`);
  for (const [rule, why] of r.held) lines.push(`  held ${rule}: ${why}`);
  for (const [rule, why] of r.errors) lines.push(`  error ${rule}: ${why}`);
  for (const c of r.ruleChanges) lines.push(`  config: ${c.replace('_', ' ')}`);
  return lines.join('\n');
}

/** Open episodes, silences and undelivered notifications, as tables. */
export function formatOverview(o: AlertsOverview, now: Date, timeZone: string): string {
  const time = (d: Date) => localTimeText(d, timeZone);
  const out: string[] = [];
  out.push(o.open.length ? `Open alert episodes (${o.open.length}):` : 'No open alert episodes.');
  if (o.open.length) {
    out.push(
      table(
        ['id', 'severity', 'rule', 'series', 'since', 'for', 'last value', 'acknowledged'],
        o.open.map((e) => [
          String(e.id),
          e.currentSeverity,
          e.rule,
          e.seriesKey || '–',
          time(e.startedAt),
          formatDuration(Math.max(0, now.getTime() - e.startedAt.getTime())),
          e.lastValue === null ? '–' : plainNumber(e.lastValue),
          e.acknowledgedBy ? `by ${e.acknowledgedBy}` : 'no',
        ]),
      ),
    );
  }
  if (o.silences.length) {
    out.push('', `Silences in force (${o.silences.length}):`);
    out.push(
      table(
        ['id', 'matches', 'until', 'by', 'reason'],
        o.silences.map((s) => [String(s.id), JSON.stringify(s.matchers), s.untilSync ? 'next sync' : s.endsAt ? time(s.endsAt) : '–', s.createdBy, s.reason]),
      ),
    );
  }
  const c = o.outbox.counts;
  out.push('', `Notifications: ${['sent', 'pending', 'held', 'muted', 'failed', 'dropped'].map((k) => `${c[k] ?? 0} ${k}`).join(', ')}`);
  for (const f of o.outbox.failed) out.push(`  failed #${f.id} ${f.channel} (${f.event}, ${f.attempts} attempts): ${f.lastError}`);
  return out.join('\n');
}

/** A value without its unit, with thousands separators and at most three decimals: 721,932 or 0.412. */
function plainNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** A backtest report, as lines; with the KPI, its peaks are written in its unit and currency. */
export function formatBacktest(r: BacktestReport, timeZone: string, kpi?: Pick<KpiDefinition, 'unit' | 'currency'>): string {
  const day = (d: Date) => localTimeText(d, timeZone).slice(0, 10);
  const lines = [
    `rule ${r.rule} (${r.kpi}) from ${day(r.from)} to ${day(r.to)}: ${r.ticks} evaluations, ${r.episodes.length} episodes, ${r.notifications} notifications`,
  ];
  if (r.episodes.length) {
    lines.push(
      table(
        ['series', 'severity', 'fired (period)', 'resolved (period)', 'lasted', 'peak'],
        r.episodes.map((e) => [
          e.seriesKey || '–',
          e.severity,
          `${day(e.startedAt)} (${e.startPeriod})`,
          e.endedAt ? `${day(e.endedAt)} (${e.endPeriod})` : 'still firing',
          formatDuration(e.durationMs),
          e.peak === null ? '–' : kpi ? formatKpiValue(e.peak, kpi.unit, kpi.currency) : plainNumber(e.peak),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/** Adds `evaluate`, `alerts …` and `backtest` to the command line. */
export function registerAlertCommands(program: Command, ctx: KpiCommandContext): void {
  const actor = (by: string | undefined) => by ?? process.env.USER ?? 'cli';
  const quiet = () => ({ ...program.opts(), quiet: true });

  program
    .command('evaluate')
    .description('evaluate the alert rules once and deliver what changed (local mode: printed and written to the notifications file)')
    .option('--as-of <date>', 'evaluate as if it were the end of this day (default: the end of the data)')
    .option('--rule <name...>', 'only these rules')
    .option('--json', 'print the tick report as JSON')
    .action(async (opts: { asOf?: string; rule?: string[]; json?: boolean }) => {
      await ctx.withApp(quiet(), async (app) => {
        const now = await app.asOf(opts.asOf);
        const report = await evaluateAndDeliver(app, now, opts.json ? () => undefined : ctx.print, opts.rule ? { rules: opts.rule } : {});
        ctx.print(
          opts.json
            ? JSON.stringify({ ...report, held: Object.fromEntries(report.held), errors: Object.fromEntries(report.errors) }, null, 2)
            : formatTick(report),
        );
        return report.errors.size ? 1 : 0;
      });
    });

  const alerts = program.command('alerts').description('open alert episodes, silences and undelivered notifications; acknowledge, snooze, silence');
  alerts
    .command('list', { isDefault: true })
    .description('open episodes, silences in force, notification counts and failures')
    .option('--as-of <date>', 'which silences are in force (default: the end of the data)')
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      await ctx.withApp(quiet(), async (app) => {
        const now = await app.asOf(opts.asOf);
        const overview = await app.alerts.overview(now);
        ctx.print(opts.json ? JSON.stringify(overview, null, 2) : formatOverview(overview, now, app.calendar.timeZone));
        return 0;
      });
    });
  alerts
    .command('ack')
    .description('acknowledge an episode: reminders stop, the state stays')
    .argument('<episode>', 'the episode id')
    .option('--by <name>', 'who acknowledges (default: $USER)')
    .action(async (id: string, opts: { by?: string }) => {
      await ctx.withApp(quiet(), async (app) => {
        const e = await app.alerts.acknowledge(episodeId(id), actor(opts.by), await app.asOf());
        ctx.print(`episode ${e.id} (${e.rule}${e.seriesKey ? ` [${e.seriesKey}]` : ''}) acknowledged by ${e.acknowledgedBy}`);
        return 0;
      });
    });
  alerts
    .command('snooze')
    .description('mute one episode for a while (30m, 4h, 1d) or until the next successful data sync (sync)')
    .argument('<episode>', 'the episode id')
    .argument('<for>', 'a duration such as 4h, or sync')
    .option('--by <name>', 'who snoozes (default: $USER)')
    .action(async (id: string, length: string, opts: { by?: string }) => {
      await ctx.withApp(quiet(), async (app) => {
        const now = await app.asOf();
        const s = await app.alerts.snooze(episodeId(id), length === 'sync' ? 'sync' : new Date(now.getTime() + duration(length)), actor(opts.by), now);
        ctx.print(`episode ${id} snoozed (silence ${s.id}) ${s.untilSync ? 'until the next data sync' : `until ${s.endsAt!.toISOString()}`}`);
        return 0;
      });
    });
  alerts
    .command('silence')
    .description('mute matching alerts for a while; every matcher given must match')
    .option('--kpi <key>')
    .option('--rule <name>')
    .option('--dimension <value>', 'a dimension value, e.g. West')
    .option('--severity <level>', 'warning or critical')
    .requiredOption('--for <duration>', 'how long, e.g. 2h, 1d, 1w')
    .requiredOption('--reason <text>', 'why, for the audit log and the people who wonder')
    .option('--by <name>', 'who silences (default: $USER)')
    .action(async (opts: { kpi?: string; rule?: string; dimension?: string; severity?: string; for: string; reason: string; by?: string }) => {
      await ctx.withApp(quiet(), async (app) => {
        if (opts.severity && !['warning', 'critical'].includes(opts.severity))
          throw new CrmPulseError('usage', `[alerts] --severity '${opts.severity}': use warning or critical`);
        if (opts.kpi) app.kpis.get(opts.kpi);
        if (opts.rule && !app.config.config.alerts.rules[opts.rule]) {
          throw new CrmPulseError('usage', `[alerts] no rule '${opts.rule}'`, {
            hint: `known rules: ${Object.keys(app.config.config.alerts.rules).join(', ')}`,
          });
        }
        const matchers = Object.fromEntries(
          Object.entries({ kpi: opts.kpi, rule: opts.rule, dimension: opts.dimension, severity: opts.severity }).filter(([, v]) => v !== undefined),
        );
        const now = await app.asOf();
        const s = await app.alerts.silence(matchers, new Date(now.getTime() + duration(opts.for)), actor(opts.by), opts.reason, now);
        ctx.print(`silence ${s.id} on ${JSON.stringify(s.matchers)} until ${s.endsAt!.toISOString()}`);
        return 0;
      });
    });
  alerts
    .command('unsilence')
    .description('end a silence or snooze now')
    .argument('<silence>', 'the silence id')
    .option('--by <name>', 'who ends it (default: $USER)')
    .action(async (id: string, opts: { by?: string }) => {
      await ctx.withApp(quiet(), async (app) => {
        await app.alerts.unsilence(episodeId(id), actor(opts.by), await app.asOf());
        ctx.print(`silence ${id} ended`);
        return 0;
      });
    });
  alerts
    .command('audit')
    .description('who did what to alerts: state changes of rules, silences, snoozes, acknowledgements')
    .option('--limit <n>', 'entries shown', '50')
    .action(async (opts: { limit: string }) => {
      await ctx.withApp(quiet(), async (app) => {
        const rows = await app.alerts.audit(Number(opts.limit) || 50);
        ctx.print(
          table(
            ['at', 'actor', 'action', 'subject', 'detail'],
            rows.map((r) => [r.at.toISOString().slice(0, 19).replace('T', ' '), r.actor, r.action, r.subject, r.detail ?? '']),
          ),
        );
        return 0;
      });
    });

  program
    .command('backtest')
    .description('replay history through the alert rules: when episodes would have started and ended, and how many notifications')
    .option('--rule <name>', 'one rule')
    .option('--kpi <key>', 'every rule on this KPI')
    .requiredOption('--from <date>', 'first day replayed (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day replayed (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action(async (opts: { rule?: string; kpi?: string; from: string; to: string; json?: boolean }) => {
      await ctx.withApp(quiet(), async (app) => {
        if (opts.rule && opts.kpi) throw new CrmPulseError('usage', '[backtest] give --rule or --kpi, not both');
        const to = await app.asOf(opts.to);
        const from = new Date((await app.asOf(opts.from)).getTime() + 1 - 86_400_000);
        const reports = await app.alerts.backtest({ ...(opts.rule ? { rule: opts.rule } : {}), ...(opts.kpi ? { kpi: opts.kpi } : {}) }, from, to);
        ctx.print(
          opts.json ? JSON.stringify(reports, null, 2) : reports.map((r) => formatBacktest(r, app.calendar.timeZone, app.kpis.get(r.kpi))).join('\n\n'),
        );
        return 0;
      });
    });
}

function episodeId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0)
    throw new CrmPulseError('usage', `[alerts] '${text}' is not an id`, { hint: 'use the number shown by `crm-pulse alerts`' });
  return id;
}

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new CrmPulseError('usage', `[alerts] '${text}' is not a duration`, { hint: 'write a number and a unit: 30m, 4h, 1d, 2w' });
  return ms;
}
