import type { App } from '../app.ts';
import { alertCardChart } from './alert-chart.ts';
import { renderChartPng } from '../charts/render-chart.ts';
import { commandService } from '../answers/command-service.ts';
import { ownerKpi } from '../kpi/kpi-dimensions.ts';
import type { SlackServices } from '../slack/slack-context.ts';
import { healthCheck } from '../store/health-check.ts';

/**
 * The services the Slack listeners receive, built from the app in one place: the /kpi commands,
 * alerts, config, log, "now" (CRM_PULSE_AS_OF when pinned, else the app's clock), charts as PNG,
 * /healthz over the database, /metrics, the digests, the KPI App Home shows by owner, and the
 * chart of an alert's card (so that a card redrawn after a button keeps its line).
 * `overrides` replace any of them: the bot passes its answer cache and the workspace's refusal
 * of native blocks; tests a pinned "now", their logger, or a command service of their own.
 * @example createSlackApp(app.env, slackServices(app, { now: async () => pinned }))
 */
export function slackServices(app: App, overrides: Partial<SlackServices> = {}): SlackServices {
  return {
    commands: overrides.commands ?? commandService(app),
    alerts: app.alerts,
    config: app.config.config,
    log: app.log,
    now: async () => (app.env.asOf ? app.asOf() : app.clock.now()),
    chartPng: renderChartPng,
    health: () => healthCheck(app.db),
    metrics: app.metrics,
    digests: app.digests,
    homeKpi: ownerKpi(app.kpis.all, app.config.config.targets),
    alertChart: alertCardChart(
      { db: app.db, kpis: app.kpis, calendar: app.calendar, alerts: app.config.config.alerts, targets: app.config.config.targets },
      app.config.config.slack.locale,
    ),
    ...(app.env.answerConcurrency ? { answerConcurrency: app.env.answerConcurrency } : {}),
    ...overrides,
  };
}
