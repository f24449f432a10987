// Socket Mode through createSlackApp (issue 13, "go beyond the list"): with SLACK_APP_TOKEN set and
// no signing secret, the bot opens its connection with apps.connections.open on the fake Slack,
// connects to the WebSocket URL it answers (a loopback server speaking Socket Mode), acknowledges a
// `slash_commands` envelope for `/kpi help` and answers through its response_url. Envelopes carry
// no signature: the HTTP request gate is not in the way. Production's factories throughout.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/answers/messages.ts';
import { readEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { startFakeSocketMode, type FakeSocketMode } from '../helpers/fake-socket-mode.ts';
import { eventually } from '../security/signed-bot.ts';
import { slackServices } from '../../src/app/slack-services.ts';

const EN = messages('en');

let slack: FakeSlack;
let socket: FakeSocketMode;
let f: Awaited<ReturnType<typeof alertFixture>>;
let app: SlackApp;
let opsPort: number | undefined;
const logLines: string[] = [];
const log = createLogger({ format: 'json', destination: new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) }) });

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  socket = await startFakeSocketMode();
  slack.socketModeUrl = socket.url;
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  // No SLACK_SIGNING_SECRET: Socket Mode needs none.
  const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-socket', SLACK_APP_TOKEN: 'xapp-1-A0APP-socket', SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const services = slackServices(f.app, { log, now: async () => at('2024-09-30T12:00:00Z') });
  app = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  expect(app.transport).toBe('socket');
  opsPort = (await app.start()).port;
  await socket.connected();
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await socket.close();
  await slack.close();
  await f.close();
});

/** A slash_commands envelope as Slack sends it over Socket Mode: the command's fields, unsigned. */
function slashEnvelope(id: string, text: string, responsePath: string): Record<string, unknown> {
  return {
    envelope_id: id,
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: {
      token: 'legacy',
      team_id: 'T0TEAM',
      team_domain: 'acme',
      channel_id: 'C0ALERTS',
      channel_name: 'alerts',
      user_id: 'U0ADMIN',
      user_name: 'maria',
      command: '/kpi',
      text,
      api_app_id: 'A0APP',
      response_url: `${slack.url}${responsePath}`,
      trigger_id: '1.2.3',
    },
  };
}

describe('Socket Mode through createSlackApp', () => {
  it('opens the connection with the app token through apps.connections.open on SLACK_API_URL', () => {
    const open = slack.calls.filter((c) => c.method === 'apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-1-A0APP-socket');
    expect(socket.connections).toBeGreaterThanOrEqual(1);
  });

  it('acknowledges a /kpi help envelope and answers it through response_url, with no signature anywhere', async () => {
    socket.send(slashEnvelope('env-help-1', 'help', '/response/socket-help'));
    const ack = await eventually(() => socket.received.find((m) => m.envelope_id === 'env-help-1'));
    expect(ack.envelope_id).toBe('env-help-1');
    const answer = (await eventually(() => slack.responses.find((r) => r.path === '/response/socket-help'))).body;
    expect(answer.response_type).toBe('ephemeral');
    // The help text is the one the command service gives in English: the first line of its usage.
    expect(JSON.stringify(answer)).toContain(EN.helpTitle);
    expect(logLines.filter((l) => l.includes('refused a Slack request'))).toEqual([]);
  });

  it('has no HTTP receiver to sign for: PORT serves /healthz, and /slack/events is not there', async () => {
    expect(opsPort).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${opsPort}/slack/events`, { method: 'POST', body: 'command=%2Fkpi&text=help' })).status).toBe(404);
    expect([200, 503]).toContain((await fetch(`http://127.0.0.1:${opsPort}/healthz`)).status);
  });

  it('a second envelope is acknowledged and answered on its own response_url', async () => {
    socket.send(slashEnvelope('env-help-2', 'status', '/response/socket-status'));
    await eventually(() => socket.received.find((m) => m.envelope_id === 'env-help-2'));
    const answer = (await eventually(() => slack.responses.find((r) => r.path === '/response/socket-status'))).body;
    expect(String(answer.text).length).toBeGreaterThan(0);
    expect(slack.responseUses.get('/response/socket-status')).toBe(1);
  });
});
