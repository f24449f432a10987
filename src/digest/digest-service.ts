import { deliverOutbox, type DeliveryReport } from '../alerts/deliver-outbox.ts';
import type { Notifier } from '../alerts/notifier.ts';
import type { Config, DigestConfig } from '../config/config-schema.ts';
import { ticksBetween } from '../lib/due-ticks.ts';
import { parseCron } from '../lib/cron-expression.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { RetryOptions } from '../lib/retry.ts';
import { digestOutboxHealth, queueDigests, type NewDigest } from '../store/digest-outbox.ts';
import { teams, type Team } from '../store/team-directory.ts';
import { digestBuilder, type DigestDeps } from './build-digest.ts';
import type { Digest, DigestDelivery, DigestScope } from './digest.ts';
import { digestOutbox } from './digest-outbox.ts';

/** What a scheduled digest run did. */
export interface DigestRunReport {
  readonly digest: string;
  readonly period: string;
  /** digests built and queued now */
  readonly queued: number;
  /** recipients whose digest for this week was already queued or sent */
  readonly already: number;
  /** managers without a Slack user in alerts.owners: queued as failed, with the fix */
  readonly unroutable: readonly string[];
}

/** What one delivery pass did (the outbox's DeliveryReport; a digest waiting behind a retried one in its lane is left for a later pass). */
export type DigestDeliveryReport = Omit<DeliveryReport, 'waiting'>;

/** Weekly digests: built on their schedules, queued once per recipient and week, sent through the outbox. */
export interface DigestService {
  /** the configured digests */
  readonly configured: readonly DigestConfig[];
  /** builds and queues one configured digest for every recipient, for the week before `now` */
  run(name: string, now: Date): Promise<DigestRunReport>;
  /** sends due digests through the alerts' delivery loop (alerts/deliver-outbox.ts); marks each sent only after the notifier succeeded */
  deliver(notifier: Notifier<DigestDelivery>, now: Date | (() => Date)): Promise<DigestDeliveryReport>;
  /** the digest a manager (or, without one, the company) would get for the week before `now`, built now and not queued */
  preview(manager: string | undefined, now: Date): Promise<Digest>;
  /** the manager a Slack user is, by alerts.owners, if any */
  managerOf(userId: string): Promise<string | undefined>;
  /** queued digests by status, and the latest that failed for good, for status */
  health(): ReturnType<typeof digestOutboxHealth>;
  /** when each configured digest next goes out after `now`, in its time zone (within 35 days) */
  upcoming(now: Date): UpcomingDigest[];
}

/** A configured digest's next run. */
export interface UpcomingDigest {
  readonly name: string;
  readonly to: string;
  readonly timeZone: string;
  /** undefined when the schedule does not fire within 35 days (e.g. 29 February) */
  readonly next: Date | undefined;
}

/**
 * The digest service over the app's KPI and alert services. A manager digest goes as a direct
 * message to the manager's Slack user (alerts.owners), a channel digest to its channel. Queuing is
 * idempotent per digest, recipient and week, so a rerun of a tick or a second replica never sends
 * one twice.
 * @example const digests = digestService(app, app.config.config, app.log); await digests.run('team-weekly', now);
 */
export function digestService(
  deps: DigestDeps,
  config: Pick<Config, 'digests' | 'alerts' | 'timezone'>,
  log: Logger,
  retry: Pick<RetryOptions, 'policy' | 'random'> = {},
): DigestService {
  const configured = config.digests;
  const slackUser = (name: string) => config.alerts.owners[name];
  const teamOf = async (manager: string): Promise<Team> => {
    const all = await teams(deps.db);
    const team = all.find((t) => t.manager.toLowerCase() === manager.toLowerCase());
    if (!team) {
      throw new CrmPulseError('usage', `[digest] no manager '${manager}' in the owners data`, {
        hint: all.length ? `managers: ${all.map((t) => t.manager).join(', ')}` : 'the owners data names no managers; sync a source with owners first',
      });
    }
    return team;
  };

  return {
    configured,
    async run(name, now) {
      const d = configured.find((c) => c.name === name);
      if (!d)
        throw new CrmPulseError('usage', `[digest] no digest '${name}' in the config`, {
          hint: configured.length ? `digests: ${configured.map((c) => c.name).join(', ')}` : 'add one under digests:',
        });
      const builder = digestBuilder(deps, now);
      const recipients: { recipient: string; target: string; scope: DigestScope }[] = [];
      if (d.to === 'managers') {
        const all = await teams(deps.db);
        const wanted = d.managers ? all.filter((t) => d.managers!.some((m) => m.toLowerCase() === t.manager.toLowerCase())) : all;
        for (const t of wanted)
          recipients.push({ recipient: t.manager, target: slackUser(t.manager) ?? '', scope: { kind: 'manager', manager: t.manager, agents: t.agents } });
      } else recipients.push({ recipient: d.to, target: d.to, scope: { kind: 'company' } });
      const rows: NewDigest[] = [];
      let period = '';
      for (const r of recipients) {
        const digest = await builder.build(d.name, r.scope, d.kpis);
        period = digest.period.label;
        rows.push({
          dedupKey: `${d.name}|${r.recipient}|${digest.period.label}`,
          digest: d.name,
          recipient: r.recipient,
          target: r.target,
          period: digest.period.label,
          payload: JSON.stringify(digest),
        });
      }
      const queued = await queueDigests(deps.db, rows, now);
      const unroutable = recipients.filter((r) => r.target === '').map((r) => r.recipient);
      log.info({ digest: d.name, period, queued, recipients: recipients.length }, 'digest built');
      if (unroutable.length) log.warn({ digest: d.name, managers: unroutable }, 'digest: managers without a Slack user in alerts.owners are not sent');
      return { digest: d.name, period, queued, already: rows.length - queued, unroutable };
    },
    async deliver(notifier, now) {
      const { sent, retrying, failed } = await deliverOutbox(digestOutbox(deps.db), notifier, now, log, retry);
      return { sent, retrying, failed };
    },
    async preview(manager, now) {
      const scope: DigestScope =
        manager === undefined ? { kind: 'company' } : await teamOf(manager).then((t) => ({ kind: 'manager', manager: t.manager, agents: t.agents }));
      const kpis = configured.find((c) => (scope.kind === 'manager' ? c.to === 'managers' : c.to !== 'managers'))?.kpis;
      return digestBuilder(deps, now).build('preview', scope, kpis);
    },
    health: () => digestOutboxHealth(deps.db),
    upcoming(now) {
      return configured.map((d) => {
        const timeZone = d.timezone ?? config.timezone;
        const next = ticksBetween(parseCron(d.schedule), timeZone, now, new Date(now.getTime() + 35 * 86_400_000))[0];
        return { name: d.name, to: d.to, timeZone, next };
      });
    },
    async managerOf(userId) {
      const names = Object.entries(config.alerts.owners)
        .filter(([, id]) => id === userId)
        .map(([name]) => name);
      const managers = new Set((await teams(deps.db)).map((t) => t.manager));
      return names.find((n) => managers.has(n));
    },
  };
}
