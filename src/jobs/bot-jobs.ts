import type { Config } from '../config/config-schema.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { parseCron } from '../lib/cron-expression.ts';
import { parseDuration } from '../lib/duration.ts';
import type { ScheduledJob, TickRun } from './scheduled-job.ts';

/** The work the bot's jobs do, passed in by the composition root. */
export interface BotActions {
  /** syncs one source; resolves whether any of its objects synced */
  sync(sourceKey: string): Promise<boolean>;
  /** one evaluation tick; `lease` names the tick's lease, so that replicas may share the tick */
  evaluate(lease?: TickRun): Promise<void>;
  /** works on an evaluation tick another replica holds; resolves whether it did any of it (absent: replicas do not share ticks) */
  helpEvaluate?(lease: TickRun): Promise<boolean>;
  deliver(): Promise<void>;
  /** builds and queues one digest for the week before the tick; without it, digests are not scheduled (local mode) */
  digest?(name: string, tick: Date): Promise<void>;
}

/**
 * The bot's jobs from `schedules:`: a sync per scheduled source (followed by an evaluation when it
 * succeeds), the evaluation on its own schedule, and the outbox delivery every `deliver_every`;
 * plus each digest of `digests:` on its schedule, in its own time zone.
 * Throws a config error for a schedule naming a source the config does not have.
 */
export function botJobs(config: Pick<Config, 'schedules' | 'sources' | 'digests'>, actions: BotActions, file = 'the config'): ScheduledJob[] {
  const s = config.schedules;
  const jobs: ScheduledJob[] = [];
  for (const [key, expr] of Object.entries(s.sync)) {
    if (!config.sources[key]) {
      const known = Object.keys(config.sources);
      throw new CrmPulseError('config', `[config] ${file}: schedules.sync.${key}: no source '${key}'`, {
        hint: known.length ? `known sources: ${known.join(', ')}` : 'add the source under sources:',
      });
    }
    jobs.push({ name: `sync:${key}`, schedule: { cron: parseCron(expr) }, run: () => actions.sync(key), followedBy: 'evaluate' });
  }
  const help = actions.helpEvaluate;
  jobs.push({
    name: 'evaluate',
    schedule: { cron: parseCron(s.evaluate) },
    run: (_tick, lease) => actions.evaluate(lease),
    ...(help ? { help: (lease: TickRun) => help(lease) } : {}),
  });
  jobs.push({ name: 'deliver', schedule: { everyMs: parseDuration(s.deliver_every)! }, run: () => actions.deliver() });
  const digest = actions.digest;
  if (digest) {
    for (const d of config.digests) {
      jobs.push({
        name: `digest:${d.name}`,
        schedule: { cron: parseCron(d.schedule), ...(d.timezone ? { timeZone: d.timezone } : {}) },
        run: (tick) => digest(d.name, tick),
      });
    }
  }
  return jobs;
}

/** The lease length of `schedules.lease`, in milliseconds. */
export function leaseMs(config: Pick<Config, 'schedules'>): number {
  return parseDuration(config.schedules.lease)!;
}
