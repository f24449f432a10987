// Every wait on Slack is bounded, and one slow user never delays another: /kpi answers whose
// response_url never answers hold no answer slot, through the real HTTP receiver and production's
// client configuration (the timeout raised through CRM_PULSE_HTTP_TIMEOUT_MS, so that only the
// slot, not the timeout, could free the other users' answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';

const SECRET = 'timeouts-signing-secret-1a2b';
let slack: FakeSlack;
let bot: SlackApp;
let url: string;
let f: Awaited<ReturnType<typeof alertFixture>>;

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  const env = readEnv({
    SLACK_BOT_TOKEN: 'xoxb-timeouts',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    CRM_PULSE_HTTP_TIMEOUT_MS: '60000',
  });
  const services = {
    commands: commandService(f.app),
    alerts: f.app.alerts,
    config: f.app.config.config,
    log: silentLogger(),
    now: async () => at('2024-04-01T09:00:00Z'),
    chartPng: renderChartPng,
  };
  bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  url = `http://127.0.0.1:${(await bot.start()).port}/slack/events`;
});
afterAll(async () => {
  await bot.stop();
  await slack.close();
  await f.close();
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('slow response_url', () => {
  it('two users whose response_url hangs do not hold up three others', async () => {
    for (const u of ['1', '2']) slack.hangResponses.add(`/response/slow-${u}`);
    for (const u of ['1', '2']) {
      expect(
        (await sendSigned(url, commandBody('help', { user: `U0SLOW${u}`, responseUrl: `${slack.url}/response/slow-${u}` }), { secret: SECRET })).status,
      ).toBe(200);
    }
    for (const u of ['1', '2', '3']) {
      expect(
        (await sendSigned(url, commandBody('help', { user: `U0FAST${u}`, responseUrl: `${slack.url}/response/fast-${u}` }), { secret: SECRET })).status,
      ).toBe(200);
    }
    // The two slow answers are still waiting for their 60 s timeout while the three others arrive.
    await until(() => slack.responses.filter((r) => r.path.startsWith('/response/fast-')).length === 3);
    expect(slack.responses.map((r) => r.path).sort()).toEqual(['/response/fast-1', '/response/fast-2', '/response/fast-3']);
    for (const r of slack.responses) expect(JSON.stringify(r.body)).toContain('/kpi');
    slack.dropHanging();
  });
});
