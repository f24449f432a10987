import type { AlertNotification } from '../domain/alert.ts';
import { channelsAwaitingRetry, dueNotifications, markAttemptFailed, markSent, threadRef, type OutboxRow } from '../store/alert-outbox.ts';
import type { Database } from '../store/open-database.ts';
import { CHANNELS_AT_ONCE, type Outbox } from './deliver-outbox.ts';

/**
 * The alert notifications' outbox (alert_outbox) for the delivery loop: lanes are channels, and an
 * episode's notifications in a channel wait behind its unsent one. A notification released from a
 * silence carries the release's note; a later event threads under the episode's card.
 * @example await deliverOutbox(alertOutbox(db), notifier, now, log)
 */
export function alertOutbox(db: Database): Outbox<OutboxRow, AlertNotification> {
  return {
    name: 'alerts',
    failpoint: 'deliver:after-send',
    lane: (row) => row.channel,
    lanesAtOnce: CHANNELS_AT_ONCE,
    group: (row) => row.episodeId,
    async due(now, limits) {
      const due = await dueNotifications(db, now, limits);
      return { rows: due.rows, dueByLane: due.dueByChannel };
    },
    awaitingRetry: (now) => channelsAwaitingRetry(db, now),
    async message(row) {
      const notification = JSON.parse(row.payload) as AlertNotification;
      return { message: row.note ? { ...notification, releasedNote: row.note } : notification, thread: await threadRef(db, row.episodeId, row.channel) };
    },
    markSent: (row, at, ref) => markSent(db, row, at, ref),
    markFailed: (row, error, retryAt) => markAttemptFailed(db, row.id, error, retryAt),
  };
}
