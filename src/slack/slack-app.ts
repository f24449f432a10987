import { App, LogLevel } from '@slack/bolt';
import type { Env } from '../config/env.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { SlackServices } from './slack-context.ts';
import { register as registerKpiCommand } from './listeners/commands/kpi-command.ts';
import { register as registerAlertActions } from './listeners/actions/alert-actions.ts';
import { register as registerAppHome } from './listeners/events/app-home.ts';

/** The Bolt app and its transport. */
export interface SlackApp {
  readonly bolt: App;
  /** 'socket' when SLACK_APP_TOKEN is set, else 'http' on PORT at /slack/events */
  readonly transport: 'socket' | 'http';
  /** starts the transport; for HTTP, resolves with the port it listens on */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

/** Options for tests: skip auth.test on start-up and per request. */
export interface SlackAppTesting {
  readonly botId: string;
  readonly botUserId: string;
}

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise the
 * HTTP receiver on PORT with `/slack/events` (signature-checked by Bolt: `v0=` HMAC-SHA256 of
 * `v0:{timestamp}:{body}`, stale timestamps refused) and `/healthz`. SLACK_API_URL points the Web
 * API client at another server, e.g. a fake Slack in trials and tests.
 * @example const slack = createSlackApp(env, services); await slack.start();
 */
export function createSlackApp(env: Env, s: SlackServices, testing?: SlackAppTesting): SlackApp {
  if (!env.slackBotToken) throw new CrmPulseError('config', '[slack] SLACK_BOT_TOKEN is not set', { hint: 'set it to the Bot User OAuth Token (xoxb-…) of the app' });
  const socket = env.slackAppToken !== undefined;
  if (!socket && !env.slackSigningSecret) {
    throw new CrmPulseError('config', '[slack] SLACK_SIGNING_SECRET is not set', { hint: 'copy it from the app\'s Basic Information page, or set SLACK_APP_TOKEN for Socket Mode' });
  }
  const bolt = new App({
    token: env.slackBotToken,
    ...(socket ? { socketMode: true, appToken: env.slackAppToken } : { signingSecret: env.slackSigningSecret!, endpoints: '/slack/events', port: env.port }),
    ...(socket
      ? {}
      : {
          customRoutes: [
            {
              path: '/healthz',
              method: ['GET'],
              handler: (_req, res) => {
                void healthz(s).then(({ status, body }) => {
                  res.writeHead(status, { 'content-type': 'application/json' });
                  res.end(JSON.stringify(body));
                });
              },
            },
          ],
        }),
    clientOptions: { ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}), rejectRateLimitedCalls: true, retryConfig: { retries: 2 } },
    logLevel: LogLevel.WARN,
    ...(testing ? { botId: testing.botId, botUserId: testing.botUserId, tokenVerificationEnabled: false } : {}),
  });
  bolt.error(async (error) => {
    s.log.error({ err: error }, 'a Slack listener failed');
  });
  registerKpiCommand(bolt, s);
  registerAlertActions(bolt, s);
  registerAppHome(bolt, s);
  return {
    bolt,
    transport: socket ? 'socket' : 'http',
    async start() {
      if (socket) {
        await bolt.start();
        return {};
      }
      const server = (await bolt.start(env.port)) as { address(): { port: number } | string | null };
      const address = server.address();
      return typeof address === 'object' && address ? { port: address.port } : {};
    },
    async stop() {
      await bolt.stop();
    },
  };
}

/** The /healthz answer: 200 while the database answers, 503 when it does not. */
async function healthz(s: SlackServices): Promise<{ status: number; body: unknown }> {
  if (!s.health) return { status: 200, body: { ok: true } };
  const report = await s.health().catch((error: unknown) => ({ database: 'unreachable' as const, error: (error as Error).message, sources: [] }));
  const ok = report.database === 'ok';
  return { status: ok ? 200 : 503, body: { ok, ...report } };
}
