import type { Database } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

/** A channel that receives a KPI's alerts. */
export interface ChannelSubscription {
  /** a Slack channel ID (C0123ABCD) or name (#sales) */
  readonly channel: string;
  readonly kpi: string;
}

/**
 * Routes the alerts of these KPIs to a channel as well, and audits it; subscribing twice changes
 * nothing. Returns the KPIs that were not subscribed before.
 * @example await subscribeChannel(db, 'C0123ABCD', ['win_rate'], 'U0123', now) // ['win_rate']
 */
export async function subscribeChannel(db: Database, channel: string, kpis: readonly string[], actor: string, now: Date): Promise<string[]> {
  return writeTransaction(db, async (tx) => {
    const added: string[] = [];
    for (const kpi of kpis) {
      if (await tx.channelSubscription.findUnique({ where: { channel_kpi: { channel, kpi } } })) continue;
      await tx.channelSubscription.create({ data: { channel, kpi, createdBy: actor, createdAt: now } });
      added.push(kpi);
    }
    await tx.auditEntry.create({ data: { at: now, actor, action: 'subscribe', subject: `channel ${channel}`, detail: JSON.stringify({ kpis, added }) } });
    return added;
  });
}

/** Stops routing these KPIs' alerts to a channel, and audits it. Returns the KPIs that were subscribed. */
export async function unsubscribeChannel(db: Database, channel: string, kpis: readonly string[], actor: string, now: Date): Promise<string[]> {
  return writeTransaction(db, async (tx) => {
    const removed: string[] = [];
    for (const kpi of kpis) {
      const { count } = await tx.channelSubscription.deleteMany({ where: { channel, kpi } });
      if (count > 0) removed.push(kpi);
    }
    await tx.auditEntry.create({ data: { at: now, actor, action: 'unsubscribe', subject: `channel ${channel}`, detail: JSON.stringify({ kpis, removed }) } });
    return removed;
  });
}

/** Every subscription, by channel then KPI. */
export async function channelSubscriptions(db: Database): Promise<ChannelSubscription[]> {
  return db.prisma.channelSubscription.findMany({ select: { channel: true, kpi: true }, orderBy: [{ channel: 'asc' }, { kpi: 'asc' }] });
}
