import type { SlackMetrics } from './slack-metrics.ts';

/** The Web API's base URL when SLACK_API_URL does not point elsewhere. */
export const SLACK_API_URL = 'https://slack.com/api/';

/**
 * A `fetch` for the Web API client (WebClient's `fetch` option, which Bolt passes to every client
 * it makes) that counts failed Web API requests: 429s, other HTTP errors, network failures, and
 * `ok: false` answers by Slack's error code. It is the one place every Web API request passes
 * through, whichever listener or notifier made it. Requests to other URLs (response_url, file
 * upload URLs) pass untouched. Nothing of the request (its token) is read.
 * @example new WebClient(token, { fetch: meteredFetch(metrics, 'https://slack.com/api/') })
 */
export function meteredFetch(
  metrics: Pick<SlackMetrics, 'slackApiFailed' | 'slackRateLimited'>,
  apiUrl: string = SLACK_API_URL,
  base: typeof fetch = fetch,
): typeof fetch {
  const prefix = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) return base(input, init);
    const method = url.slice(prefix.length).split('?')[0]!;
    let res: Response;
    try {
      res = await base(input, init);
    } catch (error) {
      metrics.slackApiFailed(method, 'request_failed');
      throw error;
    }
    if (res.status === 429) {
      metrics.slackRateLimited(method);
      metrics.slackApiFailed(method, 'ratelimited');
    } else if (res.status !== 200) {
      metrics.slackApiFailed(method, `http_${res.status}`);
    } else if ((res.headers.get('content-type') ?? '').includes('json')) {
      // A clone, so the client still reads the body; Slack reports most failures as 200 + ok: false.
      const body = (await res
        .clone()
        .json()
        .catch(() => undefined)) as { ok?: boolean; error?: unknown } | undefined;
      if (body?.ok === false) metrics.slackApiFailed(method, typeof body.error === 'string' ? body.error : 'unknown_error');
    }
    return res;
  };
}
