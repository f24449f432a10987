// The fetch that every Web API request of Bolt's clients goes through, against a fake Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/lib/metrics.ts';
import { readEnv } from '../../src/config/env.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { meteredFetch } from '../../src/slack/metered-fetch.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
});

/** The crm_pulse_slack_* samples of a scrape, one per line. */
const slackSamples = async (metrics: ReturnType<typeof createMetrics>) => (await metrics.scrape()).split('\n').filter((l) => l.startsWith('crm_pulse_slack_'));

describe('meteredFetch', () => {
  it('counts 429s, HTTP errors, platform errors and network failures by method, and nothing for successes', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-metered-1', SLACK_API_URL: slack.apiUrl }), metrics);
    slack.fail('chat.postMessage', { status: 429, retryAfter: 5 });
    slack.fail('chat.update', { status: 500 });
    slack.fail('views.publish', { error: 'invalid_blocks' });
    await expect(client.chat.postMessage({ channel: 'C0ALERTS', text: 'a' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 5 });
    await expect(client.chat.update({ channel: 'C0ALERTS', ts: '1.2', text: 'b' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    await expect(client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } })).rejects.toMatchObject({ code: 'slack_webapi_platform_error' });
    await client.chat.postMessage({ channel: 'C0ALERTS', text: 'fine' });

    const offline = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-metered-2', SLACK_API_URL: 'http://127.0.0.1:1/api/' }), metrics);
    await expect(offline.auth.test()).rejects.toMatchObject({ code: 'slack_webapi_request_error' });

    expect(await slackSamples(metrics)).toEqual([
      'crm_pulse_slack_api_errors_total{method="chat.postMessage",error="ratelimited"} 1',
      'crm_pulse_slack_api_errors_total{method="chat.update",error="http_500"} 1',
      'crm_pulse_slack_api_errors_total{method="views.publish",error="invalid_blocks"} 1',
      'crm_pulse_slack_api_errors_total{method="auth.test",error="request_failed"} 1',
      'crm_pulse_slack_api_rate_limited_total{method="chat.postMessage"} 1',
    ]);
  });

  it('leaves requests to other URLs (response_url) alone', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const f = meteredFetch(metrics, slack.apiUrl);
    const res = await f(`${slack.url}/response/r1`, { method: 'POST', body: JSON.stringify({ text: 'hi' }) });
    expect(res.status).toBe(200);
    expect(slack.responses.map((r) => r.path)).toContain('/response/r1');
    expect(await slackSamples(metrics)).toEqual([]);
  });
});
