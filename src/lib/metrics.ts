import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Alert series states, each exported even when no series is in it, so a dashboard sees zeros. */
const ALERT_STATES = ['ok', 'pending', 'firing', 'resolved', 'nodata', 'error'] as const;

/** Label values from outside (Slack error codes, method names) are kept to a safe, short shape. */
const LABEL_VALUE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Counts read from the database each time /metrics is scraped (the store computes them). */
export interface MetricsSnapshot {
  /** alert series by state; a series has a row only once it has left `ok` */
  readonly alertSeries: Readonly<Record<string, number>>;
  /** open alert episodes by current severity */
  readonly openEpisodes: Readonly<Record<string, number>>;
  /** outbox rows by outbox (`alert`, `digest`) and status */
  readonly outbox: readonly { readonly outbox: string; readonly status: string; readonly count: number }[];
}

/** What the metrics read at scrape time. */
export interface MetricsOptions {
  /** the database counts; when it throws, the DB gauges are left out and crm_pulse_database_up is 0 */
  readonly snapshot?: () => Promise<MetricsSnapshot>;
  /** Node.js process metrics (process_*, nodejs_*), from the first scrape on; default true */
  readonly processMetrics?: boolean;
}

/** How an alert evaluation ended. */
export type EvaluationOutcome =
  /** the tick ran to the end */
  | 'ok'
  /** the tick threw */
  | 'failed';

/** The process's Prometheus metrics: one registry, owned here, and the events that feed it. */
export interface Metrics {
  /** the Content-Type of `scrape()`'s text (Prometheus text format 0.0.4) */
  readonly contentType: string;
  /** every metric in Prometheus text format, with the DB gauges read now */
  scrape(): Promise<string>;
  /** one sync unit (a source's object) finished: its status, rows written and rows rejected */
  syncUnitFinished(source: string, status: string, rows: number, rejected: number): void;
  /** starts timing one alert evaluation; call the result when it ends */
  evaluationStarted(): (outcome: EvaluationOutcome) => void;
  /** a Slack Web API call failed with `error` (Slack's code, `ratelimited`, `http_<status>`, `request_failed`) */
  slackApiFailed(method: string, error: string): void;
  /** a Slack Web API call was answered 429 */
  slackRateLimited(method: string): void;
}

/**
 * Creates a registry of its own (not prom-client's global one, so tests and two apps in one
 * process never share counts) with crm-pulse's metrics.
 * @example const metrics = createMetrics({ snapshot: () => metricsSnapshot(db) }); res.end(await metrics.scrape());
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // Process metrics start with the first scrape: CLI commands, which never serve /metrics, then
  // set up no GC observer or event-loop monitor.
  let processMetrics = options.processMetrics ?? true;
  const syncRuns = new Counter({
    name: 'crm_pulse_sync_runs_total',
    help: 'Sync runs (one per source object) by source and status',
    labelNames: ['source', 'status'],
    registers,
  });
  const syncRows = new Counter({ name: 'crm_pulse_sync_rows_total', help: 'Rows written to the store by syncs', labelNames: ['source'], registers });
  const rejected = new Counter({
    name: 'crm_pulse_sync_rejected_rows_total',
    help: 'Input rows rejected by syncs (kept with their reason in rejected_rows)',
    labelNames: ['source'],
    registers,
  });
  const evaluation = new Histogram({
    name: 'crm_pulse_alert_evaluation_seconds',
    help: 'Time of one alert evaluation tick over every rule',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const series = new Gauge({
    name: 'crm_pulse_alert_series',
    help: 'Alert series by state, read from the database at scrape (ok counts only series that once left ok)',
    labelNames: ['state'],
    registers,
  });
  const episodes = new Gauge({
    name: 'crm_pulse_alert_episodes_open',
    help: 'Open alert episodes by current severity, read from the database at scrape',
    labelNames: ['severity'],
    registers,
  });
  const outbox = new Gauge({
    name: 'crm_pulse_outbox_messages',
    help: 'Outbox rows by outbox and status, read from the database at scrape',
    labelNames: ['outbox', 'status'],
    registers,
  });
  const databaseUp = new Gauge({ name: 'crm_pulse_database_up', help: "1 when the database answered the scrape's queries, else 0", registers });
  const slackErrors = new Counter({
    name: 'crm_pulse_slack_api_errors_total',
    help: 'Failed Slack Web API requests by method and error code',
    labelNames: ['method', 'error'],
    registers,
  });
  const slack429 = new Counter({
    name: 'crm_pulse_slack_api_rate_limited_total',
    help: 'Slack Web API requests answered 429 (rate limited)',
    labelNames: ['method'],
    registers,
  });

  /** Reads the DB gauges; on failure they are left empty rather than stale. */
  const readDatabase = async () => {
    if (!options.snapshot) return;
    series.reset();
    episodes.reset();
    outbox.reset();
    let snap: MetricsSnapshot;
    try {
      snap = await options.snapshot();
    } catch {
      databaseUp.set(0);
      return;
    }
    databaseUp.set(1);
    for (const state of new Set([...ALERT_STATES, ...Object.keys(snap.alertSeries)])) series.set({ state: label(state) }, snap.alertSeries[state] ?? 0);
    for (const [severity, n] of Object.entries(snap.openEpisodes)) episodes.set({ severity: label(severity) }, n);
    for (const row of snap.outbox) outbox.set({ outbox: label(row.outbox), status: label(row.status) }, row.count);
  };

  return {
    contentType: registry.contentType,
    async scrape() {
      if (processMetrics) {
        processMetrics = false;
        collectDefaultMetrics({ register: registry });
      }
      await readDatabase();
      return registry.metrics();
    },
    syncUnitFinished(source, status, rows, rejectedRows) {
      syncRuns.inc({ source: label(source), status: label(status) });
      syncRows.inc({ source: label(source) }, rows);
      rejected.inc({ source: label(source) }, rejectedRows);
    },
    evaluationStarted() {
      const end = evaluation.startTimer();
      return (outcome) => void end({ outcome });
    },
    slackApiFailed(method, error) {
      slackErrors.inc({ method: label(method), error: label(error) });
    },
    slackRateLimited(method) {
      slack429.inc({ method: label(method) });
    },
  };
}

/** A value safe as a label: unusual text becomes `other`, so no input can blow up the series count. */
function label(value: string): string {
  return LABEL_VALUE.test(value) ? value : 'other';
}
