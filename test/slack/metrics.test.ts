// /metrics through the real HTTP receiver: the app syncs CSV files (with a rejected row and a
// failed unit), evaluates a rule that fires, and delivers through Bolt's own Web API client to a
// fake Slack that answers 429 once and channel_not_found once; the scrape must count all of it.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { healthCheck } from '../../src/store/health-check.ts';
import type { UnitResult } from '../../src/ingest/sync-source.ts';
import { alertFixture, at } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let slack: FakeSlack;
let bot: SlackApp;
let base: string;
let f: Awaited<ReturnType<typeof alertFixture>>;
const synced: UnitResult[] = [];
const now = at('2024-04-01T09:00:00Z');

/** The value of one sample of a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const same = Object.keys(got).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => got[k] === v);
    if (same) return Number(m[3]);
  }
  return undefined;
}

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  // The fixture syncs owners.csv and deals.csv once through the app (two units).
  f = await alertFixture();
  // A second sync with one unreadable amount: a rejected row.
  writeFileSync(join(f.dir, 'deals.csv'), '900,won,lots,ann,2024-09-01,2024-09-15\n', { flag: 'a' });
  synced.push(...(await f.app.ingest('crm')));
  // A third with deals.csv gone: that unit fails.
  renameSync(join(f.dir, 'deals.csv'), join(f.dir, 'deals.moved'));
  synced.push(...(await f.app.ingest('crm')));

  const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-metrics-test-7d1e', SLACK_SIGNING_SECRET: 'metrics-secret', SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const services = {
    commands: {},
    alerts: f.app.alerts,
    config: f.app.config.config,
    log: silentLogger(),
    now: async () => now,
    chartPng: renderChartPng,
    health: () => healthCheck(f.app.db),
    metrics: f.app.metrics,
  } as unknown as SlackServices;
  bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  const { port } = await bot.start();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await bot.stop();
  await slack.close();
  await f.close();
});

describe('/metrics', () => {
  it('counts syncs, evaluation, alerts, the outbox and Slack failures with their real values', async () => {
    await f.app.alerts.evaluate(now);
    // Bolt's own client, so the count comes from the fetch every Web API call passes through.
    const notifier = slackNotifier({ client: bot.bolt.client, locale: 'en', perChannelMs: 0 });
    slack.fail('chat.postMessage', { status: 429, retryAfter: 30 });
    slack.fail('conversations.history', { error: 'channel_not_found' });
    const delivery = await f.app.alerts.deliver(notifier, now);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();

    // Syncs: 2 units in the fixture, 2 in the second sync, 1 succeeded + 1 failed in the third.
    expect(sample(text, 'crm_pulse_sync_runs_total', { source: 'crm', status: 'succeeded' })).toBe(5);
    expect(sample(text, 'crm_pulse_sync_runs_total', { source: 'crm', status: 'failed' })).toBe(1);
    // Owners 2 + deals 27 rows in each of the first two syncs, owners 2 in the third.
    expect(sample(text, 'crm_pulse_sync_rows_total', { source: 'crm' })).toBe(2 + 27 + 2 + 27 + 2);
    expect(sample(text, 'crm_pulse_sync_rejected_rows_total', { source: 'crm' })).toBe(1);
    expect(synced.filter((r) => r.status === 'failed').map((r) => r.object)).toEqual(['deals']);
    expect(synced.reduce((n, r) => n + r.counts.rejected, 0)).toBe(1);

    // One evaluation, timed into the histogram.
    expect(sample(text, 'crm_pulse_alert_evaluation_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'crm_pulse_alert_evaluation_seconds_bucket', { outcome: 'ok', le: '+Inf' })).toBe(1);

    // West's March drop (40 after 100) fires, critical; East stays ok and has no series row.
    expect(sample(text, 'crm_pulse_alert_series', { state: 'firing' })).toBe(1);
    expect(sample(text, 'crm_pulse_alert_series', { state: 'pending' })).toBe(0);
    expect(sample(text, 'crm_pulse_alert_episodes_open', { severity: 'critical' })).toBe(1);

    // The card goes to #alerts and, being critical, to #leads. One channel's history lookup was
    // answered channel_not_found (failed for good), the other's post 429 (queued for a retry).
    expect(delivery).toEqual({ sent: 0, retrying: 1, failed: 1, waiting: 0 });
    expect(sample(text, 'crm_pulse_outbox_messages', { outbox: 'alert', status: 'pending' })).toBe(1);
    expect(sample(text, 'crm_pulse_outbox_messages', { outbox: 'alert', status: 'failed' })).toBe(1);
    expect(sample(text, 'crm_pulse_outbox_messages', { outbox: 'alert', status: 'sent' })).toBeUndefined();
    // No digest is configured: its outbox (migration 0007) is empty, and says so.
    expect(sample(text, 'crm_pulse_outbox_messages', { outbox: 'digest', status: 'pending' })).toBe(0);
    expect(sample(text, 'crm_pulse_database_up')).toBe(1);

    expect(sample(text, 'crm_pulse_slack_api_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    expect(sample(text, 'crm_pulse_slack_api_errors_total', { method: 'chat.postMessage', error: 'ratelimited' })).toBe(1);
    expect(sample(text, 'crm_pulse_slack_api_errors_total', { method: 'conversations.history', error: 'channel_not_found' })).toBe(1);
    expect(text).not.toContain('xoxb-');
  });

  it('serves /healthz beside it', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, database: 'ok' });
  });
});
