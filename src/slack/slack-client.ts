import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Env } from '../config/env.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { timedFetch } from '../lib/timed-fetch.ts';
import { meteredFetch, SLACK_API_URL } from './metered-fetch.ts';
import type { SlackMetrics } from './slack-metrics.ts';

/**
 * The one configuration of every Slack Web API client crm-pulse makes: production's (through
 * Bolt's `clientOptions`), the tests' and the benches'. It does three things:
 * - No retries inside the client (`retries: 0`). A post whose answer was lost would be sent again
 *   past the notifier's look-up of its dedup key; the outbox retries instead, and every retry
 *   looks first.
 * - Every request gives up after `env.httpTimeoutMs` (CRM_PULSE_HTTP_TIMEOUT_MS, default 10 s).
 *   Bolt's `respond()` (response_url) and file-upload URLs go through the same `fetch`, so they
 *   are bounded too.
 * - 429s are rejected at once, with their Retry-After, rather than waited out inside the client.
 * @example new App({ token, signingSecret, clientOptions: slackClientOptions(env, metrics) })
 */
export function slackClientOptions(
  env: Pick<Env, 'slackApiUrl' | 'httpTimeoutMs'>,
  metrics?: Pick<SlackMetrics, 'slackApiFailed' | 'slackRateLimited'>,
): WebClientOptions {
  const apiUrl = env.slackApiUrl ?? SLACK_API_URL;
  const bounded = timedFetch(env.httpTimeoutMs);
  return {
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    // Every Web API request of every client Bolt makes goes through this fetch: the one place to count failures.
    fetch: metrics ? meteredFetch(metrics, apiUrl, bounded) : bounded,
    timeout: env.httpTimeoutMs,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  };
}

/**
 * A Web API client as production builds it (see slackClientOptions), for the bot's token.
 * @example const client = createSlackClient(readEnv()); await client.auth.test();
 */
export function createSlackClient(
  env: Pick<Env, 'slackBotToken' | 'slackApiUrl' | 'httpTimeoutMs'>,
  metrics?: Pick<SlackMetrics, 'slackApiFailed' | 'slackRateLimited'>,
): WebClient {
  if (!env.slackBotToken)
    throw new CrmPulseError('config', '[slack] SLACK_BOT_TOKEN is not set', { hint: 'set it to the Bot User OAuth Token (xoxb-…) of the app' });
  return new WebClient(env.slackBotToken, slackClientOptions(env, metrics));
}
