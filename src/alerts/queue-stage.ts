import type { AlertNotification } from '../domain/alert.ts';
import type { OutboxInput } from '../store/alert-store.ts';
import type { MuteDecision } from './mute.ts';
import type { Stage } from './stage.ts';

/** The queue stage: each alert's notifications as outbox rows, muted, held or pending by the mute stage's decision. */
export const queueStage: Stage = async (batch) => ({
  ...batch,
  alerts: batch.alerts.map((a) => (a.notifications && a.mute ? { ...a, outbox: a.notifications.map((n) => outboxRow(n, a.mute!)) } : a)),
});

function outboxRow(n: AlertNotification, d: MuteDecision): OutboxInput {
  return { dedupKey: n.dedupKey, channel: n.channel, event: n.event, payload: JSON.stringify(n), status: d.status, note: d.note, notBefore: d.notBefore };
}
