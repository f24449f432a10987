// `/kpi alerts` through the real HTTP receiver links each open episode to its card, with the
// permalink Slack gives for the stored channel/ts (chat.getPermalink, intercepted with nock while
// the rest goes to the fake Slack), and names the channel when Slack has no link to give.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';

const SECRET = 'test-signing-secret-77aa';
const TOKEN = 'xoxb-test-token-links';
const NOW = at('2024-04-01T09:00:00Z');
let slack: FakeSlack;
let bot: SlackApp;
let url: string;
let f: Awaited<ReturnType<typeof alertFixture>>;
let episodeId: number;
/** the cards' ts by channel ID, as the notifier posted them */
const cards = new Map<string, string>();

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  const env = readEnv({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
  bot = createSlackApp(
    env,
    { commands: commandService(f.app), alerts: f.app.alerts, config: f.app.config.config, log: silentLogger(), now: async () => NOW, chartPng: renderChartPng },
    { botId: 'BBOT', botUserId: 'UBOT' },
  );
  url = `http://127.0.0.1:${(await bot.start()).port}/slack/events`;
  // West's March drop fires at the start of April: one card in #alerts, one in #leads (critical).
  const client = createSlackClient(env);
  await f.app.alerts.evaluate(NOW);
  await f.app.alerts.deliver(slackNotifier({ client, locale: 'en', perChannelMs: 0 }), NOW);
  for (const m of slack.messages) if (m.metadata && !m.thread_ts) cards.set(m.channel, m.ts);
  episodeId = (await f.app.alerts.overview(NOW)).open[0]!.id;
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await bot.stop();
  await slack.close();
  await f.close();
});

/** Answers chat.getPermalink as Slack does, for the cards the fake holds; everything else reaches the fake. */
function permalinks(answer: (channel: string, ts: string) => Record<string, unknown>): string[] {
  const asked: string[] = [];
  nock(slack.url, { allowUnmocked: true })
    .post('/api/chat.getPermalink')
    .times(2)
    .reply(200, (_uri, body) => {
      const params = new URLSearchParams(body as string);
      const [channel, ts] = [params.get('channel')!, params.get('message_ts')!];
      asked.push(`${channel}/${ts}`);
      return answer(channel, ts);
    });
  return asked;
}

/** Sends `/kpi alerts` signed as Slack signs it and returns the text block that lists the threads. */
async function askAlerts(path: string): Promise<string> {
  expect((await sendSigned(url, commandBody('alerts', { user: 'U0ADMIN', responseUrl: `${slack.url}${path}` }), { secret: SECRET })).status).toBe(200);
  for (;;) {
    const answer = slack.responses.find((r) => r.path === path);
    if (answer) {
      expect(messageProblems(answer.body)).toEqual([]);
      const blocks = answer.body.blocks as { type: string; text?: { text: string } }[];
      return blocks.find((b) => b.type === 'section' && b.text?.text.startsWith(`#${episodeId}:`))!.text!.text;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('/kpi alerts links each open episode to its cards', () => {
  it('with the permalink chat.getPermalink gives for the stored channel and ts', async () => {
    expect([...cards.keys()].sort()).toEqual(['C0ALERTS', 'C0LEADS']);
    const asked = permalinks((channel, ts) => ({ ok: true, channel, permalink: `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}` }));
    const text = await askAlerts('/response/links');
    const link = (channel: string) => `https://acme.slack.com/archives/${channel}/p${cards.get(channel)!.replace('.', '')}`;
    expect(text).toBe(`#${episodeId}: <${link('C0ALERTS')}|#alerts>, <${link('C0LEADS')}|#leads>`);
    expect(asked.sort()).toEqual([`C0ALERTS/${cards.get('C0ALERTS')}`, `C0LEADS/${cards.get('C0LEADS')}`]);
  });

  it('names the channel of a card Slack cannot link (message_not_found)', async () => {
    permalinks((channel) =>
      channel === 'C0LEADS' ? { ok: false, error: 'message_not_found' } : { ok: true, channel, permalink: `https://acme.slack.com/archives/${channel}/p1` },
    );
    expect(await askAlerts('/response/gone')).toBe(`#${episodeId}: <https://acme.slack.com/archives/C0ALERTS/p1|#alerts>, #leads`);
  });
});
