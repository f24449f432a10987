/** Where a delivered message is, so that later events edit it and reply in its thread. */
export interface Delivery {
  /** e.g. a Slack channel id and message ts; undefined when the notifier has no such thing */
  readonly ref?: string;
}

/**
 * Delivers the messages of an outbox (alerts/deliver-outbox.ts): alert notifications
 * (`Notifier<AlertNotification>`) and weekly digests (`Notifier<DigestDelivery>`), to Slack (slack/)
 * or in local mode (local/). A failure throws a CrmPulseError whose `retryable` says whether trying
 * later may work (429, 5xx, a timeout) or not (a channel that does not exist). Delivering the same
 * dedup key twice must not show it twice: after a crash between delivery and bookkeeping, the
 * outbox tries again.
 */
export interface Notifier<M extends { readonly dedupKey: string }> {
  readonly name: string;
  /** `thread` is the ref of the message this one belongs under (an episode's card in its channel), once it has one; a digest has none. */
  deliver(message: M, thread?: string): Promise<Delivery>;
}
