// The Slack app through its real HTTP receiver: signed requests built as Slack builds them, a fake
// Slack Web API behind SLACK_API_URL, and one alert taken from firing to resolution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { messageProblems } from '../helpers/block-kit.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { actionBody, commandBody, sendSigned } from '../helpers/slack-requests.ts';

const SECRET = 'test-signing-secret-8f1d';
const TOKEN = 'xoxb-test-token-5c2a';
let slack: FakeSlack;
let bot: SlackApp;
let url: string;
let f: Awaited<ReturnType<typeof alertFixture>>;
let clock = at('2024-04-01T09:00:00Z');

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  const env = readEnv({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const services = {
    commands: commandService(f.app),
    alerts: f.app.alerts,
    config: f.app.config.config,
    log: silentLogger(),
    now: async () => clock,
    chartPng: renderChartPng,
  };
  bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  const { port } = await bot.start();
  url = `http://127.0.0.1:${port}/slack/events`;
});
afterAll(async () => {
  await bot.stop();
  await slack.close();
  await f.close();
});

/** Waits until `check` holds, for what the app does after it has acknowledged. */
async function eventually<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('request signatures', () => {
  const body = () => commandBody('help', { responseUrl: `${slack.url}/response/sig` });
  it('refuses an unsigned request', async () => {
    expect((await sendSigned(url, body(), { secret: SECRET, sign: false })).status).toBe(401);
  });
  it('refuses a wrong signature', async () => {
    expect((await sendSigned(url, body(), { secret: 'not-the-secret' })).status).toBe(401);
  });
  it('refuses a request older than five minutes', async () => {
    expect((await sendSigned(url, body(), { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
  });
  it('accepts a correctly signed request', async () => {
    expect((await sendSigned(url, body(), { secret: SECRET })).status).toBe(200);
  });
});

describe('/kpi', () => {
  it('acknowledges at once and answers through response_url, ephemeral, within Block Kit limits', async () => {
    const res = await sendSigned(url, commandBody('won_revenue last month by region', { responseUrl: `${slack.url}/response/a1` }), { secret: SECRET });
    expect(res.status).toBe(200);
    const answer = await eventually(() => slack.responses.find((r) => r.path === '/response/a1'));
    expect(answer.body.response_type).toBe('ephemeral');
    expect(messageProblems(answer.body)).toEqual([]);
    expect(JSON.stringify(answer.body.blocks)).toContain('West');
    // Its two charts (the breakdown and the trend) are drawn in the private answer itself
    // (slack.charts: native, the default); test/slack/native-charts.test.ts covers png, both and refusal.
    const types = (answer.body.blocks as { type: string }[]).map((b) => b.type);
    expect(types.filter((t) => t === 'data_visualization')).toHaveLength(2);
  });

  it('`post` puts the answer in the channel with its charts: native blocks (slack.charts: native, the default)', async () => {
    await sendSigned(url, commandBody('won_revenue post', { responseUrl: `${slack.url}/response/a2` }), { secret: SECRET });
    const posted = await eventually(() => slack.messages.find((m) => m.channel === 'C0ALERTS' && !m.thread_ts && !m.metadata));
    // Its one chart is drawn in the message; test/slack/native-charts.test.ts covers png, both and refusal.
    expect(posted.blocks?.map((b) => (b as { type: string }).type)).toContain('data_visualization');
  });
});

describe('an alert from firing to resolution', () => {
  it('posts the card, acknowledges from its button, and edits it to resolved', async () => {
    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slack.apiUrl }));
    const notifier = slackNotifier({
      client,
      locale: 'en',
      perChannelMs: 0,
      marksFor: async (id) => ({ acknowledgedBy: (await f.app.alerts.card(id, clock))?.acknowledgedBy }),
    });
    await f.app.alerts.evaluate(clock);
    await f.app.alerts.deliver(notifier, clock);
    const card = slack.messages.find((m) => m.channel === 'C0ALERTS' && m.metadata)!;
    const episodeId = card.metadata!.event_payload.episode_id as number;

    const ack = await sendSigned(
      url,
      actionBody(
        { type: 'button', action_id: 'alert_ack', value: String(episodeId) },
        { channel: 'C0ALERTS', ts: card.ts, responseUrl: `${slack.url}/response/b1` },
      ),
      { secret: SECRET },
    );
    expect(ack.status).toBe(200);
    await eventually(() => card.edits >= 1 || undefined);
    expect(JSON.stringify(card.attachments)).toContain('Acknowledged by <@U0ADMIN>');
    expect((await f.app.alerts.audit()).map((a) => `${a.actor} ${a.action}`)).toContain('U0ADMIN acknowledge');

    clock = at('2024-05-01T09:00:00Z');
    await f.app.alerts.evaluate(clock);
    await f.app.alerts.deliver(notifier, clock);
    expect(card.attachments![0]!.color).toBe('#2CA02C');
    expect(JSON.stringify(card.attachments)).toContain('Acknowledged by <@U0ADMIN>');
    expect(slack.messages.filter((m) => m.thread_ts === card.ts).map((m) => m.text)).toEqual([
      ':white_check_mark: *resolved* (2024-04): rose 150.0% vs 2024-03',
    ]);
  });

  it('a non-admin who presses Silence… is refused politely, and the refusal is audited', async () => {
    await sendSigned(
      url,
      actionBody(
        { type: 'button', action_id: 'alert_silence', value: '1' },
        { user: 'U0OTHER', channel: 'C0ALERTS', ts: '1.1', responseUrl: `${slack.url}/response/c1` },
      ),
      { secret: SECRET },
    );
    const answer = await eventually(() => slack.responses.find((r) => r.path === '/response/c1'));
    // One refusal for a command, a button and a modal alike (snoozing is for admins too, issue 13).
    expect(answer.body.text).toBe('Sorry, only admins can run `/kpi silence`. Ask <@U0ADMIN>.');
    expect((await f.app.alerts.audit()).map((a) => `${a.actor} ${a.action} ${a.subject}`)).toContain('U0OTHER refused /kpi silence');
    expect(slack.views).toEqual([]);
  });
});
