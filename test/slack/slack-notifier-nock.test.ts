// The Slack notifier's Web API calls intercepted with nock: exactly what is posted, uploaded and
// updated for an alert that fires and resolves.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';

const API = 'https://slack.test';
const firing: AlertNotification = {
  dedupKey: '3:firing::C0ALERTS',
  episodeId: 3,
  event: 'firing',
  kind: 'kpi',
  channel: 'C0ALERTS',
  rule: 'won_revenue_drop',
  kpi: 'won_revenue',
  kpiTitle: 'Won revenue',
  severity: 'warning',
  period: '2017-10',
  value: '731,980',
  comparison: 'previous (2017-09) 1,235,264',
  summary: 'Won revenue 731,980: dropped 40.7% vs 2017-09 (warning at a drop of 30%)',
  since: '2017-11-01T00:00:00.000Z',
  timeZone: 'Europe/London',
  mentions: [],
};

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Form bodies as objects, with Slack's JSON-encoded fields decoded. */
function form(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  return out;
}

describe('Slack notifier, Web API calls', () => {
  it('posts the card with its metadata, uploads the chart in three steps into the thread, then edits the card and replies on resolution', async () => {
    const posted: Record<string, unknown>[] = [];
    const api = nock(API)
      .post('/api/conversations.history', (b) => form(b).channel === 'C0ALERTS' && form(b).include_all_metadata === 'true')
      .reply(200, { ok: true, messages: [] })
      .post('/api/chat.postMessage', (b) => (posted.push(form(b)), true))
      .reply(200, { ok: true, channel: 'C0ALERTS', ts: '1509494400.000100' })
      .post('/api/conversations.replies')
      .reply(200, { ok: true, messages: [{ ts: '1509494400.000100' }] })
      .post('/api/files.getUploadURLExternal', (b) => form(b).filename === 'won_revenue-3.png' && Number(form(b).length) === 4)
      .reply(200, { ok: true, upload_url: 'https://files.slack.test/upload/v1/abc', file_id: 'F123' });
    const upload = nock('https://files.slack.test').post('/upload/v1/abc').reply(200, 'OK - 4');
    const complete = nock(API)
      .post('/api/files.completeUploadExternal', (b) => {
        const f = form(b);
        return f.channel_id === 'C0ALERTS' && f.thread_ts === '1509494400.000100' && JSON.stringify(f.files) === '[{"id":"F123","title":"Won revenue"}]';
      })
      .reply(200, { ok: true, files: [{ id: 'F123' }] });

    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-nock', SLACK_API_URL: `${API}/api/` }));
    const notifier = slackNotifier({
      client,
      locale: 'en',
      perChannelMs: 0,
      chartFor: async () => ({ png: Buffer.from([137, 80, 78, 71]), title: 'Won revenue' }),
    });
    const delivery = await notifier.deliver(firing, undefined);
    expect(delivery.ref).toBe('C0ALERTS/1509494400.000100');
    expect(posted[0]!.metadata).toEqual({ event_type: 'crm_pulse_alert', event_payload: { dedup_key: '3:firing::C0ALERTS', episode_id: 3 } });
    expect(posted[0]!.text).toBe('🟠 Won revenue: Won revenue 731,980: dropped 40.7% vs 2017-09 (warning at a drop of 30%)');
    expect((posted[0]!.attachments as { color: string }[])[0]!.color).toBe('#E8A317');
    expect(api.isDone() && upload.isDone() && complete.isDone()).toBe(true);

    const updated: Record<string, unknown>[] = [];
    const replies: Record<string, unknown>[] = [];
    const later = nock(API)
      .post('/api/chat.update', (b) => (updated.push(form(b)), true))
      .reply(200, { ok: true })
      .post('/api/conversations.replies')
      .reply(200, { ok: true, messages: [{ ts: '1509494400.000100' }] })
      .post('/api/chat.postMessage', (b) => (replies.push(form(b)), true))
      .reply(200, { ok: true, ts: '1512086400.000200' });
    const resolved = {
      ...firing,
      event: 'resolved' as const,
      dedupKey: '3:resolved::C0ALERTS',
      period: '2017-11',
      summary: 'rose 28.3% vs 2017-10',
      endedAt: '2017-12-01T00:00:00.000Z',
    };
    await notifier.deliver(resolved, delivery.ref);
    expect(later.isDone()).toBe(true);
    expect(updated[0]).toMatchObject({ channel: 'C0ALERTS', ts: '1509494400.000100' });
    expect((updated[0]!.attachments as { color: string }[])[0]!.color).toBe('#2CA02C');
    expect(replies[0]).toMatchObject({
      channel: 'C0ALERTS',
      thread_ts: '1509494400.000100',
      text: ':white_check_mark: *resolved* (2017-11): rose 28.3% vs 2017-10',
    });
  });

  it('an invalid_blocks answer is a permanent error that says so', async () => {
    nock(API)
      .post('/api/conversations.history')
      .reply(200, { ok: true, messages: [] })
      .post('/api/chat.postMessage')
      .reply(200, {
        ok: false,
        error: 'invalid_blocks',
        response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
      });
    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-nock', SLACK_API_URL: `${API}/api/` }));
    const error = await slackNotifier({ client, locale: 'en', perChannelMs: 0 })
      .deliver(firing, undefined)
      .then(
        () => ({ message: 'delivered', retryable: true }),
        (e: unknown) => e as { message: string; retryable: boolean },
      );
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toBe(
      '[slack] chat.postMessage: invalid_blocks ([ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text])\n  fix: a message broke Block Kit limits; report it with this error',
    );
  });
});
