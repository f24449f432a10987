import type { AlertsConfig, RuleConfig } from '../config/alerts-schema.ts';
import type { Severity } from '../domain/alert.ts';
import type { ChannelSubscription } from '../store/channel-subscriptions.ts';

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

function list(x: string | readonly string[]): readonly string[] {
  return typeof x === 'string' ? [x] : x;
}
