import type { AlertNotification } from '../domain/alert.ts';
import { failpoint } from '../lib/failpoint.ts';
import type { Logger } from '../lib/logger.ts';
import { channelsAwaitingRetry, dueNotifications, markAttemptFailed, markSent, threadRef, type OutboxRow } from '../store/alert-outbox.ts';
import type { Database } from '../store/open-database.ts';
import { nextAttemptAt } from './next-attempt-at.ts';
import type { Notifier } from './notifier.ts';

/** Retry policy of the sender: capped exponential backoff with full jitter. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 0 ≤ x < 1; injected so that tests pin the jitter */
  readonly random: () => number;
}

/** The default policy: 8 attempts, 30 s doubling up to 1 h. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 3_600_000, random: Math.random };

/** What one delivery pass did. */
export interface DeliveryReport {
  readonly sent: number;
  /** failed now, tried again later */
  readonly retrying: number;
  /** failed for good: the row stays with its error, shown by `alerts` and `status` */
  readonly failed: number;
  /** waiting behind an earlier notification of the same episode and channel */
  readonly waiting: number;
}

/** Channels delivered at once: a channel whose calls hang holds only its own lane. */
export const CHANNELS_AT_ONCE = 8;

/**
 * Rows one pass takes, in all and from one channel. Slack posts about one message a second per
 * channel, so 50 is a fair share of a pass; the rest of a channel waits, in order, for the next.
 */
export const PASS_LIMITS = { total: 500, perChannel: 50 } as const;

/** A channel with more notifications due than this is logged as backlogged (nothing is dropped). */
export const CHANNEL_BACKLOG_WARNING = 500;

/**
 * Sends due notifications in queue order and marks each sent only after the notifier succeeded.
 * A retryable failure (429, 5xx, timeout) is tried again later with backoff; any other failure, or
 * running out of attempts, marks it failed and keeps it. Later notifications of the same episode
 * and channel wait behind an unsent one, so a card is never updated before it was posted; and any
 * later notification to a channel waits behind one that is being retried there, so each channel
 * shows its alerts in queue order (a 429 is a channel's rate limit, so they would fail too).
 * Channels are delivered side by side (CHANNELS_AT_ONCE at a time), each in its own queue order, so
 * a channel whose Slack calls hang until their timeout never holds up another channel; a pass takes
 * at most PASS_LIMITS.perChannel rows of one channel, so a flooded channel never starves the others.
 * @example await deliverOutbox(db, consoleNotifier, clock.now(), log)
 */
export async function deliverOutbox(
  db: Database,
  notifier: Notifier,
  now: Date | (() => Date),
  log: Logger,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<DeliveryReport> {
  const report = { sent: 0, retrying: 0, failed: 0, waiting: 0 };
  // A pass can last long (channels side by side, calls that hang until their timeout): given a
  // clock, a retry is timed from the moment its attempt failed, so a 429's Retry-After counts from
  // the 429 itself. A fixed `now` (tests, replays) times every retry from it.
  const clock = typeof now === 'function' ? now : () => now;
  const start = clock();
  const retrying = await channelsAwaitingRetry(db, start);
  const lanes = new Map<string, OutboxRow[]>();
  const due = await dueNotifications(db, start, PASS_LIMITS);
  for (const row of due.rows) lanes.set(row.channel, [...(lanes.get(row.channel) ?? []), row]);
  for (const [channel, count] of due.dueByChannel) {
    // Like Alertmanager, nothing queued is ever dropped: a backlog only drains a fair share per pass.
    if (count > CHANNEL_BACKLOG_WARNING) {
      log.warn(
        { channel, due: count, perPass: PASS_LIMITS.perChannel },
        `[alerts] ${count} notifications are waiting for ${channel}; they are sent in order, ${PASS_LIMITS.perChannel} a pass, none dropped`,
      );
    }
  }

  const deliverLane = async (rows: OutboxRow[]) => {
    const blocked = new Set<number>();
    for (const row of rows) {
      if (blocked.has(row.episodeId) || (retrying.get(row.channel) ?? Infinity) < row.id) {
        report.waiting++;
        continue;
      }
      const notification = JSON.parse(row.payload) as AlertNotification;
      const released = row.note ? { releasedNote: row.note } : {};
      try {
        const delivery = await notifier.deliver({ ...notification, ...released }, await threadRef(db, row.episodeId, row.channel));
        failpoint('deliver:after-send');
        await markSent(db, row, start, delivery.ref);
        report.sent++;
      } catch (error) {
        const message = (error as Error).message;
        const attempts = row.attempts + 1;
        blocked.add(row.episodeId);
        const failedAt = clock();
        const retryAt = nextAttemptAt(error, attempts, failedAt, policy);
        if (retryAt) {
          retrying.set(row.channel, Math.min(row.id, retrying.get(row.channel) ?? Infinity));
          await markAttemptFailed(db, row.id, message, retryAt);
          report.retrying++;
          log.warn({ notification: row.dedupKey, attempts, notifier: notifier.name }, `delivery failed, retrying: ${message}`);
        } else {
          await markAttemptFailed(db, row.id, message, undefined);
          report.failed++;
          log.error({ notification: row.dedupKey, attempts, notifier: notifier.name }, `delivery failed for good: ${message}`);
        }
      }
    }
  };
  const queue = [...lanes.values()];
  await Promise.all(
    Array.from({ length: Math.min(CHANNELS_AT_ONCE, queue.length) }, async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) await deliverLane(lane);
    }),
  );
  return report;
}
