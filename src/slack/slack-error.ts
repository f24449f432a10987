import { CrmPulseError } from '../lib/errors.ts';

/** Slack platform errors worth trying again later; every other one needs a person. */
const RETRYABLE = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/**
 * A Web API failure as a CrmPulseError: rate limits carry Retry-After, 5xx and network errors are
 * retryable, platform errors such as `channel_not_found` or `invalid_blocks` are not and say what to
 * do. The message never includes the request, so no token can leak into it.
 */
export function slackError(method: string, error: unknown): CrmPulseError {
  const e = error as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string; response_metadata?: { messages?: string[] } };
    statusCode?: number;
    message?: string;
  };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new CrmPulseError('remote', `[slack] ${method}: rate limited; retry after ${e.retryAfter ?? '?'} s`, {
      retryable: true,
      retryAfterMs: (e.retryAfter ?? 1) * 1000,
      cause: error,
    });
  }
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown_error';
    const details = e.data?.response_metadata?.messages?.join('; ');
    const hint =
      code === 'channel_not_found' || code === 'not_in_channel'
        ? 'invite the bot to the channel (/invite @crm-pulse), or fix the channel in the alert routes'
        : code === 'invalid_blocks'
          ? 'a message broke Block Kit limits; report it with this error'
          : code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked'
            ? 'check SLACK_BOT_TOKEN (reinstall the app if it was revoked)'
            : code === 'missing_scope'
              ? 'add the scope named above to the app (see slack-app-manifest.yaml) and reinstall it'
              : undefined;
    return new CrmPulseError('remote', `[slack] ${method}: ${code}${details ? ` (${details})` : ''}`, {
      retryable: RETRYABLE.has(code),
      ...(hint ? { hint } : {}),
      cause: error,
    });
  }
  if (e.code === 'slack_webapi_http_error') {
    const status = e.statusCode ?? 0;
    return new CrmPulseError('remote', `[slack] ${method}: HTTP ${status}`, { retryable: status >= 500 || status === 408, cause: error });
  }
  const original = (error as { original?: { name?: string } }).original;
  if (original?.name === 'TimeoutError' || (error as { name?: string }).name === 'TimeoutError') {
    // Slack may have acted before the answer was lost: the retry looks for the dedup key first.
    return new CrmPulseError('remote', `[slack] ${method}: no answer within CRM_PULSE_HTTP_TIMEOUT_MS`, { retryable: true, cause: error });
  }
  return new CrmPulseError('remote', `[slack] ${method}: ${e.code ?? 'request failed'}: ${(e.message ?? String(error)).split('\n')[0]}`, {
    retryable: true,
    cause: error,
  });
}
