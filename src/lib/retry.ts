import { CrmPulseError } from './errors.ts';

/** How an operation that may fail for a while is retried. */
export interface RetryPolicy {
  /** tries in all, the first included */
  readonly attempts: number;
  /** the backoff before the second try; it doubles with each later try */
  readonly baseMs: number;
  /** the longest backoff between two tries */
  readonly capMs: number;
  /**
   * The longest wait a server may ask for (Retry-After). A longer one is not waited out: the
   * operation fails, retryable, and the next scheduled run tries again.
   */
  readonly maxWaitMs: number;
}

/** Five tries over about a minute at most, and waits of up to two minutes when a server asks. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, capMs: 30_000, maxWaitMs: 120_000 };

/** Waits `ms` milliseconds; tests pass one that records the wait and returns at once. */
export type Sleep = (ms: number) => Promise<void>;

/** The real timer. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What withRetry needs besides the operation; every part has a production default. */
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
 * @example backoffDelay(3, DEFAULT_RETRY, () => 0.5) // 1000: half of min(30 s, 500 ms × 2²)
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(bound * random());
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, or has used its
 * tries. A retryable CrmPulseError is retried after the wait the far side asked for
 * (`retryAfterMs`, e.g. a 429's Retry-After), else after a jittered exponential backoff.
 * @example await withRetry(() => client.get(url), { sleep: recordSleep })
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!(error instanceof CrmPulseError) || !error.retryable) throw error;
      if (attempt >= policy.attempts) {
        throw new CrmPulseError(error.code, `${firstLine(error.message)} (gave up after ${attempt} tries)`, {
          retryable: true,
          ...(error.hint ? { hint: error.hint } : {}),
          cause: error,
        });
      }
      const asked = error.retryAfterMs;
      if (asked !== undefined && asked > policy.maxWaitMs) {
        throw new CrmPulseError(
          error.code,
          `${firstLine(error.message)} (asked to wait ${Math.ceil(asked / 1000)} s, longer than the ${policy.maxWaitMs / 1000} s crm-pulse waits)`,
          {
            retryable: true,
            hint: 'nothing is lost: the next run starts again from the saved cursor',
            cause: error,
          },
        );
      }
      const wait = asked ?? backoffDelay(attempt, policy, random);
      options.onRetry?.(error, attempt, wait);
      await sleep(wait);
    }
  }
}

/** The message without the "fix:" line CrmPulseError appends, so that it is not repeated. */
function firstLine(message: string): string {
  const i = message.indexOf('\n  fix: ');
  return i === -1 ? message : message.slice(0, i);
}
