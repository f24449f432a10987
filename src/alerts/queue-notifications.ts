import type { AlertNotification } from '../domain/alert.ts';
import type { OutboxInput } from '../store/alert-store.ts';
import type { SilenceRow } from '../store/silences.ts';
import { muteDecision, type MuteDecision } from './mute.ts';
import type { Stage } from './stage.ts';

/** Notifications as outbox rows, each muted, held or pending by the silences and quiet hours. */
export function queueNotifications(
  notifications: readonly AlertNotification[],
  silences: readonly SilenceRow[],
  quiet: Date | undefined,
  now: Date,
): OutboxInput[] {
  return notifications.map((n) => outboxRow(n, muteDecision(n, silences, quiet, now)));
}

/** The queue stage: each alert's notifications as outbox rows, with the mute stage's decision. */
export const queueStage: Stage = async (batch) => ({
  ...batch,
  alerts: batch.alerts.map((a) => (a.notifications && a.mute ? { ...a, outbox: a.notifications.map((n) => outboxRow(n, a.mute!)) } : a)),
});

function outboxRow(n: AlertNotification, d: MuteDecision): OutboxInput {
  return { dedupKey: n.dedupKey, channel: n.channel, event: n.event, payload: JSON.stringify(n), status: d.status, note: d.note, notBefore: d.notBefore };
}
