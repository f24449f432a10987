import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { AlertNotification, Severity } from '../domain/alert.ts';
import type { ChannelSubscription } from '../store/channel-subscriptions.ts';
import type { Notice, RuleRef } from './build-notification.ts';
import type { Stage } from './stage.ts';

/**
 * The channels an alert goes to: the rule's (or the default ones), plus every matching route,
 * plus the channels subscribed to its KPI with /kpi subscribe.
 */
export function channelsFor(
  cfg: AlertsConfig,
  ruleName: string,
  rule: Pick<RuleConfig, 'kpi' | 'channels'> | undefined,
  severity: Severity,
  subscriptions: readonly ChannelSubscription[] = [],
): string[] {
  const out = new Set(rule?.channels ?? cfg.channels);
  for (const route of cfg.routes) {
    if (route.severity && route.severity !== severity) continue;
    if (route.kpi && !list(route.kpi).includes(rule?.kpi ?? '')) continue;
    if (route.rule && !list(route.rule).includes(ruleName)) continue;
    for (const c of route.channels) out.add(c);
  }
  for (const s of subscriptions) if (rule !== undefined && s.kpi === rule.kpi) out.add(s.channel);
  return [...out];
}

/** Who to mention: the severity's mention, and the series' owner or manager when mapped to a Slack user. */
export function mentionsFor(cfg: AlertsConfig, rule: Pick<RuleConfig, 'by'> | undefined, seriesKey: string, severity: Severity): string[] {
  const out: string[] = [];
  const forSeverity = cfg.mentions[severity];
  if (forSeverity) out.push(forSeverity);
  if (rule?.by && ['owner', 'manager'].includes(rule.by)) {
    const user = cfg.owners[seriesKey];
    if (user) out.push(user.startsWith('<') ? user : `<@${user}>`);
  }
  return out;
}

/**
 * A notice as notifications, one per channel it routes to (see channelsFor). The dedup key names
 * the episode, the event, the instant of the evaluation and the channel: an event is queued once
 * however often a crashed tick is retried.
 */
export function routeNotice(cfg: AlertsConfig, ref: RuleRef, notice: Notice, subscriptions: readonly ChannelSubscription[] = []): AlertNotification[] {
  const { episodeId, event, kind, ...rest } = notice;
  return channelsFor(cfg, ref.name, ref.rule, notice.severity, subscriptions).map((channel) => ({
    dedupKey: `${episodeId}:${event}:${event === 'firing' || event === 'resolved' ? '' : notice.evaluatedAt}:${channel}`,
    episodeId,
    event,
    kind,
    channel,
    ...rest,
  }));
}

/** The route stage: each notice, as one notification per channel it routes to. */
export const routeStage: Stage = async (batch, { deps, setup }) => ({
  ...batch,
  alerts: batch.alerts.map((a) => (a.notice ? { ...a, notifications: routeNotice(deps.alerts, a.ref, a.notice, setup.subscriptions) } : a)),
});

function list(x: string | readonly string[]): readonly string[] {
  return typeof x === 'string' ? [x] : x;
}
