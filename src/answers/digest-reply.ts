import { DIGEST_MAX_ITEMS, type DigestChartInput } from '../charts/digest-chart.ts';
import { nativeDigestHeadline } from '../charts/native-line-chart.ts';
import type { Calendar } from '../domain/period.ts';
import type { Digest, DigestKpi } from '../digest/digest.ts';
import { formatKpiChange, formatKpiValue, formatSampleSize } from '../kpi/format-kpi-value.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import { periodContaining } from '../kpi/periods.ts';
import { localTimeText } from '../lib/zoned-time.ts';
import { digestMessages } from './digest-messages.ts';
import { messages } from './messages.ts';
import { channelMention } from './parse-values.ts';
import { periodName } from './period-name.ts';
import { fitTable } from './reply-limits.ts';
import type { Reply, ReplyBlock, ThreadLink } from './reply.ts';
import type { Locale } from '../domain/locale.ts';

/** What rendering a digest needs: KPI titles and the calendar for period names. */
export interface DigestReplyDeps {
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
}

/**
 * A built digest as one message: stale data said first, then the KPIs in scope most unusual first
 * with their change against last week and target progress, the top movers with what drove them,
 * open alerts linked to their threads, one small-multiples chart, the scorecard and a footer on
 * data freshness. Slack sends it as Block Kit, local mode prints it.
 * `links` holds the alert cards' links by `channel/ref` (digestThreadLinks).
 * @example digestReply(app, digest, 'en', await digestThreadLinks(digest, threadLink)).blocks[0] // { kind: 'header', text: "Weekly digest · Dustin Brinkmann's team · …" }
 */
export function digestReply(deps: DigestReplyDeps, digest: Digest, locale: Locale, links: ReadonlyMap<string, string> = new Map()): Reply {
  const d = digestMessages(locale);
  const m = messages(locale);
  const tz = deps.calendar.timeZone;
  const when = (iso: string) => localTimeText(new Date(iso), tz);
  const day = (iso: string) => when(iso).slice(0, 10);
  const week = periodContaining(new Date(digest.period.start), 'week', deps.calendar);
  const previous = periodContaining(new Date(new Date(digest.period.start).getTime() - 1), 'week', deps.calendar);
  const title = (key: string) => {
    const def = deps.kpis.all.find((k) => k.key === key);
    return def ? m.kpiTitle(def) : key;
  };
  const scope = digest.scope.kind === 'manager' ? d.team(digest.scope.manager) : d.company;
  const header = d.title(scope, periodName(week, locale, deps.calendar));
  const blocks: ReplyBlock[] = [{ kind: 'header', text: header }];

  const f = digest.freshness;
  if (f.stale) {
    const what = [
      ...f.sources.filter((s) => s.stale).map((s) => d.staleSource(s.name, s.lastSuccess ? when(s.lastSuccess) : d.never)),
      ...(f.latestRecord === null || f.latestRecord < digest.period.start ? [d.noRecords(f.latestRecord ? day(f.latestRecord) : d.never)] : []),
    ];
    blocks.push({ kind: 'text', text: d.stale(what.join('; ')) });
  }

  if (digest.kpis.length === 0) blocks.push({ kind: 'text', text: d.empty });
  else {
    blocks.push({
      kind: 'text',
      text: d.intro(digest.kpis.length, digest.scope.kind === 'manager' ? digest.scope.agents.length : undefined, periodName(previous, locale, deps.calendar)),
    });
    const rows = digest.kpis.map((k) => [
      title(k.key),
      k.value === null ? '–' : `${formatKpiValue(k.value, k.unit, k.currency)}${k.low ? '*' : ''}`,
      formatSampleSize(k.n),
      formatKpiChange(k.change, k.unit, k.currency),
      k.target
        ? `${d.targetBy(formatKpiValue(k.target.target, k.unit, k.currency), k.target.deadline)}${k.target.company ? d.teamMeets(k.target.meets ?? null) : d.onTrack(k.target.onTrack)}`
        : '–',
      k.low && k.n !== undefined ? d.lowSignal(formatSampleSize(k.n), formatSampleSize(k.minSample)) : d.signal(k.z),
    ]);
    blocks.push({ kind: 'table', ...fitTable(d.columns(digest.scope.kind === 'manager'), rows, m.more) });
    const mins = [...new Set(digest.kpis.flatMap((k) => (k.minSample === undefined ? [] : [k.minSample])))];
    if (mins.length) blocks.push({ kind: 'context', text: d.sampleNote(mins.map((x) => formatSampleSize(x)).join('/')) });
  }

  if (digest.forecasts?.length) {
    const lines = digest.forecasts.map((f) => d.forecastMiss(title(f.key), f.period, f.missBy.toFixed(0), (f.probability * 100).toFixed(0)));
    blocks.push({ kind: 'text', text: [d.forecastHeader, ...lines].join('\n') });
  }

  const movers = digest.movers.map((key) => digest.kpis.find((k) => k.key === key)).filter((k): k is DigestKpi => k !== undefined);
  if (movers.length) {
    const lines = movers.map((k) =>
      d.mover(
        title(k.key),
        formatKpiChange(k.change, k.unit, k.currency),
        k.driver ? d.driver(d.dimension(k.driver.dimension), k.driver.key, formatKpiChange(k.driver.effect, k.unit, k.currency)) : undefined,
      ),
    );
    blocks.push({ kind: 'text', text: [d.moversHeader, ...lines].join('\n') });
  }

  const alerts = digest.alerts.map((a) => {
    const where = a.threads.map((t) => {
      const link = links.get(`${t.channel}/${t.ref}`);
      return link ? `<${link}|${channelMention(t.channel)}>` : channelMention(t.channel);
    });
    return d.alertLine(m.severity(a.severity), title(a.kpi), a.seriesKey, day(a.startedAt), where.join(m.comma));
  });
  blocks.push({ kind: 'text', text: [d.alertsHeader(alerts.length), ...(alerts.length ? alerts : [d.noAlerts])].join('\n') });

  const charted = digest.kpis.filter((k) => k.points.some((p) => p.value !== null)).slice(0, DIGEST_MAX_ITEMS);
  if (charted.length) {
    const chart: DigestChartInput = {
      kind: 'digest',
      title: d.chartTitle,
      period: `${charted[0]!.points[0]?.period ?? ''} – ${digest.period.label}`,
      lang: locale,
      items: charted.map((k) => ({
        title: title(k.key),
        unit: k.unit,
        ...(k.currency ? { currency: k.currency } : {}),
        ...(k.direction ? { direction: k.direction } : {}),
        points: k.points,
      })),
    };
    const headline = nativeDigestHeadline(chart);
    blocks.push({ kind: 'chart', chart, alt: d.chartAlt(charted.length), ...(headline ? { headline } : {}) });
  }

  if (digest.scorecard) {
    const s = digest.scorecard;
    const parts = s.perspectives.filter((p) => p.score !== null).map((p) => `${d.perspective(p.perspective)} ${Math.round(p.score!)}`);
    blocks.push({ kind: 'text', text: d.scorecard(s.period, s.composite === null ? '–' : String(Math.round(s.composite)), parts.join(' · ')) });
  }

  const sources = f.sources.map((s) => d.synced(s.name, s.lastSuccess ? when(s.lastSuccess) : d.never)).join(' · ');
  blocks.push({ kind: 'context', text: d.footer(sources, f.latestRecord ? day(f.latestRecord) : d.never, when(digest.builtAt)) });
  return { text: header, blocks, visibility: 'in_channel', kind: 'answer', locale };
}

/** The links of the digest's alert cards, by `channel/ref`, for digestReply; empty without a link maker. */
export async function digestThreadLinks(digest: Digest, threadLink: ThreadLink | undefined): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (!threadLink) return links;
  for (const t of digest.alerts.flatMap((a) => a.threads)) {
    const link = await threadLink(t.channel, t.ref);
    if (link) links.set(`${t.channel}/${t.ref}`, link);
  }
  return links;
}
