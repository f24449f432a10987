// /kpi through signed requests, at its edges (issue 13, defect 10 and "bound every queue"): quoted
// text is never cut inside an emoji, subscribe refuses channels that do not exist, target refuses
// deadlines centuries away, an internal error is answered with an error id and never its message,
// and the queue of answers waiting for a slot is bounded, answering "busy" past it.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandService } from '../../src/answers/command-service.ts';
import { messages } from '../../src/answers/messages.ts';
import { readEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { MAX_WAITING_COMMANDS } from '../../src/slack/listeners/commands/kpi-command.ts';
import { DEFAULT_ANSWER_CONCURRENCY, type SlackServices } from '../../src/slack/slack-context.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { eventually } from '../security/signed-bot.ts';
import { slackServices } from '../../src/app/slack-services.ts';

const EN = messages('en');

const SECRET = 'limits-signing-secret-77';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

let slack: FakeSlack;
let f: Awaited<ReturnType<typeof alertFixture>>;
const logLines: string[] = [];
const log = createLogger({ format: 'json', destination: new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) }) });
let n = 0;

/** Starts a bot whose command service is `commands` (default: the real one over the fixture). */
async function bot(commands?: SlackServices['commands']): Promise<{ app: SlackApp; url: string }> {
  const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-limits', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const services = slackServices(f.app, { ...(commands ? { commands } : {}), log, now: async () => at('2024-09-30T12:00:00Z') });
  const app = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  const { port } = await app.start();
  return { app, url: `http://127.0.0.1:${port}/slack/events` };
}

/** Sends `/kpi text` and waits for the answer on response_url. */
async function ask(url: string, text: string, user = 'U0ADMIN'): Promise<Record<string, unknown>> {
  const path = `/response/limits-${++n}`;
  expect((await sendSigned(url, commandBody(text, { user, responseUrl: `${slack.url}${path}` }), { secret: SECRET })).status).toBe(200);
  return (await eventually(() => slack.responses.find((r) => r.path === path))).body;
}

beforeAll(async () => {
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
});
afterAll(async () => {
  await slack.close();
  await f.close();
});

describe('/kpi at its edges', () => {
  let b: { app: SlackApp; url: string };
  beforeAll(async () => {
    b = await bot();
  });
  afterAll(async () => b.app.stop());

  it('10,000 emoji are quoted back whole or not at all: no lone surrogate in the answer', async () => {
    const answer = await ask(b.url, '😀'.repeat(10_000));
    const text = JSON.stringify(answer);
    expect(String(answer.text)).toContain('😀');
    expect(LONE_SURROGATE.test(String(answer.text))).toBe(false);
    expect(LONE_SURROGATE.test(text)).toBe(false);
    // An odd cut: one ASCII letter first shifts every emoji by one code unit.
    const shifted = await ask(b.url, `a${'😀'.repeat(10_000)}`);
    expect(LONE_SURROGATE.test(JSON.stringify(shifted))).toBe(false);
  });

  it('subscribe refuses #__proto__ and a channel the workspace does not have; nothing is stored', async () => {
    const count = async () => Number((await f.app.db.sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM "channel_subscriptions"'))[0]!.n);
    const before = await count();
    expect((await ask(b.url, 'subscribe #__proto__ win_rate')).text).toContain('`#__proto__` is not a channel');
    expect((await ask(b.url, 'subscribe #no-such-channel win_rate')).text).toBe(
      "⚠️ There is no channel `#no-such-channel` that crm-pulse can see: pick it from Slack's channel list (`#` then its name), and invite @crm-pulse there.",
    );
    expect(await count()).toBe(before);
    expect(String((await ask(b.url, 'subscribe #leads win_rate')).text)).toContain('#leads now receives');
    expect(await count()).toBe(before + 1);
  });

  it('target refuses a deadline of 9999-12-31 and says the latest allowed (ten years from now)', async () => {
    const answer = await ask(b.url, 'target won_revenue 250 by 9999-12-31');
    expect(String(answer.text)).toContain("The deadline 9999-12-31 is too far ahead: a target's deadline can be at most 2034-09-30.");
    expect(await f.app.db.sql.all('SELECT * FROM "kpi_targets"')).toEqual([]);
  });
});

describe('an internal error', () => {
  it("is answered with a generic sentence and an error id, never the error's message; the log holds both", async () => {
    const failing = { ...commandService(f.app), run: async () => Promise.reject(new Error('SELECT * FROM secret_table failed at db.internal:5432')) };
    const b = await bot(failing);
    try {
      const answer = await ask(b.url, 'won_revenue');
      const text = String(answer.text);
      expect(text).not.toContain('secret_table');
      const id = /error id `([0-9a-f]{8})`/.exec(text)?.[1];
      expect(text).toBe(EN.internalError(id!));
      const line = logLines.map((l) => JSON.parse(l) as { errorId?: string; err?: { message: string } }).find((l) => l.errorId === id);
      expect(line?.err?.message).toBe('SELECT * FROM secret_table failed at db.internal:5432');
    } finally {
      await b.app.stop();
    }
  });
});

describe('the queue of answers waiting for a slot', () => {
  it(`holds ${MAX_WAITING_COMMANDS} past the ${DEFAULT_ANSWER_CONCURRENCY} running; the next is told "busy" in its acknowledgement, and every taken one is answered`, async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const real = commandService(f.app);
    const b = await bot({ ...real, run: async (text, ctx) => (await gate, real.run(text, ctx)) });
    try {
      const sent: Promise<{ status: number; text: string }>[] = [];
      for (let i = 0; i < DEFAULT_ANSWER_CONCURRENCY + MAX_WAITING_COMMANDS + 1; i++) {
        sent.push(sendSigned(b.url, commandBody('help', { responseUrl: `${slack.url}/response/queue-${i}` }), { secret: SECRET }));
        // One at a time, so that the first ones have left the queue for their slots before the rest arrive.
        await sent.at(-1);
        await new Promise((r) => setImmediate(r));
      }
      const acks = await Promise.all(sent);
      expect(acks.every((a) => a.status === 200)).toBe(true);
      const busy = acks.filter((a) => a.text.includes(EN.busy));
      expect(busy).toHaveLength(1);
      expect(JSON.parse(busy[0]!.text)).toEqual({ response_type: 'ephemeral', text: EN.busy });
      release();
      await eventually(
        () => slack.responses.filter((r) => r.path.startsWith('/response/queue-')).length === DEFAULT_ANSWER_CONCURRENCY + MAX_WAITING_COMMANDS || undefined,
        30_000,
      );
    } finally {
      release();
      await b.app.stop();
    }
  });
});
