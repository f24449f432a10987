import type { Database } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

/** What a silence matches; every given matcher must match. */
export interface SilenceMatchers {
  readonly rule?: string;
  readonly kpi?: string;
  /** the dimension value of a series */
  readonly dimension?: string;
  readonly severity?: string;
  /** one episode: a snooze */
  readonly episode?: number;
}

/** A stored silence. */
export interface SilenceRow {
  readonly id: number;
  readonly matchers: SilenceMatchers;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly untilSync: boolean;
  readonly createdBy: string;
  readonly reason: string;
  readonly endedAt: Date | null;
}

/** Creates a silence and audits it. */
export async function createSilence(
  db: Database,
  s: { matchers: SilenceMatchers; startsAt: Date; endsAt: Date | null; untilSync: boolean; createdBy: string; reason: string },
  now: Date,
): Promise<SilenceRow> {
  return writeTransaction(db, async (tx) => {
    const row = await tx.silence.create({ data: { ...s, matchers: JSON.stringify(s.matchers), createdAt: now } });
    const action = s.matchers.episode !== undefined ? 'snooze' : 'silence';
    await tx.auditEntry.create({
      data: {
        at: now,
        actor: s.createdBy,
        action,
        subject: `silence ${row.id}`,
        detail: JSON.stringify({ matchers: s.matchers, endsAt: s.endsAt, untilSync: s.untilSync, reason: s.reason }),
      },
    });
    return silenceRow(row);
  });
}

/** Silences in force at `now`: started, not ended, not expired. */
export async function activeSilences(db: Database, now: Date): Promise<SilenceRow[]> {
  const rows = await db.prisma.silence.findMany({
    where: { startsAt: { lte: now }, endedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: { id: 'asc' },
  });
  return rows.map(silenceRow);
}

/** Ends silences early: one by id (expire), or every "until the next sync" one after a sync. */
export async function endSilences(db: Database, which: { id: number } | { untilSync: true }, actor: string, now: Date): Promise<number> {
  return writeTransaction(db, async (tx) => {
    const where = 'id' in which ? { id: which.id, endedAt: null } : { untilSync: true, endedAt: null };
    const rows = await tx.silence.findMany({ where });
    for (const r of rows) {
      await tx.silence.update({ where: { id: r.id }, data: { endedAt: now } });
      await tx.auditEntry.create({ data: { at: now, actor, action: 'silence_ended', subject: `silence ${r.id}` } });
    }
    return rows.length;
  });
}

function silenceRow(r: {
  id: number;
  matchers: string;
  startsAt: Date;
  endsAt: Date | null;
  untilSync: boolean;
  createdBy: string;
  reason: string;
  endedAt: Date | null;
}): SilenceRow {
  return { ...r, matchers: JSON.parse(r.matchers) as SilenceMatchers };
}
