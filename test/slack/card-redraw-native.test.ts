// A card redrawn after a button keeps its native line. The Ack button edits the card to say who
// acknowledged it; that edit goes through the alert notifier's own redraw, so the card still draws
// the KPI's line from its latest event (before, the edit dropped the chart). Pressed as Slack sends
// it (signed, through the HTTP receiver) on a card the bot's own notifiers posted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botNotifiers } from '../../src/app/bot-notifiers.ts';
import { readEnv } from '../../src/config/env.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { at } from '../alerts/alert-fixture.ts';
import { actionBody, sendSigned } from '../helpers/slack-requests.ts';
import { eventually, SECRET, startSignedBot, type SignedBot } from '../security/signed-bot.ts';

let b: SignedBot;
let card: { ts: string; episodeId: number };
const drawsLine = (body: unknown) => JSON.stringify(body).includes('"data_visualization"');

beforeAll(async () => {
  b = await startSignedBot();
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-security-test', SLACK_API_URL: b.slack.apiUrl }));
  const now = at('2024-04-01T09:00:00Z');
  const { alerts } = botNotifiers(b.fixture.app, client, async () => now);
  // March's drop in West opens an episode; its card goes to #alerts.
  await b.fixture.app.alerts.evaluate(now);
  await b.fixture.app.alerts.deliver(alerts, () => now);
  const posted = b.slack.messages.find((m) => m.channel === 'C0ALERTS' && !m.thread_ts && m.metadata)!;
  card = { ts: String(posted.ts), episodeId: Number(posted.metadata!.event_payload.episode_id) };
});
afterAll(async () => b?.close());

describe('the Ack button on a card with a native chart', () => {
  it('edits the card to show who acknowledged it, and the edit still draws the line', async () => {
    const post = b.slack.calls.find((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && String(c.body.channel) === 'C0ALERTS');
    // slack.charts defaults to native: the card as posted draws the KPI's line.
    expect(drawsLine(post?.body)).toBe(true);
    const updatesBefore = b.slack.calls.filter((c) => c.method === 'chat.update').length;
    const res = await sendSigned(
      b.url,
      actionBody(
        { type: 'button', action_id: 'alert_ack', value: String(card.episodeId) },
        { user: 'U0ADMIN', channel: 'C0ALERTS', ts: card.ts, responseUrl: `${b.slack.url}/ack` },
      ),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const edit = await eventually(() =>
      b.slack.calls
        .filter((c) => c.method === 'chat.update')
        .slice(updatesBefore)
        .find((c) => String(c.body.ts) === card.ts),
    );
    expect(JSON.stringify(edit.body)).toContain('U0ADMIN');
    expect(drawsLine(edit.body)).toBe(true);
  });
});
