import type { WebClient } from '@slack/web-api';
import type { Logger } from '../lib/logger.ts';
import type { SlackAppTesting } from './slack-app.ts';
import type { SlackServices } from './slack-context.ts';
import { opsRoutes } from './ops-routes.ts';
import { startOpsServer, type OpsServer } from './ops-server.ts';
import { slackError } from './slack-error.ts';

/** How waitForSlack waits; production's defaults, a test may stop it early. */
export interface WaitForSlackOptions {
  readonly port: number;
  /** resolves when the bot is asked to stop (SIGTERM) while it waits */
  readonly stopped: Promise<void>;
  /** told once per failed attempt, with the ops port serving /healthz meanwhile */
  readonly onRetry?: (message: string, waitMs: number, port: number) => void;
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * Asks Slack who the bot is (auth.test) until it answers, so a bot started while Slack (or the
 * network) is down keeps trying with capped exponential backoff instead of dying: Bolt itself
 * calls auth.test in its constructor and leaves a failure as an unhandled rejection. Meanwhile
 * `/healthz` answers 503 with `slack: 'unreachable'` on the bot's port. Resolves with the bot's
 * identity, or undefined when stopped first. A token Slack refuses (invalid_auth) ends it at once:
 * waiting would not help.
 * @example const identity = await waitForSlack(client, services, { port: 3000, stopped });
 */
export async function waitForSlack(client: WebClient, s: SlackServices, o: WaitForSlackOptions): Promise<SlackAppTesting | undefined> {
  let ops: OpsServer | undefined;
  let lastError = '';
  let delay = o.firstDelayMs ?? 1_000;
  let stop = false;
  void o.stopped.then(() => void (stop = true));
  try {
    for (;;) {
      try {
        const me = await client.auth.test();
        return { botId: me.bot_id!, botUserId: me.user_id! };
      } catch (error) {
        const problem = slackError('auth.test', error);
        if (!problem.retryable) throw problem;
        lastError = problem.message;
      }
      if (!ops) {
        const health = s.health;
        const unhealthy: SlackServices = {
          ...s,
          health: async () => ({ ...(health ? await health() : { database: 'ok' as const, sources: [] }), slack: 'unreachable' as const, error: lastError }),
        };
        ops = await startOpsServer(opsRoutes(unhealthy), o.port);
      }
      log(s.log, lastError, delay);
      o.onRetry?.(lastError, delay, ops.port);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([o.stopped, new Promise((r) => (timer = setTimeout(r, delay * (0.75 + Math.random() / 2))))]);
      clearTimeout(timer);
      if (stop) return undefined;
      delay = Math.min(o.maxDelayMs ?? 60_000, delay * 2);
    }
  } finally {
    await ops?.close();
  }
}

function log(l: Logger, message: string, delay: number): void {
  l.warn({ retryInMs: delay }, `Slack is not reachable at start-up; retrying: ${message}`);
}
