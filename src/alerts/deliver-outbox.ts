import { failpoint } from '../lib/failpoint.ts';
import type { Logger } from '../lib/logger.ts';
import { OUTBOX_RETRY, retryDecision, type RetryOptions } from '../lib/retry.ts';
import type { Notifier } from './notifier.ts';

/** A queued row as the delivery loop reads it. */
export interface QueuedRow {
  /** its queue position */
  readonly id: number;
  readonly dedupKey: string;
  /** failed attempts so far */
  readonly attempts: number;
}

/** How many rows one delivery pass takes: in all, and from any one lane. */
export interface PassLimits {
  readonly total: number;
  readonly perChannel: number;
}

/** Due rows of one pass, in queue order, and how many are due in each lane in all (taken or not), when the outbox counts them. */
export interface DueRows<Row> {
  readonly rows: readonly Row[];
  readonly dueByLane?: ReadonlyMap<string, number>;
}

/**
 * One outbox as its delivery loop sees it: where its rows are and how they are marked. The alert
 * notifications' (alert-outbox.ts) and the weekly digests' (digest/digest-outbox.ts) are the two.
 */
export interface Outbox<Row extends QueuedRow, M extends { readonly dedupKey: string }> {
  /** names the outbox in logs: 'alerts', 'digest' */
  readonly name: string;
  /** the failpoint between a send and its bookkeeping, for crash tests (lib/failpoint.ts) */
  readonly failpoint: string;
  /** the lane a row is delivered in, in queue order: the channel or conversation it goes to */
  lane(row: Row): string;
  /** lanes delivered side by side (CHANNELS_AT_ONCE for alerts) */
  readonly lanesAtOnce: number;
  /** rows of one group wait behind an unsent one of theirs (an alert episode's notifications); none when absent */
  group?(row: Row): number;
  due(now: Date, limits: PassLimits): Promise<DueRows<Row>>;
  /** lanes with a row waiting to be retried (not due before `now`), each with the queue position of its earliest */
  awaitingRetry(now: Date): Promise<Map<string, number>>;
  /** what the notifier is handed for a row, and the ref to thread it under; throws when it cannot be sent */
  message(row: Row): Promise<{ readonly message: M; readonly thread: string | undefined }>;
  markSent(row: Row, at: Date, ref: string | undefined): Promise<void>;
  /** records a failed attempt: retried from `retryAt`, or failed for good when it is undefined */
  markFailed(row: Row, error: string, retryAt: Date | undefined): Promise<void>;
}

/** What one delivery pass did. */
export interface DeliveryReport {
  readonly sent: number;
  /** failed now, tried again later */
  readonly retrying: number;
  /** failed for good: the row stays with its error, shown by `alerts` and `status` */
  readonly failed: number;
  /** waiting behind an earlier row of the same group, or one being retried in its lane */
  readonly waiting: number;
}

/** Alert channels delivered at once: a channel whose calls hang holds only its own lane. */
export const CHANNELS_AT_ONCE = 8;

/**
 * Rows one pass takes, in all and from one lane. Slack posts about one message a second per
 * channel, so 50 is a fair share of a pass; the rest of a channel waits, in order, for the next.
 */
export const PASS_LIMITS: PassLimits = { total: 500, perChannel: 50 };

/** A lane with more rows due than this is logged as backlogged (nothing is dropped). */
export const CHANNEL_BACKLOG_WARNING = 500;

/**
 * Sends an outbox's due rows in queue order and marks each sent only after the notifier succeeded.
 * A retryable failure (429, 5xx, timeout) is tried again later after the retry policy's backoff
 * (lib/retry.ts), never before a 429's Retry-After; any other failure, or running out of attempts,
 * marks it failed and keeps it. Later rows of the same group (an alert episode) wait behind an
 * unsent one, so a card is never updated before it was posted; and any later row in a lane waits
 * behind one that is being retried there, so each channel shows its messages in queue order (a 429
 * is a channel's rate limit, so they would fail too). Lanes are delivered side by side
 * (`outbox.lanesAtOnce` at a time), each in its own queue order, so a channel whose Slack calls
 * hang until their timeout never holds up another; a pass takes at most PASS_LIMITS.perChannel rows
 * of one lane, so a flooded channel never starves the others.
 * @example await deliverOutbox(alertOutbox(db), localNotifier(file, print), clock.now(), log)
 */
export async function deliverOutbox<Row extends QueuedRow, M extends { readonly dedupKey: string }>(
  outbox: Outbox<Row, M>,
  notifier: Notifier<M>,
  now: Date | (() => Date),
  log: Logger,
  retry: Pick<RetryOptions, 'policy' | 'random'> = {},
): Promise<DeliveryReport> {
  const policy = retry.policy ?? OUTBOX_RETRY;
  const report = { sent: 0, retrying: 0, failed: 0, waiting: 0 };
  // A pass can last long (channels side by side, calls that hang until their timeout): given a
  // clock, a retry is timed from the moment its attempt failed, so a 429's Retry-After counts from
  // the 429 itself. A fixed `now` (tests, replays) times every retry from it.
  const clock = typeof now === 'function' ? now : () => now;
  const start = clock();
  const retrying = await outbox.awaitingRetry(start);
  const lanes = new Map<string, Row[]>();
  const due = await outbox.due(start, PASS_LIMITS);
  for (const row of due.rows) lanes.set(outbox.lane(row), [...(lanes.get(outbox.lane(row)) ?? []), row]);
  for (const [channel, count] of due.dueByLane ?? []) {
    // Like Alertmanager, nothing queued is ever dropped: a backlog only drains a fair share per pass.
    if (count > CHANNEL_BACKLOG_WARNING) {
      log.warn(
        { channel, due: count, perPass: PASS_LIMITS.perChannel },
        `[${outbox.name}] ${count} messages are waiting for ${channel}; they are sent in order, ${PASS_LIMITS.perChannel} a pass, none dropped`,
      );
    }
  }

  const deliverLane = async (lane: string, rows: readonly Row[]) => {
    const blocked = new Set<number>();
    for (const row of rows) {
      const group = outbox.group?.(row);
      if ((group !== undefined && blocked.has(group)) || (retrying.get(lane) ?? Infinity) < row.id) {
        report.waiting++;
        continue;
      }
      try {
        const { message, thread } = await outbox.message(row);
        const delivery = await notifier.deliver(message, thread);
        failpoint(outbox.failpoint);
        await outbox.markSent(row, start, delivery.ref);
        report.sent++;
      } catch (error) {
        const message = (error as Error).message;
        const attempts = row.attempts + 1;
        if (group !== undefined) blocked.add(group);
        const failedAt = clock();
        const next = retryDecision(error, attempts, policy, retry.random);
        const fields = { outbox: outbox.name, dedupKey: row.dedupKey, attempts, notifier: notifier.name };
        if (next.retry) {
          retrying.set(lane, Math.min(row.id, retrying.get(lane) ?? Infinity));
          await outbox.markFailed(row, message, new Date(failedAt.getTime() + next.waitMs));
          report.retrying++;
          log.warn(fields, `[${outbox.name}] delivery failed, retrying: ${message}`);
        } else {
          await outbox.markFailed(row, message, undefined);
          report.failed++;
          log.error(fields, `[${outbox.name}] delivery failed for good: ${message}`);
        }
      }
    }
  };
  const queue = [...lanes];
  await Promise.all(
    Array.from({ length: Math.min(outbox.lanesAtOnce, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await deliverLane(...next);
    }),
  );
  return report;
}
