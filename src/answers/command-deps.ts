import type { AlertsService } from '../alerts/alerts-service.ts';
import type { Config } from '../config/config-schema.ts';
import type { Calendar } from '../domain/period.ts';
import type { CohortMatrix, CohortOptions } from '../kpi/cohorts.ts';
import type { ClvReport } from '../kpi/clv/predict-clv.ts';
import type { KpiRegistry } from '../kpi/kpi-registry.ts';
import type { KpiReport, KpiReportRequest } from '../kpi/kpi-report.ts';
import type { KpiForecast, KpiForecastRequest } from '../kpi/kpi-forecast.ts';
import type { RfmResult } from '../kpi/rfm.ts';
import type { ScorecardReport } from '../kpi/build-scorecard.ts';
import type { TargetStatus } from '../kpi/target-status.ts';
import type { DigestService } from '../digest/digest-service.ts';
import type { TargetDefinition } from '../domain/kpi.ts';
import type { StatusReport } from '../domain/status-report.ts';

/**
 * What the /kpi commands need from crm-pulse: a subset of the App (src/app.ts), which satisfies it
 * as it is, so that Slack and local mode pass the same app.
 */
export interface CommandDeps {
  readonly kpis: KpiRegistry;
  readonly calendar: Calendar;
  readonly config: { readonly config: Pick<Config, 'alerts' | 'targets' | 'slack' | 'scorecard'> };
  /** the targets, subscriptions, alert cards and audit log the answers read and write */
  readonly records: AnswerRecords;
  readonly alerts: Pick<AlertsService, 'overview' | 'acknowledge' | 'silence' | 'snooze' | 'card'>;
  kpiReport(key: string, request: KpiReportRequest): Promise<KpiReport>;
  /** a KPI forecast with its intervals, per dimension value when asked */
  kpiForecast(key: string, request: KpiForecastRequest): Promise<KpiForecast>;
  segments(asOf: Date): Promise<RfmResult>;
  cohorts(options?: CohortOptions): Promise<CohortMatrix>;
  /** predictive CLV and the customers at risk at a reference date */
  clv(asOf: Date): Promise<ClvReport>;
  scorecard(asOf: Date): Promise<ScorecardReport>;
  /** progress towards the targets in force; `only`: that KPI's alone (the others are not evaluated) */
  targets(asOf: Date, only?: string): Promise<TargetStatus[]>;
  status(): Promise<StatusReport>;
  /** the latest record time, for data freshness */
  dataEnd(): Promise<Date | undefined>;
  /** weekly digests, built on demand for `/kpi digest` */
  readonly digests: Pick<DigestService, 'preview' | 'managerOf' | 'health'>;
}

/**
 * The stored records the /kpi answers read and write, which app.ts implements over the store, so
 * that the answers never reach the database themselves.
 */
export interface AnswerRecords {
  /** appends to the audit log */
  audit(entry: { at: Date; actor: string; action: string; subject: string; detail?: unknown }): Promise<void>;
  /** the targets set with `/kpi target`, by KPI key */
  storedTargets(): Promise<Readonly<Record<string, TargetDefinition>>>;
  /** stores (or replaces) a KPI's target, audited in the same transaction */
  setKpiTarget(kpi: string, target: TargetDefinition, actor: string, now: Date): Promise<unknown>;
  /** subscribes a channel to KPIs' alerts; the KPIs newly added */
  subscribeChannel(channel: string, kpis: readonly string[], actor: string, now: Date): Promise<string[]>;
  /** unsubscribes a channel; the KPIs removed */
  unsubscribeChannel(channel: string, kpis: readonly string[], actor: string, now: Date): Promise<string[]>;
  /** where these episodes' cards were posted: channel and the notifier's ref */
  episodeThreads(episodeIds: readonly number[]): Promise<readonly { episodeId: number; channel: string; ref: string }[]>;
  /** one episode, if it exists */
  findEpisode(id: number): Promise<{ readonly endedAt: Date | null } | undefined>;
}

/**
 * How a transport wants some things shown, fixed for the service. None yet: the link to an alert
 * card is asked per request (CommandContext.threadLink), with the asker's Slack client.
 */
export interface CommandOptions {}
