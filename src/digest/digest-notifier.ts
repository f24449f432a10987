import type { Digest } from './digest.ts';

/** A digest ready to send: its identity and where it goes. */
export interface DigestDelivery {
  readonly dedupKey: string;
  /** a Slack user ID (direct message) or a channel, as configured */
  readonly target: string;
  readonly digest: Digest;
}

/**
 * Sends digests: Slack (slack/slack-digest-notifier.ts) or local mode (local/). A failure throws
 * a CrmPulseError whose `retryable` says whether trying later may work. Sending the same dedup
 * key twice must not show it twice: after a crash between sending and bookkeeping, the sender
 * tries again.
 */
export interface DigestNotifier {
  readonly name: string;
  /** resolves where the message is (Slack: channel/ts), if anywhere */
  deliver(d: DigestDelivery): Promise<{ readonly ref?: string }>;
}
