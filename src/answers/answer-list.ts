import { formatKpiChange, formatKpiValue } from '../kpi/format-kpi-value.ts';
import { periodContaining } from '../kpi/periods.ts';
import type { CommandDeps } from './command-deps.ts';
import { messages } from './messages.ts';
import { periodName } from './period-name.ts';
import { answerReply } from './reply-of.ts';
import { fitTable, numberCell } from './reply-limits.ts';
import type { CommandContext, Reply, TableCell } from './reply.ts';

/** How far back `list` looks for a KPI's latest value. */
const LOOKBACK_MONTHS = 12;

/**
 * `/kpi list`: every KPI with its latest monthly value (the month containing as-of, else the
 * latest of the 12 before it that has one) and its change against the month before, in one table.
 */
export async function answerList(deps: CommandDeps, asOf: Date, ctx: CommandContext, post: boolean): Promise<Reply> {
  const m = messages(ctx.locale);
  const month = periodContaining(asOf, 'month', deps.calendar);
  const rows: (string | TableCell)[][] = [];
  const computed: string[][] = [];
  for (const kpi of deps.kpis.all) {
    // A computed KPI would cost a model fit per month here (seconds each): the list points to its own answer instead.
    if (kpi.model !== undefined) {
      computed.push([kpi.key, m.kpiTitle(kpi), '–', '–', m.listComputed(kpi.model)]);
      continue;
    }
    // A KPI whose data ends before this month is shown at its data's end, marked to date when it is.
    const report = await deps.kpiReport(kpi.key, { grain: 'month', asOf, count: LOOKBACK_MONTHS, atDataEnd: true });
    const latest = [...report.rows].reverse().find((r) => r.current.value !== null);
    const cut = latest?.current.cutAt;
    rows.push([
      kpi.key,
      m.kpiTitle(kpi),
      numberCell(latest?.current.value, formatKpiValue(latest?.current.value ?? null, kpi.unit, kpi.currency)),
      numberCell(latest?.change, formatKpiChange(latest?.change ?? null, kpi.unit, kpi.currency)),
      latest === undefined
        ? '–'
        : cut
          ? m.toDateLabel(latest.period.label, periodContaining(new Date(cut.getTime() - 1), 'day', deps.calendar).label)
          : latest.period.label,
    ]);
  }
  const header = m.listHeader(periodName(month, ctx.locale, deps.calendar));
  return answerReply(
    header,
    [
      { kind: 'header', text: header },
      { kind: 'table', ...fitTable(m.listColumns, rows, m.more) },
      // Computed KPIs in a table of their own: the main one already fills a Slack section.
      ...(computed.length ? [{ kind: 'table' as const, ...fitTable(m.listColumns, computed, m.more) }] : []),
      { kind: 'context', text: m.listContext },
    ],
    post,
    m.locale,
  );
}
