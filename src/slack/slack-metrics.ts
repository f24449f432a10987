/**
 * What the Slack side needs of the process metrics (lib/metrics.ts implements it): counting failed
 * Web API calls, and the text that /metrics serves.
 */
export interface SlackMetrics {
  /** the Content-Type of `scrape()`'s text */
  readonly contentType: string;
  /** every metric in Prometheus text format */
  scrape(): Promise<string>;
  /** a Web API call failed with `error` (Slack's code, `ratelimited`, `http_<status>`, `request_failed`) */
  slackApiFailed(method: string, error: string): void;
  /** a Web API call was answered 429 */
  slackRateLimited(method: string): void;
}
