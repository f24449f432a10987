import type { Database } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

/** A queued notification row. */
export interface OutboxRow {
  readonly id: number;
  readonly dedupKey: string;
  readonly episodeId: number;
  readonly channel: string;
  readonly event: string;
  readonly payload: string;
  readonly status: string;
  readonly note: string | null;
  readonly attempts: number;
  readonly notBefore: Date;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly lastError: string | null;
}

/** How many rows one delivery pass takes: in all, and from any one channel. */
export interface PassLimits {
  readonly total: number;
  readonly perChannel: number;
}

/** Due notifications of one pass, and how many are due in each channel in all (taken or not). */
export interface DueNotifications {
  readonly rows: OutboxRow[];
  readonly dueByChannel: Map<string, number>;
}

/**
 * Notifications due for delivery (pending, or held until a window that has ended), in queue order:
 * at most `perChannel` of one channel and `total` in all, channels with the oldest waiting row
 * first, so a channel with a long backlog never keeps another's alerts out of the pass.
 */
export async function dueNotifications(db: Database, now: Date, limits: PassLimits): Promise<DueNotifications> {
  const where = { status: { in: ['pending', 'held'] }, notBefore: { lte: now } };
  const groups = await db.prisma.alertOutbox.groupBy({ by: ['channel'], where, _count: { _all: true }, _min: { id: true } });
  groups.sort((a, b) => a._min.id! - b._min.id!);
  const rows: OutboxRow[] = [];
  for (const g of groups) {
    const take = Math.min(limits.perChannel, limits.total - rows.length);
    if (take <= 0) break;
    rows.push(...(await db.prisma.alertOutbox.findMany({ where: { ...where, channel: g.channel }, orderBy: { id: 'asc' }, take })));
  }
  return { rows, dueByChannel: new Map(groups.map((g) => [g.channel, g._count._all])) };
}

/**
 * Channels with a notification waiting to be retried (pending, not due before `now`), each with the
 * queue position (id) of its earliest such notification: later ones to that channel wait behind it.
 */
export async function channelsAwaitingRetry(db: Database, now: Date): Promise<Map<string, number>> {
  const groups = await db.prisma.alertOutbox.groupBy({ by: ['channel'], where: { status: 'pending', notBefore: { gt: now } }, _min: { id: true } });
  return new Map(groups.map((g) => [g.channel, g._min.id!]));
}

/** Where the episode's card is in a channel, if it was posted. */
export async function threadRef(db: Database, episodeId: number, channel: string): Promise<string | undefined> {
  const row = await db.prisma.alertThread.findUnique({ where: { episodeId_channel: { episodeId, channel } } });
  return row?.ref;
}

/** Marks a notification sent, remembers where its card is, and stamps the episode. */
export async function markSent(db: Database, row: OutboxRow, now: Date, ref: string | undefined): Promise<void> {
  await writeTransaction(db, async (tx) => {
    await tx.alertOutbox.update({ where: { id: row.id }, data: { status: 'sent', sentAt: now, attempts: { increment: 1 }, lastError: null } });
    if (ref !== undefined) {
      await tx.alertThread.upsert({
        where: { episodeId_channel: { episodeId: row.episodeId, channel: row.channel } },
        create: { episodeId: row.episodeId, channel: row.channel, ref },
        // A card reposted after it was deleted in Slack moves the episode's thread there.
        update: { ref },
      });
    }
    await tx.alertEpisode.update({ where: { id: row.episodeId }, data: { lastNotifiedAt: now } });
  });
}

/** Records a failed attempt: retried from `retryAt`, or failed for good when retryAt is undefined. */
export async function markAttemptFailed(db: Database, id: number, error: string, retryAt: Date | undefined): Promise<void> {
  await db.prisma.alertOutbox.update({
    where: { id },
    data: retryAt
      ? { attempts: { increment: 1 }, lastError: error, notBefore: retryAt, status: 'pending' }
      : { attempts: { increment: 1 }, lastError: error, status: 'failed' },
  });
}

/** Muted notifications with what releasing them depends on. */
export async function mutedNotifications(db: Database): Promise<(OutboxRow & { episodeEnded: boolean; delivered: boolean })[]> {
  const rows = await db.prisma.alertOutbox.findMany({
    where: { status: 'muted' },
    orderBy: { id: 'asc' },
    include: { episode: { select: { endedAt: true } } },
  });
  const out = [];
  for (const { episode, ...row } of rows) {
    const delivered = (await db.prisma.alertOutbox.count({ where: { episodeId: row.episodeId, channel: row.channel, status: 'sent' } })) > 0;
    out.push({ ...row, episodeEnded: episode.endedAt !== null, delivered });
  }
  return out;
}

/** Changes the status of queued rows (release from a silence, drop a superseded one). */
export async function setOutboxStatus(db: Database, changes: readonly { id: number; status: string; note: string | null; notBefore?: Date }[]): Promise<void> {
  if (changes.length === 0) return;
  await writeTransaction(db, async (tx) => {
    for (const c of changes) {
      await tx.alertOutbox.update({ where: { id: c.id }, data: { status: c.status, note: c.note, ...(c.notBefore ? { notBefore: c.notBefore } : {}) } });
    }
  });
}

/** Outbox rows by status, and the ones that failed for good. */
export async function outboxHealth(db: Database): Promise<{ counts: Record<string, number>; failed: OutboxRow[] }> {
  const groups = await db.prisma.alertOutbox.groupBy({ by: ['status'], _count: { _all: true } });
  const counts = Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
  const failed = await db.prisma.alertOutbox.findMany({ where: { status: 'failed' }, orderBy: { id: 'desc' }, take: 20 });
  return { counts, failed };
}

/** The payload of the latest notification sent for an episode, if any. */
export async function latestSentPayload(db: Database, episodeId: number): Promise<string | undefined> {
  const row = await db.prisma.alertOutbox.findFirst({ where: { episodeId, status: 'sent' }, orderBy: { id: 'desc' } });
  return row?.payload;
}
