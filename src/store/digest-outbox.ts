import type { Database } from './open-database.ts';

/** A queued or sent digest. */
export interface DigestRow {
  readonly id: number;
  readonly dedupKey: string;
  readonly digest: string;
  readonly recipient: string;
  readonly target: string;
  readonly period: string;
  readonly payload: string;
  readonly status: string;
  readonly attempts: number;
  readonly notBefore: Date;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly ref: string | null;
  readonly lastError: string | null;
}

/** A digest to queue: its identity, where it goes and what it says. */
export type NewDigest = Pick<DigestRow, 'dedupKey' | 'digest' | 'recipient' | 'target' | 'period' | 'payload'>;

/**
 * Queues digests, skipping any whose dedup key is already queued or sent, so a rerun of the same
 * tick (another replica, a catch-up) never queues one twice. Returns how many were new.
 */
export async function queueDigests(db: Database, digests: readonly NewDigest[], now: Date): Promise<number> {
  let added = 0;
  for (const d of digests) {
    const existing = await db.prisma.digestOutbox.findUnique({ where: { dedupKey: d.dedupKey }, select: { id: true } });
    if (existing) continue;
    try {
      await db.prisma.digestOutbox.create({ data: { ...d, status: 'pending', notBefore: now, createdAt: now } });
      added++;
    } catch (error) {
      // Another replica queued it between the lookup and the insert: the unique key kept one.
      if ((error as { code?: string }).code !== 'P2002') throw error;
    }
  }
  return added;
}

/** Digests due for delivery, oldest first. */
export async function dueDigests(db: Database, now: Date, limit = 200): Promise<DigestRow[]> {
  return db.prisma.digestOutbox.findMany({ where: { status: 'pending', notBefore: { lte: now } }, orderBy: { id: 'asc' }, take: limit });
}

/**
 * Recipients with a digest waiting to be retried (pending, not due before `now`), each with the
 * queue position (id) of its earliest such digest: later ones to that recipient wait behind it.
 */
export async function digestTargetsAwaitingRetry(db: Database, now: Date): Promise<Map<string, number>> {
  const groups = await db.prisma.digestOutbox.groupBy({ by: ['target'], where: { status: 'pending', notBefore: { gt: now } }, _min: { id: true } });
  return new Map(groups.map((g) => [g.target, g._min.id!]));
}

/** Marks a digest sent, with where its message is. */
export async function markDigestSent(db: Database, id: number, now: Date, ref: string | undefined): Promise<void> {
  await db.prisma.digestOutbox.update({ where: { id }, data: { status: 'sent', sentAt: now, ref: ref ?? null, attempts: { increment: 1 }, lastError: null } });
}

/** Records a failed attempt: retried from `retryAt`, or failed for good when retryAt is undefined. */
export async function markDigestFailed(db: Database, id: number, error: string, retryAt: Date | undefined): Promise<void> {
  await db.prisma.digestOutbox.update({
    where: { id },
    data: retryAt ? { attempts: { increment: 1 }, lastError: error, notBefore: retryAt } : { attempts: { increment: 1 }, lastError: error, status: 'failed' },
  });
}

/** Digests by status, and the latest that failed for good, for status and /metrics. */
export async function digestOutboxHealth(db: Database): Promise<{ counts: Record<string, number>; failed: DigestRow[] }> {
  const groups = await db.prisma.digestOutbox.groupBy({ by: ['status'], _count: { _all: true } });
  const counts = Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
  const failed = await db.prisma.digestOutbox.findMany({ where: { status: 'failed' }, orderBy: { id: 'desc' }, take: 10 });
  return { counts, failed };
}

/** The digests queued or sent, newest first. */
export async function recentDigests(db: Database, limit = 20): Promise<DigestRow[]> {
  return db.prisma.digestOutbox.findMany({ orderBy: { id: 'desc' }, take: limit });
}
