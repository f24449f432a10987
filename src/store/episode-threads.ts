import type { Database } from './open-database.ts';

/** Where an episode's card was posted: its channel and the notifier's ref (a Slack `channel/ts`). */
export interface EpisodeThread {
  readonly episodeId: number;
  readonly channel: string;
  readonly ref: string;
}

/** The cards of these episodes, by episode then channel. */
export async function episodeThreads(db: Database, episodeIds: readonly number[]): Promise<EpisodeThread[]> {
  if (episodeIds.length === 0) return [];
  return db.prisma.alertThread.findMany({
    where: { episodeId: { in: [...episodeIds] } },
    select: { episodeId: true, channel: true, ref: true },
    orderBy: [{ episodeId: 'asc' }, { channel: 'asc' }],
  });
}
