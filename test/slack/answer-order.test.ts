// /kpi answers run side by side, yet each user's answers arrive in the order asked (issue 16),
// through signed requests to the real HTTP receiver. The command service is gated by hand, so the
// order is forced by promises, never by time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSlackApp } from '../../src/slack/slack-app.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { eventually } from '../security/signed-bot.ts';
import { slackServices } from '../../src/app/slack-services.ts';

const SECRET = 'order-signing-secret-16';
let slack: FakeSlack;
let f: Awaited<ReturnType<typeof alertFixture>>;

beforeAll(async () => {
  slack = await startFakeSlack();
  f = await alertFixture(DROP_RULES);
});
afterAll(async () => {
  await slack.close();
  await f.close();
});

const answer = (text: string): Reply => ({
  text: `answer to ${text}`,
  blocks: [{ kind: 'text', text: `answer to ${text}` }],
  visibility: 'ephemeral',
  kind: 'answer',
  locale: 'en',
});

describe('/kpi under concurrency', () => {
  it("a user's second answer, worked out first, waits for their first; another user's is not held up", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const done: string[] = [];
    const commands: SlackServices['commands'] = {
      run: async (text) => {
        if (text === 'slow') await gate;
        done.push(text);
        return text === 'broken' ? Promise.reject(new Error('a bug')) : answer(text);
      },
      execute: async () => answer('execute'),
      explain: async () => answer('explain'),
      refusal: async () => undefined,
    };
    const services = slackServices(f.app, { commands, log: silentLogger(), now: async () => at('2024-09-30T12:00:00Z'), answerConcurrency: 4 });
    const bot = createSlackApp(readEnv({ SLACK_BOT_TOKEN: 'xoxb-order', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' }), services, {
      botId: 'BBOT',
      botUserId: 'UBOT',
    });
    const url = `http://127.0.0.1:${(await bot.start()).port}/slack/events`;
    const send = async (text: string, user: string, path: string) =>
      expect((await sendSigned(url, commandBody(text, { user, responseUrl: `${slack.url}/response/${path}` }), { secret: SECRET })).status).toBe(200);
    const at_ = (path: string) => slack.responses.findIndex((r) => r.path === `/response/${path}`);
    try {
      await send('slow', 'U1', 'o-1');
      await send('fast', 'U1', 'o-2');
      await send('broken', 'U1', 'o-3');
      await send('other', 'U2', 'o-4');
      // U2's answer arrives while U1's first is still being worked out: answers run side by side.
      await eventually(() => at_('o-4') >= 0 || undefined);
      await eventually(() => (done.includes('fast') && done.includes('broken')) || undefined);
      expect(done).not.toContain('slow');
      // U1's later answers are ready, but held behind the first.
      expect(at_('o-2')).toBe(-1);
      expect(at_('o-3')).toBe(-1);
      release();
      await eventually(() => (at_('o-1') >= 0 && at_('o-2') >= 0 && at_('o-3') >= 0) || undefined);
      expect(at_('o-1')).toBeLessThan(at_('o-2'));
      expect(at_('o-2')).toBeLessThan(at_('o-3'));
      expect(slack.responses[at_('o-1')]!.body.text).toBe('answer to slow');
      expect(slack.responses[at_('o-2')]!.body.text).toBe('answer to fast');
      // A failed answer keeps its place too, and says it failed.
      expect(String(slack.responses[at_('o-3')]!.body.text)).toMatch(/error id/i);
    } finally {
      release();
      await bot.stop();
    }
  });
});
