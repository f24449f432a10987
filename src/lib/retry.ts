import { CrmPulseError } from './errors.ts';

/**
 * How a failing operation is retried, in process (withRetry: CRM and HTTP calls) or through an
 * outbox row's next attempt (alerts/deliver-outbox.ts): capped exponential backoff with full
 * jitter (backoffDelay), never sooner than a Retry-After the far side asked for.
 */
export interface RetryPolicy {
  /** tries in all, the first included */
  readonly attempts: number;
  /** the backoff bound before the second try; it doubles with each later try */
  readonly baseMs: number;
  /** the longest backoff bound between two tries */
  readonly capMs: number;
  /**
   * The longest wait a server may ask for (Retry-After). A longer one is not waited out: the
   * operation fails, retryable, and the next scheduled run tries again.
   */
  readonly maxWaitMs: number;
}

/** Outbound calls (CRM APIs): five tries over about a minute at most, and waits of up to two minutes when a server asks. */
export const CALL_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, capMs: 30_000, maxWaitMs: 120_000 };

/**
 * Outbox deliveries (alerts and digests): 8 tries, 30 s doubling up to 1 h. Any Retry-After is
 * honoured: the wait is the row's next attempt time, not a process held asleep.
 */
export const OUTBOX_RETRY: RetryPolicy = { attempts: 8, baseMs: 30_000, capMs: 3_600_000, maxWaitMs: Number.POSITIVE_INFINITY };

/** What follows a failed try: a wait and another try, or the end and why. */
export type RetryDecision =
  | { readonly retry: true; readonly waitMs: number }
  /** `not-retryable`: trying again cannot help; `out-of-tries`: the policy's attempts are used; `wait-too-long`: the far side asked for more than maxWaitMs */
  | { readonly retry: false; readonly why: 'not-retryable' | 'out-of-tries' | 'wait-too-long' };

/** Waits `ms` milliseconds; tests pass one that records the wait and returns at once. */
export type Sleep = (ms: number) => Promise<void>;

/** The real timer. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What withRetry needs besides the operation; every part has a production default (CALL_RETRY). */
export interface RetryOptions {
  readonly policy?: RetryPolicy;
  readonly sleep?: Sleep;
  /** uniform in [0, 1): the jitter source */
  readonly random?: () => number;
  /** told before each wait, e.g. to log it */
  readonly onRetry?: (error: CrmPulseError, attempt: number, waitMs: number) => void;
}

/**
 * The backoff before try `attempt + 1`: "full jitter", a uniform wait between 0 and the capped
 * exponential bound, so that clients that failed together do not retry together
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * @example backoffDelay(3, CALL_RETRY, () => 0.5) // 1000: half of min(30 s, 500 ms × 2²)
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(bound * random());
}

/**
 * Whether and when try `attempt + 1` follows a failure: only a retryable CrmPulseError is tried
 * again, within the policy's attempts, after the jittered backoff and never before the wait the far
 * side asked for (`retryAfterMs`, e.g. a 429's Retry-After: retrying earlier only earns another 429).
 * @example retryDecision(rateLimited, 1, OUTBOX_RETRY, () => 0.5) // { retry: true, waitMs: max(15 s, Retry-After) }
 */
export function retryDecision(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (!(error instanceof CrmPulseError) || !error.retryable) return { retry: false, why: 'not-retryable' };
  if (attempt >= policy.attempts) return { retry: false, why: 'out-of-tries' };
  const asked = error.retryAfterMs ?? 0;
  if (asked > policy.maxWaitMs) return { retry: false, why: 'wait-too-long' };
  return { retry: true, waitMs: Math.max(backoffDelay(attempt, policy, random), asked) };
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, or has used its
 * tries. A retryable CrmPulseError is retried after the policy's jittered backoff, and never
 * before the wait the far side asked for (retryDecision).
 * @example await withRetry(() => client.get(url), { sleep: recordSleep })
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? CALL_RETRY;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const next = retryDecision(error, attempt, policy, options.random);
      if (next.retry) {
        options.onRetry?.(error as CrmPulseError, attempt, next.waitMs);
        await sleep(next.waitMs);
        continue;
      }
      if (next.why === 'not-retryable') throw error;
      const e = error as CrmPulseError;
      if (next.why === 'out-of-tries') {
        throw new CrmPulseError(e.code, `${firstLine(e.message)} (gave up after ${attempt} tries)`, {
          retryable: true,
          ...(e.hint ? { hint: e.hint } : {}),
          cause: e,
        });
      }
      throw new CrmPulseError(
        e.code,
        `${firstLine(e.message)} (asked to wait ${Math.ceil(e.retryAfterMs! / 1000)} s, longer than the ${policy.maxWaitMs / 1000} s crm-pulse waits)`,
        {
          retryable: true,
          hint: 'nothing is lost: the next run starts again from the saved cursor',
          cause: e,
        },
      );
    }
  }
}

/** The message without the "fix:" line CrmPulseError appends, so that it is not repeated. */
function firstLine(message: string): string {
  const i = message.indexOf('\n  fix: ');
  return i === -1 ? message : message.slice(0, i);
}
