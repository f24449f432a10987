import type { AlertNotification } from '../domain/alert.ts';
import { targetsInForce } from '../store/kpi-targets.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { acknowledgeEpisode, audit, auditLog, findEpisode, lastTick, openEpisodes, type EpisodeRow } from '../store/alert-store.ts';
import { latestSentPayload, outboxHealth, type OutboxRow } from '../store/alert-outbox.ts';
import { activeSilences, createSilence, endSilences, type SilenceMatchers, type SilenceRow } from '../store/silences.ts';
import type { KpiSeries } from '../kpi/evaluate-kpi.ts';
import { backtest, type BacktestReport } from './backtest.ts';
import type { RetryOptions } from '../lib/retry.ts';
import { alertOutbox } from './alert-outbox.ts';
import { deliverOutbox, type DeliveryReport } from './deliver-outbox.ts';
import { evaluateAlerts, type AlertsDeps, type TickReport } from './evaluate-alerts.ts';
import type { Notifier } from './notifier.ts';
import { shareTick, workTickItems, type TickShare } from './share-tick.ts';

/** Open episodes, silences in force and the health of the outbox: what `alerts` and `/kpi alerts` show. */
export interface AlertsOverview {
  readonly open: readonly EpisodeRow[];
  readonly silences: readonly SilenceRow[];
  readonly outbox: { readonly counts: Readonly<Record<string, number>>; readonly failed: readonly OutboxRow[] };
}

/** The alert operations the CLI, local mode and Slack call. */
export interface AlertsService {
  /** one evaluation tick at `now` */
  evaluate(now: Date, options?: { rules?: readonly string[] }): Promise<TickReport>;
  /**
   * the scheduled evaluation tick at `now`, under the scheduler's lease: on PostgreSQL split into work
   * items that every replica takes from (share-tick.ts); on SQLite, one writer, run whole as `evaluate`
   */
  evaluateTick(now: Date, lease: TickShare): Promise<TickReport>;
  /** works on the evaluation tick another replica holds (PostgreSQL); resolves whether this replica did any of it */
  helpTick(lease: TickShare): Promise<boolean>;
  /** sends the due notifications through the outbox's delivery loop (deliver-outbox.ts; default retry: OUTBOX_RETRY) */
  deliver(notifier: Notifier<AlertNotification>, now: Date | (() => Date), retry?: Pick<RetryOptions, 'policy' | 'random'>): Promise<DeliveryReport>;
  /** what the named rules, or every rule on a KPI, would have done between two dates */
  backtest(selector: { rule?: string; kpi?: string }, from: Date, to: Date): Promise<BacktestReport[]>;
  overview(now: Date): Promise<AlertsOverview>;
  acknowledge(episodeId: number, actor: string, now: Date): Promise<EpisodeRow>;
  /** mutes one episode for a while, or until the next successful sync */
  snooze(episodeId: number, until: Date | 'sync', actor: string, now: Date): Promise<SilenceRow>;
  silence(matchers: SilenceMatchers, until: Date, actor: string, reason: string, now: Date): Promise<SilenceRow>;
  unsilence(id: number, actor: string, now: Date): Promise<void>;
  /** ends "until the next sync" snoozes; called after every successful sync */
  syncCompleted(now: Date): Promise<number>;
  audit(limit?: number): ReturnType<typeof auditLog>;
  /** when the latest tick ran, if any */
  lastTick(): Promise<Date | undefined>;
  /** audits a mutating request refused because the user is not an admin */
  recordRefusal(actor: string, what: string, now: Date): Promise<void>;
  /** what an episode's card shows: its latest notification, who acknowledged it, a snooze in force */
  card(episodeId: number, now: Date): Promise<EpisodeCard | undefined>;
}

/** The state of an episode's card. */
export interface EpisodeCard {
  readonly notification: AlertNotification;
  readonly acknowledgedBy?: string;
  readonly snoozed?: { readonly by: string; readonly until: string };
}

/** Where evaluation times go (lib/metrics.ts implements it for /metrics). */
export interface EvaluationMetrics {
  /** starts timing one evaluation tick; the result is called when it ends */
  evaluationStarted(): (outcome: 'ok' | 'failed') => void;
}

/**
 * The alert operations over one store and config.
 * @example const alerts = alertsService(deps, log); await alerts.evaluate(now); await alerts.deliver(notifier, now);
 */
export function alertsService(deps: AlertsDeps, log: Logger, metrics?: EvaluationMetrics): AlertsService {
  const episode = async (id: number) => {
    const row = await findEpisode(deps.db, id);
    if (!row)
      throw new CrmPulseError('usage', `[alerts] no alert episode ${id}`, { hint: 'run `crm-pulse alerts` to see the open episodes and their numbers' });
    return row;
  };
  const timed = async (tick: () => Promise<TickReport>) => {
    const done = metrics?.evaluationStarted();
    try {
      const report = await tick();
      done?.('ok');
      return report;
    } catch (error) {
      done?.('failed');
      throw error;
    }
  };
  return {
    evaluate: (now, options) => timed(() => evaluateAlerts(deps, now, options)),
    evaluateTick: (now, lease) => timed(() => (deps.db.dialect === 'postgres' ? shareTick(deps, lease, now, { log }) : evaluateAlerts(deps, now))),
    async helpTick(lease) {
      return deps.db.dialect === 'postgres' && (await workTickItems(deps, lease, { log })) > 0;
    },
    deliver: (notifier, now, retry) => deliverOutbox(alertOutbox(deps.db), notifier, now, log, retry),
    async backtest(selector, from, to) {
      if (!(to > from))
        throw new CrmPulseError('usage', `[backtest] --to (${to.toISOString().slice(0, 10)}) must be after --from (${from.toISOString().slice(0, 10)})`);
      const rules = Object.entries(deps.alerts.rules).filter(([name, r]) =>
        selector.rule ? name === selector.rule : selector.kpi ? r.kpi === selector.kpi : true,
      );
      if (rules.length === 0) {
        const what = selector.rule ? `rule '${selector.rule}'` : selector.kpi ? `rule on KPI '${selector.kpi}'` : 'rule';
        throw new CrmPulseError('usage', `[backtest] no ${what} under alerts.rules`, {
          hint: `known rules: ${Object.keys(deps.alerts.rules).join(', ') || 'none'}`,
        });
      }
      const cache = new Map<string, Promise<KpiSeries>>();
      const ctx = {
        db: deps.db,
        kpis: deps.kpis,
        calendar: deps.calendar,
        targets: await targetsInForce(deps.db, deps.targets),
        annotations: deps.alerts.annotations,
        cache,
      };
      const out: BacktestReport[] = [];
      for (const [name] of rules) out.push(await backtest(ctx, deps.alerts, name, from, to));
      return out;
    },
    async overview(now) {
      return { open: await openEpisodes(deps.db), silences: await activeSilences(deps.db, now), outbox: await outboxHealth(deps.db) };
    },
    async acknowledge(id, actor, now) {
      const e = await episode(id);
      if (e.endedAt) throw new CrmPulseError('usage', `[alerts] episode ${id} already resolved at ${e.endedAt.toISOString()}`);
      await acknowledgeEpisode(deps.db, id, actor, now);
      return episode(id);
    },
    async snooze(id, until, actor, now) {
      const e = await episode(id);
      const matchers = { episode: e.id };
      const reason = until === 'sync' ? 'snoozed until the next data sync' : `snoozed until ${until.toISOString()}`;
      return createSilence(
        deps.db,
        { matchers, startsAt: now, endsAt: until === 'sync' ? null : until, untilSync: until === 'sync', createdBy: actor, reason },
        now,
      );
    },
    async silence(matchers, until, actor, reason, now) {
      if (Object.keys(matchers).length === 0)
        throw new CrmPulseError('usage', '[alerts] a silence needs at least one matcher', { hint: 'give --kpi, --rule, --dimension or --severity' });
      if (!(until > now)) throw new CrmPulseError('usage', `[alerts] a silence must end in the future (it ends ${until.toISOString()})`);
      return createSilence(deps.db, { matchers, startsAt: now, endsAt: until, untilSync: false, createdBy: actor, reason }, now);
    },
    async unsilence(id, actor, now) {
      if ((await endSilences(deps.db, { id }, actor, now)) === 0) throw new CrmPulseError('usage', `[alerts] no silence ${id} in force`);
    },
    syncCompleted: (now) => endSilences(deps.db, { untilSync: true }, 'sync', now),
    audit: (limit) => auditLog(deps.db, limit),
    lastTick: () => lastTick(deps.db),
    recordRefusal: (actor, what, now) => audit(deps.db, { at: now, actor, action: 'refused', subject: what }),
    async card(id, now) {
      const payload = await latestSentPayload(deps.db, id);
      const e = await findEpisode(deps.db, id);
      if (!payload || !e) return undefined;
      const snooze = (await activeSilences(deps.db, now)).find((s) => s.matchers.episode === id);
      return {
        notification: JSON.parse(payload) as AlertNotification,
        ...(e.acknowledgedBy ? { acknowledgedBy: e.acknowledgedBy } : {}),
        ...(snooze
          ? { snoozed: { by: snooze.createdBy, until: snooze.untilSync ? 'next sync' : snooze.endsAt!.toISOString().slice(0, 16).replace('T', ' ') } }
          : {}),
      };
    },
  };
}

/** The notification a queued row carries. */
export function notificationOf(row: OutboxRow): AlertNotification {
  return JSON.parse(row.payload) as AlertNotification;
}
