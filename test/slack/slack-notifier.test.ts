// The Slack notifier through the outbox against a fake Slack Web API: one card per episode and
// channel, the chart in its thread, edits and thread lines for state changes, no double posts
// after a crash, and Slack's errors surfaced with what to do.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { alertChart } from '../../src/app/alert-chart.ts';
import { messageProblems } from '../helpers/block-kit.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { alertFixture, at } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup() {
  const slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  const f = await alertFixture();
  closers.push(f.close, () => slack.close());
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl }));
  const deps = { db: f.app.db, kpis: f.app.kpis, calendar: f.app.calendar, alerts: f.app.config.config.alerts, targets: f.app.config.config.targets };
  const notifier = slackNotifier({ client, locale: 'en', chartFor: alertChart(deps, 'en'), perChannelMs: 0 });
  const tick = async (iso: string) => {
    await f.app.alerts.evaluate(at(iso));
    return f.app.alerts.deliver(notifier, at(iso), { policy: { attempts: 3, baseMs: 1000, capMs: 1000, maxWaitMs: Infinity }, random: () => 0.5 });
  };
  return { slack, app: f.app, notifier, tick };
}

const cards = (slack: FakeSlack, channel: string) => slack.messages.filter((m) => m.channel === channel && !m.thread_ts);
const thread = (slack: FakeSlack, channel: string, ts: string) => slack.messages.filter((m) => m.channel === channel && m.thread_ts === ts);

describe('Slack notifier', () => {
  it('posts one card per channel with the chart in its thread, then edits it and replies in the thread on resolution', async () => {
    const { slack, tick } = await setup();
    expect(await tick('2024-04-01T09:00:00Z')).toEqual({ sent: 2, retrying: 0, failed: 0, waiting: 0 });
    const [card] = cards(slack, 'C0ALERTS');
    expect(card!.attachments![0]!.color).toBe('#D62728');
    expect(card!.text).toBe('🔴 Won revenue (West): Won revenue 40: dropped 60.0% vs 2024-02 (critical at a drop of 50%)');
    expect(card!.metadata).toEqual({
      event_type: 'crm_pulse_alert',
      event_payload: { dedup_key: expect.stringMatching(/^\d+:firing::#alerts$/), episode_id: expect.any(Number) },
    });
    expect(JSON.stringify(card!.attachments)).toContain('<!here>');
    expect(messageProblems({ text: card!.text!, attachments: card!.attachments! })).toEqual([]);
    expect(cards(slack, 'C0LEADS')).toHaveLength(1);

    // The chart: uploaded with getUploadURLExternal → POST → completeUploadExternal into the thread.
    const [upload] = thread(slack, 'C0ALERTS', card!.ts);
    expect(upload!.files).toHaveLength(1);
    expect(upload!.files![0]!.bytes).toBeGreaterThan(5_000);
    const methods = slack.calls.map((c) => c.method);
    expect(methods).toContain('files.getUploadURLExternal');
    expect(methods).toContain('files.completeUploadExternal');
    expect(methods).not.toContain('files.upload');
    expect(slack.calls.every((c) => c.authorization === 'Bearer xoxb-test-token')).toBe(true);

    await tick('2024-05-01T09:00:00Z');
    expect(cards(slack, 'C0ALERTS')).toHaveLength(1);
    expect(card!.edits).toBe(1);
    expect(card!.attachments![0]!.color).toBe('#2CA02C');
    const lines = thread(slack, 'C0ALERTS', card!.ts).filter((m) => !m.files);
    expect(lines.map((m) => m.text)).toEqual([':white_check_mark: *resolved* (2024-04): rose 150.0% vs 2024-03']);
  });

  it('renders a real chart for the card', async () => {
    const { app } = await setup();
    const deps = { db: app.db, kpis: app.kpis, calendar: app.calendar, alerts: app.config.config.alerts, targets: app.config.config.targets };
    const overview = await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    expect(overview.transitions).toHaveLength(1);
    const [row] = await app.db.prisma.alertOutbox.findMany({ take: 1 });
    const chart = await alertChart(deps, 'en')(JSON.parse(row!.payload));
    const meta = await sharp(chart!.png).metadata();
    expect(meta.width).toBeGreaterThan(600);
    expect(chart!.title).toBe('Won revenue · West');
  });

  it('a delivery retried after a crash finds its card instead of posting it again', async () => {
    const { slack, app, notifier } = await setup();
    await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    const [row] = await app.db.prisma.alertOutbox.findMany({ where: { channel: '#alerts' } });
    const n = JSON.parse(row!.payload);
    const first = await notifier.deliver(n, undefined);
    const again = await notifier.deliver(n, undefined); // the outbox never heard back the first time
    expect(again.ref).toBe(first.ref);
    expect(cards(slack, 'C0ALERTS')).toHaveLength(1);
    expect(thread(slack, 'C0ALERTS', cards(slack, 'C0ALERTS')[0]!.ts).filter((m) => m.files)).toHaveLength(1);
  });

  it('a 429 waits for Retry-After through the outbox; channel_not_found fails for good with the fix', async () => {
    const { slack, app, tick } = await setup();
    slack.fail('chat.postMessage', { status: 429, retryAfter: 30 });
    slack.channels.delete('leads');
    const report = await tick('2024-04-01T09:00:00Z');
    expect(report).toEqual({ sent: 0, retrying: 1, failed: 1, waiting: 0 });
    const rows = await app.db.prisma.alertOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.channel, r.status, r.lastError])).toEqual([
      ['#alerts', 'pending', '[slack] chat.postMessage: rate limited; retry after 30 s'],
      [
        '#leads',
        'failed',
        '[slack] conversations.list: channel_not_found\n  fix: invite the bot to the channel (/invite @crm-pulse), or fix the channel in the alert routes',
      ],
    ]);
    // Not before Retry-After even though the backoff policy says 1 s.
    expect(rows[0]!.notBefore.toISOString()).toBe('2024-04-01T09:00:30.000Z');
    await app.alerts.deliver(
      slackNotifier({ client: createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl })), locale: 'en', perChannelMs: 0 }),
      at('2024-04-01T09:00:30Z'),
    );
    expect(cards(slack, 'C0ALERTS')).toHaveLength(1);
    void silentLogger;
  });
});
