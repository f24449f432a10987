import type { WebClient } from '@slack/web-api';
import type { App } from '../app.ts';
import type { Notifier } from '../alerts/notifier.ts';
import { digestReply, digestThreadLinks } from '../commands/digest-reply.ts';
import type { DigestNotifier } from '../digest/digest-notifier.ts';
import { alertCardChart } from '../slack/alert-chart.ts';
import { memoryRefusal, type NativeRefusal } from '../slack/native-refusal.ts';
import { renderChartPng } from '../slack/slack-context.ts';
import { slackDigestNotifier } from '../slack/slack-digest-notifier.ts';
import { slackNotifier } from '../slack/slack-notifier.ts';
import { slackThreadLink } from '../slack/thread-link.ts';

/**
 * The bot's alert and digest notifiers as production runs them: cards with the chart that
 * `slack.charts` asks for, built from the event's data, acknowledgements and snoozes on the card,
 * digests with their thread links, and one refusal mark of native blocks shared by both.
 * @example const { alerts } = botNotifiers(app, createSlackClient(app.env), now); await app.alerts.deliver(alerts, now)
 */
export function botNotifiers(app: App, client: WebClient, now: () => Promise<Date>, nativeRefusal: NativeRefusal = memoryRefusal()): { alerts: Notifier; digests: DigestNotifier } {
  const { locale, charts } = app.config.config.slack;
  const deps = { db: app.db, kpis: app.kpis, calendar: app.calendar, alerts: app.config.config.alerts, targets: app.config.config.targets };
  const alerts = slackNotifier({
    client,
    locale,
    charts,
    nativeRefusal,
    log: app.log,
    chartFor: alertCardChart(deps, locale),
    marksFor: async (id) => {
      const card = await app.alerts.card(id, await now());
      return { acknowledgedBy: card?.acknowledgedBy, snoozed: card?.snoozed };
    },
  });
  const digests = slackDigestNotifier({
    client,
    charts,
    nativeRefusal,
    log: app.log,
    chartPng: renderChartPng,
    render: async (digest) => digestReply(app, digest, locale, await digestThreadLinks(digest, slackThreadLink(client, app.log))),
  });
  return { alerts, digests };
}
