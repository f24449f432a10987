// response_url after its 5 uses (issue 13, "also test"): the fake Slack refuses the 6th call on
// one response_url as Slack does (404 used_url). A /kpi answer of many parts spends one call, and
// an answer whose response_url is already spent reaches the user as an ephemeral message, with a
// warning in the log, instead of being lost or crashing the bot.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BreakdownChartInput } from '../../src/charts/chart-input.ts';
import type { Reply } from '../../src/answers/reply.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { readEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { budgetedRespond, RESPONSE_URL_USES } from '../../src/slack/response-url.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { eventually } from '../security/signed-bot.ts';
import { slackServices } from '../../src/app/slack-services.ts';

const SECRET = 'response-url-signing-secret-5';
let slack: FakeSlack;
let f: Awaited<ReturnType<typeof alertFixture>>;
let app: SlackApp;
let url: string;
const logLines: string[] = [];
const log = createLogger({ format: 'json', destination: new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) }) });

/** An answer of 120 text parts and 3 charts: more parts than one message holds. */
function manyParts(): Reply {
  const chart: BreakdownChartInput = {
    kind: 'breakdown',
    title: 'Won deals',
    period: '2017-Q1',
    unit: 'count',
    dimension: 'agent',
    items: [
      { key: 'a', value: 3 },
      { key: 'b', value: 2 },
    ],
  };
  return {
    text: 'many parts',
    kind: 'answer',
    visibility: 'ephemeral',
    locale: 'en',
    blocks: [
      ...Array.from({ length: 120 }, (_, i) => ({ kind: 'text' as const, text: `part ${i + 1}` })),
      ...Array.from({ length: 3 }, () => ({ kind: 'chart' as const, chart, alt: 'won deals by agent' })),
    ],
  };
}

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-uses', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const real = commandService(f.app);
  const commands: SlackServices['commands'] = { ...real, run: async (text, ctx) => (text === 'many' ? manyParts() : real.run(text, ctx)) };
  const services = slackServices(f.app, { commands, log, now: async () => at('2024-09-30T12:00:00Z') });
  app = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  url = `http://127.0.0.1:${(await app.start()).port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await slack.close();
  await f.close();
});

describe('response_url after its 5 uses', () => {
  it('the fake refuses a direct 6th call on one response_url with 404 used_url', async () => {
    const at = `${slack.url}/response/direct`;
    const statuses: number[] = [];
    for (let i = 0; i < RESPONSE_URL_USES + 1; i++)
      statuses.push(
        (await fetch(at, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `use ${i + 1}` }) })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(slack.responses.filter((r) => r.path === '/response/direct').map((r) => r.body.text)).toEqual(['use 1', 'use 2', 'use 3', 'use 4', 'use 5']);
  });

  it('an answer of 120 parts and 3 charts spends one call on the response_url; the charts go to the DM', async () => {
    const path = '/response/many';
    expect((await sendSigned(url, commandBody('many', { responseUrl: `${slack.url}${path}` }), { secret: SECRET })).status).toBe(200);
    const answer = (await eventually(() => slack.responses.find((r) => r.path === path))).body;
    await eventually(() => slack.messages.filter((m) => m.channel === 'DU0ADMIN' && m.files).length === 3 || undefined);
    expect(slack.responseUses.get(path)).toBe(1);
    const blocks = answer.blocks as { type: string; elements?: { text?: string }[] }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    // The parts past the message's limit are summarised in its last block, not sent as more calls.
    expect(JSON.stringify(blocks.at(-1))).toMatch(/more parts not shown/);
  });

  it('a /kpi answer on a response_url already used 5 times arrives as an ephemeral message, and the log says why', async () => {
    const path = '/response/spent';
    slack.responseUses.set(path, RESPONSE_URL_USES);
    expect((await sendSigned(url, commandBody('help', { user: 'U0ADMIN', responseUrl: `${slack.url}${path}` }), { secret: SECRET })).status).toBe(200);
    const ephemeral = await eventually(() => slack.responses.find((r) => r.path === 'ephemeral/C0ALERTS/U0ADMIN'));
    expect(slack.spentResponses.filter((p) => p === path)).toHaveLength(1);
    expect(String(ephemeral.body.text)).toMatch(/\/kpi/);
    expect(ephemeral.body.response_type).toBeUndefined();
    expect(logLines.some((l) => l.includes('used up or expired') && l.includes('"status":404'))).toBe(true);
    // The bot is alive and the next command answers through its own response_url.
    const next = '/response/after-spent';
    await sendSigned(url, commandBody('help', { responseUrl: `${slack.url}${next}` }), { secret: SECRET });
    expect((await eventually(() => slack.responses.find((r) => r.path === next))).body.text).toBe(ephemeral.body.text);
  });

  it('a 6th answer through one command budget never calls the response_url: it goes as an ephemeral message', async () => {
    const path = '/response/budget';
    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-uses', SLACK_API_URL: slack.apiUrl }));
    const respond = async (m: Record<string, unknown>) => {
      const res = await fetch(`${slack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m) });
      if (!res.ok) throw Object.assign(new Error(`response_url ${res.status}`), { statusCode: res.status });
    };
    const send = budgetedRespond(respond, { client, userId: 'U0BUDGET', channelId: 'C0ALERTS' }, log);
    for (let i = 1; i <= 7; i++) await send({ response_type: 'ephemeral', text: `answer ${i}` });
    expect(slack.responseUses.get(path)).toBe(RESPONSE_URL_USES);
    expect(slack.spentResponses).not.toContain(path);
    expect(slack.responses.filter((r) => r.path === path).map((r) => r.body.text)).toEqual(['answer 1', 'answer 2', 'answer 3', 'answer 4', 'answer 5']);
    expect(slack.responses.filter((r) => r.path === 'ephemeral/C0ALERTS/U0BUDGET').map((r) => r.body.text)).toEqual(['answer 6', 'answer 7']);
  });
});
