import type { Env } from './config/env.ts';
import { loadConfig, DEFAULT_CONFIG_FILE, type LoadedConfig } from './config/load-config.ts';
import type { SourceConfig } from './config/config-schema.ts';
import { closestMatch } from './lib/closest-match.ts';
import { CrmPulseError } from './lib/errors.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics, type Metrics } from './lib/metrics.ts';
import { openDatabase, type Database } from './store/open-database.ts';
import { readRouting } from './store/read-routing.ts';
import type { ReaderOptions } from './store/sqlite-reader.ts';
import { migrate } from './store/migrate.ts';
import { statusReport, type ConfiguredSource, type StatusReport } from './store/status-report.ts';
import { removeSource, type RemovedSource } from './store/remove-source.ts';
import { rejectedRows, type RejectedRowRecord } from './store/rejected-rows.ts';
import { metricsSnapshot } from './store/metrics-snapshot.ts';
import { demoAnchors } from './store/demo-anchors.ts';
import { latestRecordTime, hasAnySource } from './store/data-range.ts';
import { targetsInForce } from './store/kpi-targets.ts';
import type { Connector, ProgressListener, SyncUnit } from './ingest/connector.ts';
import { csvConnector } from './ingest/connectors/csv.ts';
import { hubspotConnector } from './ingest/connectors/hubspot.ts';
import { salesforceConnector } from './ingest/connectors/salesforce.ts';
import type { ApiConnectorDeps } from './ingest/api/api-connector-deps.ts';
import { demoConnector } from './ingest/connectors/demo.ts';
import { syncSource, type UnitResult } from './ingest/sync-source.ts';
import type { Calendar } from './domain/period.ts';
import { kpiRegistry, type KpiRegistry } from './kpi/kpi-registry.ts';
import { periodContaining } from './kpi/periods.ts';
import { kpiReport, type KpiReport, type KpiReportRequest } from './kpi/kpi-report.ts';
import { kpiForecast, type KpiForecast, type KpiForecastRequest } from './kpi/kpi-forecast.ts';
import { kpiForecastAccuracy, type ForecastAccuracy, type ForecastAccuracyRequest } from './kpi/kpi-forecast-accuracy.ts';
import { rfmSegments, type RfmResult } from './kpi/rfm.ts';
import { cohortRetention, type CohortMatrix, type CohortOptions } from './kpi/cohorts.ts';
import type { ClvOptions, ClvReport } from './kpi/clv/predict-clv.ts';
import { cachedClv } from './kpi/clv/cached-clv.ts';
import { createKpiCache } from './kpi/kpi-cache.ts';
import { buildScorecard, scorecardWeights, type ScorecardReport } from './kpi/build-scorecard.ts';
import { targetStatuses, type TargetStatus } from './kpi/target-status.ts';
import { alertsService, type AlertsService } from './alerts/alerts-service.ts';
import { checkRules } from './alerts/check-rules.ts';
import { digestService, type DigestService } from './digest/digest-service.ts';
import type { AnswerRecords } from './answers/command-deps.ts';
import { answerRecords } from './app/answer-records.ts';

/** Key of the source that holds the generated demo tickets, surveys and spend. */
export const DEMO_SOURCE_KEY = 'demo-generated';

/** Options of a sync started from the CLI or local mode. */
export interface IngestOptions {
  readonly progress?: (source: string, unit: SyncUnit) => ProgressListener | undefined;
}

/** crm-pulse wired together: config, database and the services the entry points call. */
export interface App {
  readonly env: Env;
  readonly config: LoadedConfig;
  readonly db: Database;
  /** the stored records the /kpi answers read and write (targets, subscriptions, cards, audit) */
  readonly records: AnswerRecords;
  readonly log: Logger;
  readonly clock: Clock;
  /** the Prometheus metrics of syncs, evaluations and Slack calls, served at /metrics by the bot */
  readonly metrics: Metrics;
  /** migrations applied when the app opened the database */
  readonly migrationsApplied: readonly string[];
  /** syncs one configured source */
  ingest(sourceKey: string, options?: IngestOptions): Promise<UnitResult[]>;
  /** loads the bundled datasets and generates the demo data linked to them */
  ingestDemo(options?: IngestOptions): Promise<UnitResult[]>;
  /** the configured sources' status, and what sources no longer configured left behind */
  status(): Promise<StatusReport>;
  /** every rejected row of a source (optionally of one kind); undefined when no source has that key */
  rejectedRows(key: string, options?: { kind?: string }): Promise<RejectedRowRecord[] | undefined>;
  /** deletes one source with every record, run and rejected row it stored; undefined when it has none */
  removeSource(key: string): Promise<RemovedSource | undefined>;
  hasData(): Promise<boolean>;
  /** the latest record time in the store: local mode's default clock */
  dataEnd(): Promise<Date | undefined>;
  /** the KPIs in force: the built-in catalog with the config's changes */
  readonly kpis: KpiRegistry;
  /** how periods are cut: the config's time zone and fiscal year */
  readonly calendar: Calendar;
  /** a KPI over periods with comparisons, and a breakdown when asked */
  kpiReport(key: string, request: KpiReportRequest): Promise<KpiReport>;
  /** a KPI forecast: the method chosen by AICc, its intervals, per dimension value when asked */
  kpiForecast(key: string, request: KpiForecastRequest): Promise<KpiForecast>;
  /** a rolling-origin backtest of the forecast against naive and seasonal naive */
  forecastAccuracy(key: string, request: ForecastAccuracyRequest): Promise<ForecastAccuracy>;
  /** RFM segments of the customers at a reference date */
  segments(asOf: Date): Promise<RfmResult>;
  /** monthly cohort retention */
  cohorts(options?: CohortOptions): Promise<CohortMatrix>;
  /** predictive CLV (BG/NBD + Gamma-Gamma) and the customers at risk, at a reference date */
  clv(asOf: Date, options?: Omit<ClvOptions, 'asOf'>): Promise<ClvReport>;
  /** the weighted Balanced Scorecard of the period containing asOf, against the targets in force */
  scorecard(asOf: Date): Promise<ScorecardReport>;
  /** progress towards each SMART target: the config's, replaced by those set with /kpi target; `only`: one KPI's alone */
  targets(asOf: Date, only?: string): Promise<TargetStatus[]>;
  /** alert rules: evaluation ticks, delivery, backtests, silences and acknowledgements */
  readonly alerts: AlertsService;
  /** weekly digests: built on their schedules, queued once per recipient and week, sent through the outbox */
  readonly digests: DigestService;
  /** the reference date: an explicit one, else CRM_PULSE_AS_OF, local.as_of, the end of the data */
  asOf(explicit?: string): Promise<Date>;
  /** the bot's: SQLite reads outside transactions run on a reader thread from now on (PostgreSQL is async already) */
  offloadReads(options?: ReaderOptions): void;
  /** a token that changes whenever anything is committed to the database; undefined when the engine gives none */
  dataVersion(): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Every check of a loaded config that needs the KPIs: formulas, scorecard KPIs and AHP matrices,
 * targets, digests and alert rules. `start` and `config check` both run exactly this; each error
 * names the file, line and path. Returns the KPIs in force.
 * @example const kpis = checkConfig(loadConfig('crm-pulse.yaml', { explicit: true }));
 */
export function checkConfig(config: LoadedConfig): KpiRegistry {
  const kpis = kpiRegistry(config.config.kpis, config.where, sourcesCurrency(config), config.config.samples);
  scorecardWeights(kpis, config.config.scorecard, config.where); // an unknown KPI or inconsistent AHP matrix stops start-up
  const known = kpis.all.map((k) => k.key);
  const problems: string[] = [];
  const unknown = (key: string, path: (string | number)[]) => {
    if (known.includes(key)) return;
    const guess = closestMatch(key, known);
    problems.push(`[config] ${config.where(path)}: unknown KPI '${key}'${guess ? `; did you mean '${guess}'?` : ''}`);
  };
  for (const key of Object.keys(config.config.targets)) unknown(key, ['targets', key]);
  config.config.digests.forEach((d, i) => d.kpis?.forEach((key, j) => unknown(key, ['digests', i, 'kpis', j])));
  if (problems.length) {
    throw new CrmPulseError('config', problems.join('\n'), { hint: 'use a key that crm-pulse kpi lists, or define the KPI under kpis:' });
  }
  checkRules(config.config.alerts, kpis, config.config.targets, config.where);
  return kpis;
}

/**
 * Builds the app: reads the config, opens the database (`readOnly`: only one that exists) and applies migrations. This is the only
 * place that wires config, store and ingest together.
 * @example const app = await createApp(readEnv(), createLogger()); await app.ingestDemo();
 */
export async function createApp(env: Env, log: Logger, clock: Clock = systemClock, options: { readonly readOnly?: boolean } = {}): Promise<App> {
  const config = loadConfig(env.configPath, { explicit: env.configPathExplicit });
  const kpis = checkConfig(config);
  const calendar: Calendar = { timeZone: config.config.timezone, fiscalYearStartMonth: config.config.fiscal_year_start_month };
  // A command that only reads never creates storage: a missing SQLite file is an error for it.
  const reads = readRouting(await openDatabase(env.databaseUrl, { create: !options.readOnly }));
  const db = reads.db;
  let migrationsApplied: string[];
  try {
    migrationsApplied = await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const isKpi = (key: string) => kpis.all.some((k) => k.key === key);
  const scorecard = async (asOf: Date) =>
    buildScorecard(db, kpis, config.config.scorecard, await targetsInForce(db, config.config.targets, isKpi), asOf, calendar);
  // `only`: one KPI's target, so that a /kpi answer does not evaluate every other KPI with a target.
  const targets = async (asOf: Date, only?: string) => {
    const inForce = await targetsInForce(db, config.config.targets, isKpi);
    return targetStatuses(db, kpis, only === undefined ? inForce : Object.fromEntries(Object.entries(inForce).filter(([key]) => key === only)), asOf, calendar);
  };
  const metrics = createMetrics({ snapshot: () => metricsSnapshot(db) });
  const deps = (options?: IngestOptions) => ({ db, clock, log, metrics, ...(options?.progress ? { progress: options.progress } : {}) });
  // The KPI cache lives as long as the app: a steady tick reads the data versions and little else,
  // and /kpi answers share the values of ranges that no change since could reach (the same trend
  // under another breakdown, a range a tick has just computed).
  const kpiCache = createKpiCache({ rollups: env.rollups });
  const alerts = alertsService({ db, kpis, calendar, alerts: config.config.alerts, targets: config.config.targets, kpiCache }, log, metrics);
  const digests = digestService({ db, kpis, calendar, config, alerts, scorecard, targets }, config.config, log);
  // A snooze "until the next sync" ends when a sync of any source succeeds.
  const afterSync = async (results: UnitResult[]) => {
    if (results.some((r) => r.status === 'succeeded')) await alerts.syncCompleted(clock.now());
    return results;
  };
  const sync = async (key: string, source: SourceConfig, dir: string, options?: IngestOptions) =>
    afterSync(
      await syncSource(
        deps(options),
        { key, kind: source.kind, name: source.name ?? key },
        connectorFor(source, dir, { key, env: env.vars, log, clock, http: { timeoutMs: env.httpTimeoutMs } }),
      ),
    );

  return {
    env,
    config,
    db,
    records: answerRecords(db),
    log,
    clock,
    metrics,
    migrationsApplied,
    async ingest(sourceKey, options) {
      const source = config.config.sources[sourceKey];
      if (!source) {
        const known = Object.keys(config.config.sources);
        throw new CrmPulseError('usage', `[ingest] no source '${sourceKey}' in ${config.file}`, {
          hint: known.length ? `known sources: ${known.join(', ')}` : 'add one under sources: in the config, or run ingest --demo',
        });
      }
      return sync(sourceKey, source, config.dir, options);
    },
    async ingestDemo(options) {
      // The demo always uses the bundled mappings, whatever the user's config says.
      const bundled = config.isDefault ? config : loadConfig(DEFAULT_CONFIG_FILE, { explicit: true });
      const results: UnitResult[] = [];
      for (const [key, source] of Object.entries(bundled.config.sources)) {
        results.push(...(await sync(key, source, bundled.dir, options)));
      }
      const generator = demoConnector(await demoAnchors(db), config.config.demo.seed);
      results.push(
        ...(await afterSync(
          await syncSource(deps(options), { key: DEMO_SOURCE_KEY, kind: 'demo', name: 'Generated demo data (tickets, surveys, spend)' }, generator),
        )),
      );
      return results;
    },
    status: () => statusReport(db, { configured: configuredSources(config) }),
    rejectedRows: (key, options) => rejectedRows(db, key, options),
    async removeSource(key) {
      return removeSource(db, key);
    },
    kpis,
    calendar,
    kpiReport: (key, request) => kpiReport(db, kpis.get(key), request, calendar, { cache: kpiCache.view(db) }),
    kpiForecast: (key, request) => kpiForecast(db, kpis.get(key), request, calendar),
    forecastAccuracy: (key, request) => kpiForecastAccuracy(db, kpis.get(key), request, calendar),
    segments: (asOf) => rfmSegments(db, { asOf }),
    cohorts: (options) => cohortRetention(db, options),
    // One fit per as-of and data version, shared with the clv_predicted and customers_at_risk KPIs.
    clv: (asOf, options) => cachedClv(db, { ...options, asOf }),
    // Targets set with /kpi target (stored) replace the config's, KPI by KPI.
    scorecard,
    targets,
    alerts,
    digests,
    async asOf(explicit) {
      const chosen = explicit ?? env.asOf ?? config.config.local.as_of;
      if (chosen === undefined) return (await latestRecordTime(db)) ?? clock.now();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(chosen) || Number.isNaN(Date.parse(chosen))) {
        throw new CrmPulseError('usage', `[cli] --as-of '${chosen}' is not a date`, { hint: 'write it as YYYY-MM-DD, e.g. --as-of 2017-12-31' });
      }
      // The end of that day: "as of 2017-12-31" includes the 31st.
      return new Date(periodContaining(new Date(`${chosen}T12:00:00Z`), 'day', calendar).end.getTime() - 1);
    },
    hasData: () => hasAnySource(db),
    dataEnd: () => latestRecordTime(db),
    offloadReads: (options) => reads.offload(options),
    dataVersion: () => reads.dataVersion(),
    close: () => db.close(),
  };
}

/** The currency the sources declare, when they declare one and agree; money KPIs are written in it. */
function sourcesCurrency(config: LoadedConfig): string | undefined {
  const codes = new Set(Object.values(config.config.sources).flatMap((s) => (s.kind === 'csv' && s.currency ? [s.currency] : [])));
  return codes.size === 1 ? [...codes][0] : undefined;
}

/**
 * Whether this config is the bundled demo config: only then does a first start load the demo
 * data. With the user's own config the demo never mixes into their KPIs unless they ask
 * (`ingest --demo`).
 */
export function isBundledConfig(config: LoadedConfig): boolean {
  return config.isDefault || config.file === DEFAULT_CONFIG_FILE;
}

/** The sources `status` lists: the config's, and with the bundled config its generated demo data. */
function configuredSources(config: LoadedConfig): ConfiguredSource[] {
  const own = Object.entries(config.config.sources).map(([key, s]) => ({ key, kind: s.kind, name: s.name ?? key }));
  return isBundledConfig(config) ? [...own, { key: DEMO_SOURCE_KEY, kind: 'demo', name: 'Generated demo data (tickets, surveys, spend)' }] : own;
}

/** The connector of a source; `api` carries what the CRM connectors read credentials from. */
function connectorFor(source: SourceConfig, dir: string, api: ApiConnectorDeps): Connector {
  switch (source.kind) {
    case 'csv':
      return csvConnector(source, dir);
    case 'hubspot':
      return hubspotConnector(source, api);
    case 'salesforce':
      return salesforceConnector(source, api);
  }
}
