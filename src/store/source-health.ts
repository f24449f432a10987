import type { Database } from './open-database.ts';

/** A source's last successful sync and the objects it has synced. */
export interface SourceHealth {
  readonly key: string;
  readonly name: string;
  /** end of the latest successful run of any of its objects, null if none succeeded */
  readonly lastSuccess: Date | null;
  readonly objects: readonly string[];
}

/** Every known source with its latest successful sync and its objects. */
export async function sourceHealth(db: Database): Promise<SourceHealth[]> {
  const sources = await db.prisma.source.findMany({ orderBy: { key: 'asc' } });
  const out: SourceHealth[] = [];
  for (const s of sources) {
    const last = await db.prisma.syncRun.aggregate({ where: { sourceId: s.id, status: 'succeeded' }, _max: { endedAt: true } });
    const objects = await db.prisma.syncRun.findMany({ where: { sourceId: s.id }, distinct: ['object'], select: { object: true } });
    out.push({ key: s.key, name: s.name, lastSuccess: last._max.endedAt, objects: objects.map((o) => o.object) });
  }
  return out;
}
