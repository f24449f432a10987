import type { WebClient } from '@slack/web-api';
import type { App } from '../app.ts';
import type { Notifier } from '../alerts/notifier.ts';
import { digestReply, digestThreadLinks } from '../answers/digest-reply.ts';
import type { DigestDelivery } from '../digest/digest.ts';
import type { AlertNotification } from '../domain/alert.ts';
import { alertCardChart } from './alert-chart.ts';
import type { NativeRefusal } from '../slack/native-refusal.ts';
import { renderChartPng } from '../charts/render-chart.ts';
import { slackDigestNotifier } from '../slack/slack-digest-notifier.ts';
import { slackNotifier } from '../slack/slack-notifier.ts';
import { slackThreadLink } from '../slack/thread-link.ts';
import { markNativeRefusal, readNativeRefusal } from '../store/native-refusals.ts';

/**
 * The bot's alert and digest notifiers as production runs them: cards with the chart that
 * `slack.charts` asks for, built from the event's data, acknowledgements and snoozes on the card,
 * digests with their thread links, and one refusal mark of native blocks shared by both (by
 * default kept in the database: storedRefusal).
 * @example const { alerts } = botNotifiers(app, createSlackClient(app.env), now); await app.alerts.deliver(alerts, now)
 */
export function botNotifiers(
  app: App,
  client: WebClient,
  now: () => Promise<Date>,
  nativeRefusal: NativeRefusal = storedRefusal(app, client),
): { alerts: Notifier<AlertNotification>; digests: Notifier<DigestDelivery> } {
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

/**
 * The workspace's refusal of native blocks, kept in the database (slack_native_refusals) so that
 * a restart does not try the block again, and shared by replicas. The workspace is the bot
 * token's team (auth.test, asked once). A mark that cannot be read counts as none: the block is
 * tried, and a refusal is then resent without it at once.
 */
export function storedRefusal(app: Pick<App, 'db' | 'clock' | 'log'>, client: WebClient): NativeRefusal {
  let team: Promise<string> | undefined;
  const workspace = () =>
    (team ??= client.auth
      .test()
      .then((r) => r.team_id ?? 'unknown')
      .catch((error: unknown) => {
        team = undefined;
        throw error;
      }));
  let known: boolean | undefined;
  return {
    async refused() {
      if (known !== undefined) return known;
      try {
        known = (await readNativeRefusal(app.db, await workspace())) !== undefined;
        return known;
      } catch (error) {
        app.log.warn({ err: error }, '[slack] could not read whether this workspace refuses native blocks; trying the block');
        return false;
      }
    },
    async mark(reason) {
      known = true;
      try {
        await markNativeRefusal(app.db, await workspace(), reason, app.clock.now());
      } catch (error) {
        app.log.warn({ err: error }, '[slack] could not store that this workspace refuses native blocks; kept in memory until a restart');
      }
    },
  };
}
