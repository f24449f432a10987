// The Slack bot over the alert fixture's CRM, behind its real HTTP receiver, with a fake Slack Web
// API: what the security suites send signed (or forged) requests to.
import { readEnv } from '../../src/config/env.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { slackServices } from '../../src/app/slack-services.ts';

/** The signing secret the bot checks requests against. */
export const SECRET = 'security-signing-secret-41c9';

/** A running bot and what it runs on. */
export interface SignedBot {
  readonly url: string;
  readonly slack: FakeSlack;
  readonly bot: SlackApp;
  readonly fixture: Awaited<ReturnType<typeof alertFixture>>;
  /** what the bot answers with, for a second app on the same fixture */
  readonly services: SlackServices;
  close(): Promise<void>;
}

/** Starts the bot on a free port; U0ADMIN is its only admin. */
export async function startSignedBot(options: { log?: Logger } = {}): Promise<SignedBot> {
  const slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  const fixture = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-security-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const services = slackServices(fixture.app, { log: options.log ?? silentLogger(), now: async () => at('2024-09-30T12:00:00Z') });
  const bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  const { port } = await bot.start();
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    slack,
    bot,
    fixture,
    services,
    async close() {
      await bot.stop();
      await slack.close();
      await fixture.close();
    },
  };
}

/** Waits until `check` holds, for what the app does after it has acknowledged. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
