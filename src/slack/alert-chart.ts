import type { AlertsConfig } from '../config/alerts-schema.ts';
import type { AlertNotification } from '../domain/alert.ts';
import type { TargetDefinition } from '../domain/kpi.ts';
import type { Calendar, Grain } from '../domain/period.ts';
import type { Database } from '../store/open-database.ts';
import { judgedPeriod } from '../alerts/evaluate-rule.ts';
import { evaluateKpi } from '../kpi/evaluate-kpi.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import { lastPeriods } from '../kpi/periods.ts';
import type { TrendChartInput } from '../charts/trend-chart.ts';
import { renderChart } from '../charts/render-chart.ts';
import type { Locale } from '../commands/reply.ts';

/** What an alert chart reads. */
export interface AlertChartDeps {
  readonly db: Database;
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
  readonly alerts: AlertsConfig;
  readonly targets: Readonly<Record<string, TargetDefinition>>;
}

/** Periods an alert chart shows, the judged one last. */
const PERIODS = 12;

/**
 * The trend chart of an alert: its KPI (for its dimension value) over the last 12 periods up to
 * the one judged, with the rule's threshold, the KPI's target and the episode shaded.
 * Undefined for episodes that are not about a KPI (data health, rule errors).
 */
export async function alertChartInput(deps: AlertChartDeps, n: AlertNotification, locale: Locale): Promise<TrendChartInput | undefined> {
  const rule = deps.alerts.rules[n.rule];
  if (n.kind !== 'kpi' || !rule) return undefined;
  const kpi = deps.kpis.get(rule.kpi);
  const judged = judgedPeriod(rule, new Date(n.since), deps.calendar);
  const periods = lastPeriods(new Date(judged.end.getTime() - 1), rule.grain as Grain, PERIODS, deps.calendar);
  const asOf = new Date(judged.end.getTime() - 1);
  const series = await evaluateKpi(deps.db, kpi, periods, deps.calendar, rule.by ? { by: rule.by, asOf } : { asOf });
  const threshold = rule.conditions.find((c) => c.type === 'threshold');
  const level = (l: unknown) => (typeof l === 'number' || Array.isArray(l) ? l : (l as { warning?: unknown; critical?: unknown }).warning ?? (l as { critical?: unknown }).critical);
  const line = threshold && threshold.type === 'threshold' ? level(threshold.above ?? threshold.below ?? threshold.outside) : undefined;
  const target = deps.targets[kpi.key];
  return {
    kind: 'trend',
    lang: locale,
    title: `${locale === 'zh' && kpi.title_zh ? kpi.title_zh : kpi.title}${n.dimension ? ` · ${n.dimension.value}` : ''}`,
    period: `${periods[0]!.label} – ${periods.at(-1)!.label}`,
    unit: kpi.unit,
    currency: kpi.currency,
    points: series.points.map((p) => ({
      period: p.period.label,
      start: p.period.start.toISOString(),
      value: rule.by ? (p.breakdown?.find((b) => b.key === n.dimension?.value)?.value ?? null) : p.value,
      anomalous: p.period.label === judged.label && n.event !== 'resolved',
    })),
    ...(typeof line === 'number' ? { threshold: { value: line } } : Array.isArray(line) ? { threshold: { low: line[0] as number, high: line[1] as number } } : {}),
    ...(target && target.grain === rule.grain ? { target: target.value } : {}),
    episodes: [{ from: judged.start.toISOString(), ...(n.endedAt ? { to: judged.end.toISOString() } : {}) }],
  };
}

/** The PNG of an alert's chart, for the Slack notifier. */
export function alertChart(deps: AlertChartDeps, locale: Locale): (n: AlertNotification) => Promise<{ png: Buffer; title: string } | undefined> {
  return async (n) => {
    const input = await alertChartInput(deps, n, locale);
    if (!input) return undefined;
    const chart = await renderChart(input);
    return { png: chart.png, title: input.title };
  };
}
