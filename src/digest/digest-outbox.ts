import type { Outbox } from '../alerts/deliver-outbox.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { digestTargetsAwaitingRetry, dueDigests, markDigestFailed, markDigestSent, type DigestRow } from '../store/digest-outbox.ts';
import type { Database } from '../store/open-database.ts';
import type { Digest, DigestDelivery } from './digest.ts';

/**
 * The weekly digests' outbox (digest_outbox) for the alerts' delivery loop: lanes are the
 * recipients (a manager's Slack user, or a channel). A manager without a Slack user in
 * alerts.owners fails for good, with the fix.
 * @example await deliverOutbox(digestOutbox(db), notifier, now, log)
 */
export function digestOutbox(db: Database): Outbox<DigestRow, DigestDelivery> {
  return {
    name: 'digest',
    failpoint: 'digest:after-send',
    lane: (row) => row.target,
    // One at a time, in queue order: a digest renders a chart PNG, and they go once a week.
    lanesAtOnce: 1,
    due: async (now, limits) => ({ rows: await dueDigests(db, now, limits.total) }),
    awaitingRetry: (now) => digestTargetsAwaitingRetry(db, now),
    async message(row) {
      if (row.target === '') {
        throw new CrmPulseError('config', `[digest] ${row.digest}: manager '${row.recipient}' has no Slack user`, {
          hint: `add '${row.recipient}: U…' under alerts.owners in the config`,
        });
      }
      return { message: { dedupKey: row.dedupKey, target: row.target, digest: JSON.parse(row.payload) as Digest }, thread: undefined };
    },
    markSent: (row, at, ref) => markDigestSent(db, row.id, at, ref),
    markFailed: (row, error, retryAt) => markDigestFailed(db, row.id, error, retryAt),
  };
}
