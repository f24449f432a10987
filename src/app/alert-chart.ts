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
import type { NativeChart } from '../charts/native-chart.ts';
import { nativeTrendLine } from '../charts/native-line-chart.ts';
import type { Locale } from '../domain/locale.ts';
import { formatKpiValue } from '../kpi/format-kpi-value.ts';
import { cardText } from '../answers/card-text.ts';
import { messages } from '../answers/messages.ts';

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

/** An alert card's chart: the native block's data where it fits, what it leaves out, and the PNG. */
export interface AlertCardChart {
  readonly title: string;
  /** the KPI's line for Slack's data_visualization block; undefined when it does not fit the block */
  readonly native: NativeChart | undefined;
  /** what the native chart does not draw (threshold, target), in words, when it leaves something out */
  readonly note: string | undefined;
  /** the full chart (threshold, target and episode bands) as a PNG, rendered when asked */
  png(): Promise<Buffer>;
}

/**
 * The trend chart of an alert: its KPI (for its dimension value) over the last 12 periods up to
 * the one judged at the event's evaluation (so an edit of the card shows its own event's data),
 * with the rule's threshold, the KPI's target and the episode shaded.
 * Undefined for episodes that are not about a KPI (data health, rule errors).
 */
export async function alertChartInput(deps: AlertChartDeps, n: AlertNotification, locale: Locale): Promise<TrendChartInput | undefined> {
  const rule = deps.alerts.rules[n.rule];
  if (n.kind !== 'kpi' || !rule) return undefined;
  const kpi = deps.kpis.get(rule.kpi);
  const judged = judgedPeriod(rule, new Date(n.evaluatedAt ?? n.since), deps.calendar);
  const periods = lastPeriods(new Date(judged.end.getTime() - 1), rule.grain as Grain, PERIODS, deps.calendar);
  const asOf = new Date(judged.end.getTime() - 1);
  const series = await evaluateKpi(deps.db, kpi, periods, deps.calendar, rule.by ? { by: rule.by, asOf } : { asOf });
  const threshold = rule.conditions.find((c) => c.type === 'threshold');
  const level = (l: unknown) =>
    typeof l === 'number' || Array.isArray(l) ? l : ((l as { warning?: unknown; critical?: unknown }).warning ?? (l as { critical?: unknown }).critical);
  const line = threshold && threshold.type === 'threshold' ? level(threshold.above ?? threshold.below ?? threshold.outside) : undefined;
  const target = deps.targets[kpi.key];
  return {
    kind: 'trend',
    lang: locale,
    title: `${messages(locale).kpiTitle(kpi)}${n.dimension ? ` · ${n.dimension.value}` : ''}`,
    period: `${periods[0]!.label} – ${periods.at(-1)!.label}`,
    unit: kpi.unit,
    currency: kpi.currency,
    points: series.points.map((p) => ({
      period: p.period.label,
      start: p.period.start.toISOString(),
      value: rule.by ? (p.breakdown?.find((b) => b.key === n.dimension?.value)?.value ?? null) : p.value,
      anomalous: p.period.label === judged.label && n.event !== 'resolved',
    })),
    ...(typeof line === 'number'
      ? { threshold: { value: line } }
      : Array.isArray(line)
        ? { threshold: { low: line[0] as number, high: line[1] as number } }
        : {}),
    ...(target && target.grain === rule.grain ? { target: target.value } : {}),
    episodes: [{ from: judged.start.toISOString(), ...(n.endedAt ? { to: judged.end.toISOString() } : {}) }],
  };
}

/** The PNG of an alert's chart. */
export function alertChart(deps: AlertChartDeps, locale: Locale): (n: AlertNotification) => Promise<{ png: Buffer; title: string } | undefined> {
  return async (n) => {
    const input = await alertChartInput(deps, n, locale);
    if (!input) return undefined;
    const chart = await renderChart(input);
    return { png: chart.png, title: input.title };
  };
}

/**
 * An alert card's chart from one query: the KPI's line as native chart data and the full PNG of
 * the same points, for the Slack notifier (slack.charts chooses which the card carries).
 * @example (await alertCardChart(deps, 'en')(n))?.native?.series[0]?.values // [100, 100, 40]
 */
export function alertCardChart(deps: AlertChartDeps, locale: Locale): (n: AlertNotification) => Promise<AlertCardChart | undefined> {
  return async (n) => {
    const input = await alertChartInput(deps, n, locale);
    if (!input) return undefined;
    const native = nativeTrendLine(input);
    return { title: input.title, native, note: native ? leftOut(input, locale) : undefined, png: async () => (await renderChart(input)).png };
  };
}

/** The threshold and target a native line leaves out, in words; undefined when it leaves out neither. */
function leftOut(input: TrendChartInput, locale: Locale): string | undefined {
  const t = cardText(locale);
  const value = (v: number) => formatKpiValue(v, input.unit, input.currency);
  const th = input.threshold;
  const parts = [
    ...(th ? [`${t.chartThreshold} ${'value' in th ? value(th.value) : `${value(th.low)} – ${value(th.high)}`}`] : []),
    ...(input.target !== undefined ? [`${t.chartTarget} ${value(input.target)}`] : []),
  ];
  return parts.length ? t.chartLeftOut(parts.join(' · ')) : undefined;
}
