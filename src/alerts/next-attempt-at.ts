import { CrmPulseError } from '../lib/errors.ts';
import type { RetryPolicy } from './deliver-outbox.ts';

/**
 * When a failed send is tried again: undefined when it failed for good (not retryable, or out of
 * attempts), else after capped exponential backoff with jitter, and never before a 429's Retry-After.
 * @example nextAttemptAt(slackError('chat.postMessage', rateLimited), 1, now, DEFAULT_RETRY) // now + at least Retry-After
 */
export function nextAttemptAt(error: unknown, attempts: number, now: Date, policy: RetryPolicy): Date | undefined {
  const retryable = error instanceof CrmPulseError ? error.retryable : false;
  if (!retryable || attempts >= policy.maxAttempts) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1)) * (0.5 + policy.random() / 2);
  // A 429's Retry-After is a floor: retrying earlier only earns another 429.
  const delay = Math.max(backoff, error instanceof CrmPulseError ? (error.retryAfterMs ?? 0) : 0);
  return new Date(now.getTime() + delay);
}
