import type { AnswerRecords } from '../answers/command-deps.ts';
import { audit, findEpisode } from '../store/alert-store.ts';
import { subscribeChannel, unsubscribeChannel } from '../store/channel-subscriptions.ts';
import { episodeThreads } from '../store/episode-threads.ts';
import { setKpiTarget, storedTargets } from '../store/kpi-targets.ts';
import type { Database } from '../store/open-database.ts';

/**
 * The records the /kpi answers read and write, over one database: the answers layer reaches the
 * store only through this.
 * @example const records = answerRecords(db); await records.storedTargets()
 */
export function answerRecords(db: Database): AnswerRecords {
  return {
    audit: (entry) => audit(db, entry),
    storedTargets: () => storedTargets(db),
    setKpiTarget: (kpi, target, actor, now) => setKpiTarget(db, kpi, target, actor, now),
    subscribeChannel: (channel, kpis, actor, now) => subscribeChannel(db, channel, kpis, actor, now),
    unsubscribeChannel: (channel, kpis, actor, now) => unsubscribeChannel(db, channel, kpis, actor, now),
    episodeThreads: (ids) => episodeThreads(db, ids),
    findEpisode: (id) => findEpisode(db, id),
  };
}
