import { App, LogLevel } from '@slack/bolt';
import type { Env } from '../config/env.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { SlackServices } from './slack-context.ts';
import { slackClientOptions } from './slack-client.ts';
import { opsRoutes } from './ops-routes.ts';
import { startOpsServer, type OpsServer } from './ops-server.ts';
import { replayGuard } from './replay-guard.ts';
import { gateReceiver, requestGate } from './request-gate.ts';
import { register as registerKpiCommand } from './listeners/commands/kpi-command.ts';
import { register as registerAlertActions } from './listeners/actions/alert-actions.ts';
import { register as registerAppHome } from './listeners/events/app-home.ts';

/** The Bolt app and its transport. */
export interface SlackApp {
  readonly bolt: App;
  /** 'socket' when SLACK_APP_TOKEN is set, else 'http' on PORT at /slack/events */
  readonly transport: 'socket' | 'http';
  /** starts the transport; resolves with the port of /healthz and /metrics (and, for HTTP, /slack/events) */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

/** The bot's identity when already known (startBot's waitForSlack, or a test): Bolt then skips its own auth.test. */
export interface SlackAppTesting {
  readonly botId: string;
  readonly botUserId: string;
}

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise the
 * HTTP receiver on PORT with `/slack/events` (behind src/slack/request-gate.ts: exactly `v0=` and
 * 64 hex characters of HMAC-SHA256 over `v0:{timestamp}:{body}`, stale timestamps, replays and
 * bodies of unexpected shapes refused before Bolt sees them), `/healthz` and `/metrics`. In Socket Mode
 * `/healthz` and `/metrics` get a small HTTP server of their own on PORT. SLACK_API_URL points the
 * Web API client at another server, e.g. a fake Slack in trials and tests.
 * @example const slack = createSlackApp(env, services); await slack.start();
 */
export function createSlackApp(env: Env, s: SlackServices, testing?: SlackAppTesting): SlackApp {
  if (!env.slackBotToken)
    throw new CrmPulseError('config', '[slack] SLACK_BOT_TOKEN is not set', { hint: 'set it to the Bot User OAuth Token (xoxb-…) of the app' });
  const socket = env.slackAppToken !== undefined;
  if (!socket && !env.slackSigningSecret) {
    throw new CrmPulseError('config', '[slack] SLACK_SIGNING_SECRET is not set', {
      hint: "copy it from the app's Basic Information page, or set SLACK_APP_TOKEN for Socket Mode",
    });
  }
  const routes = opsRoutes(s);
  let ops: OpsServer | undefined;
  const bolt = new App({
    token: env.slackBotToken,
    ...(socket ? { socketMode: true, appToken: env.slackAppToken } : { signingSecret: env.slackSigningSecret!, endpoints: '/slack/events', port: env.port }),
    ...(socket ? {} : { customRoutes: routes.map((r) => ({ path: r.path, method: ['GET'], handler: (req, res) => void r.handle(req, res) })) }),
    // The shared client configuration: no retries inside the client, every call (respond() too) timed out.
    clientOptions: slackClientOptions(env, s.metrics),
    logLevel: LogLevel.WARN,
    ...(testing ? { botId: testing.botId, botUserId: testing.botUserId, tokenVerificationEnabled: false } : {}),
  });
  // Bolt refuses bad and stale signatures, but not a second delivery of a good one, nor a
  // signature with a suffix, and it crashes on a signed JSON null: the gate refuses all three.
  if (!socket) {
    const onRefused = (reason: string, detail?: string) => s.log.warn({ reason, ...(detail ? { detail } : {}) }, 'refused a Slack request before Bolt saw it');
    gateReceiver(bolt, requestGate({ signingSecret: env.slackSigningSecret!, guard: replayGuard(), onRefused }));
  }
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
        ops = await startOpsServer(routes, env.port);
        try {
          await bolt.start();
        } catch (error) {
          await ops.close();
          throw error;
        }
        return { port: ops.port };
      }
      const server = (await bolt.start(env.port)) as { address(): { port: number } | string | null };
      const address = server.address();
      return typeof address === 'object' && address ? { port: address.port } : {};
    },
    async stop() {
      await bolt.stop();
      await ops?.close();
    },
  };
}
