import type { TickShare } from '../domain/tick-share.ts';
import { failpoint } from '../lib/failpoint.ts';
import type { Logger } from '../lib/logger.ts';
import { loadSeries, openEpisodes, saveFencedWrites, saveTick } from '../store/alert-store.ts';
import {
  addTickItems,
  claimTickItem,
  doneTickItems,
  finishTickItem,
  holdsTickItem,
  renewTickItem,
  tickItemCounts,
  type ItemClaim,
} from '../store/tick-items.ts';
import { finishTick, startTick, type AlertsDeps, type TickReport, type TickTransition } from './evaluate-alerts.ts';
import { kpiGroup } from './evaluate-stage.ts';
import { judgeRules, tickSetup } from './judge-rules.ts';

export type { TickShare } from '../domain/tick-share.ts';

/** What sharing needs besides the alerts: the log, and how often to look again. */
export interface ShareDeps {
  readonly log: Logger;
  /** how often a replica looks again while the items left are claimed by others (default 200 ms) */
  readonly pollMs?: number;
}

/** What one item's work found, kept on its row so that the tick's report sums every replica's part. */
interface ItemResult {
  series: number;
  queued: number;
  transitions: TickTransition[];
  errors: [string, string][];
}

/**
 * One evaluation tick at `now` shared with the other replicas, run by the replica that holds the
 * tick's lease. It starts the tick as evaluateAlerts does (rule audit, data health, whose series it
 * writes), splits the rules into work items, one per KPI and breakdown (so the rules of one item
 * still share one KPI query), adds them to `tick_items`, then works items with the other replicas
 * until all are done (see workTickItems), and finishes the tick: reminders, muted releases, the
 * tick's record, with a report summed over every replica's items.
 * @example const report = await shareTick(deps, share, now, { log });
 */
export async function shareTick(deps: AlertsDeps, share: TickShare, now: Date, sd: ShareDeps): Promise<TickReport> {
  const start = await startTick(deps, now);
  const health = await judgeRules(deps, start.setup, [], start.stored, start.reachedCritical, start.health.outcomes);
  await saveTick(deps.db, health.writes, now);
  const groups = new Map<string, string[]>();
  for (const name of start.names) {
    const key = kpiGroup(deps.alerts.rules[name]!);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  await addTickItems(
    deps.db,
    share.job,
    share.tick,
    now,
    [...groups].map(([item, rules]) => ({ item, payload: JSON.stringify(rules) })),
  );
  await workTickItems(deps, { ...share, leaseHeld: async () => false }, sd);
  const results = (await doneTickItems(deps.db, share.job, share.tick)).map((d) => JSON.parse(d.result) as ItemResult);
  return finishTick(deps, start, {
    rules: start.rules.size,
    series: health.series + results.reduce((n, r) => n + r.series, 0),
    transitions: [...health.transitions, ...results.flatMap((r) => r.transitions)],
    queued: health.queued() + results.reduce((n, r) => n + r.queued, 0),
    held: start.health.held,
    errors: new Map(results.flatMap((r) => r.errors)),
    ruleChanges: start.ruleChanges,
  });
}

/**
 * Works the items of a shared tick until none is left: claims one (a pending item, or one whose
 * claim expired because its replica died), judges its rules, and stores the results in one
 * transaction that first checks the claim is still this replica's (fencing: see saveFencedWrites).
 * While the items left are claimed by live replicas it waits for them; a helper whose tick has no
 * items yet waits while the tick's lease is held (the holder is adding them). Resolves how many
 * items this replica did.
 */
export async function workTickItems(deps: AlertsDeps, share: TickShare, sd: ShareDeps): Promise<number> {
  let mine = 0;
  for (;;) {
    const claim = await claimTickItem(deps.db, share.job, share.tick, share.holder, share.clock.now(), share.leaseMs);
    if (claim) {
      if (await doTickItem(deps, share, claim, sd)) mine++;
      continue;
    }
    const counts = await tickItemCounts(deps.db, share.job, share.tick, share.clock.now());
    if (counts.total > 0 && counts.done === counts.total) return mine;
    if (counts.total === 0 && !(await share.leaseHeld())) return mine;
    await new Promise((r) => setTimeout(r, sd.pollMs ?? 200));
  }
}

/** Judges one claimed item and stores its results under the fence; false when the claim was lost. */
async function doTickItem(deps: AlertsDeps, share: TickShare, claim: ItemClaim, sd: ShareDeps): Promise<boolean> {
  const heartbeat = setInterval(
    () => {
      renewTickItem(deps.db, claim, share.clock.now(), share.leaseMs).catch((error: unknown) =>
        sd.log.warn({ err: error, job: claim.job, item: claim.item }, 'tick item renewal failed'),
      );
    },
    Math.max(1_000, share.leaseMs / 3),
  );
  heartbeat.unref();
  try {
    // A replica with an older config skips the rules it does not know; the one that added the item judges them.
    const names = (JSON.parse(claim.payload) as string[]).filter((name) => deps.alerts.rules[name]);
    // Read at claim time, not at the tick's start: a replica taking an item over sees what was stored since.
    const setup = await tickSetup(deps, claim.at);
    const stored = new Map((await loadSeries(deps.db, names)).map((s) => [`${s.rule}|${s.seriesKey}`, s]));
    const reachedCritical = new Set((await openEpisodes(deps.db)).filter((e) => e.severity === 'critical').map((e) => e.id));
    const judged = await judgeRules(deps, setup, names, stored, reachedCritical);
    failpoint('tick-item:before-commit');
    const kept = await saveFencedWrites(deps.db, judged.writes, claim.at, {
      holds: (tx) => holdsTickItem(tx, deps.db.dialect, claim),
      finish: (tx) => {
        const result: ItemResult = { series: judged.series, queued: judged.queued(), transitions: [...judged.transitions], errors: [...judged.errors] };
        return finishTickItem(tx, deps.db.dialect, claim, JSON.stringify(result), share.clock.now());
      },
    });
    if (!kept) {
      sd.log.warn(
        { job: claim.job, tick: claim.tick, item: claim.item, epoch: claim.epoch },
        'tick item lost: another replica took it over (its claim expired); this replica wrote none of its results',
      );
    }
    return kept;
  } finally {
    clearInterval(heartbeat);
  }
}
