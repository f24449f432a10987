import type { AlertNotification } from '../domain/alert.ts';

/** Where a delivered notification's card is, so that later events edit it and reply in its thread. */
export interface Delivery {
  /** e.g. a Slack channel id and message ts; undefined when the notifier has no such thing */
  readonly ref?: string;
}

/**
 * Delivers alert notifications: Slack (slack/slack-notifier.ts) or local mode (local/). A failure
 * throws a CrmPulseError whose `retryable` says whether trying later may work (429, 5xx, a
 * timeout) or not (a channel that does not exist). Delivering the same dedup key twice must not
 * show it twice: after a crash between delivery and bookkeeping, the sender tries again.
 */
export interface Notifier {
  readonly name: string;
  /** `thread` is the ref of the episode's card in this channel, once it has one. */
  deliver(notification: AlertNotification, thread: string | undefined): Promise<Delivery>;
}
