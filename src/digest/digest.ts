import type { Direction, KpiUnit } from '../domain/kpi.ts';
import type { Severity } from '../domain/alert.ts';

/** Whom a digest is about: the whole company, or one manager's team of agents. */
export type DigestScope =
  /** every record: a channel digest */
  | { readonly kind: 'company' }
  /** the records of the manager's agents (CRM owners whose manager is this name) */
  | { readonly kind: 'manager'; readonly manager: string; readonly agents: readonly string[] };

/** What drove a KPI's change most: the dimension value with the largest effect. */
export interface DigestDriver {
  readonly dimension: string;
  readonly key: string;
  /** its share of the change in the KPI's unit, or its own change when the KPI does not split */
  readonly effect: number;
}

/** One KPI of a digest: last week against the week before, and how unusual that is. */
export interface DigestKpi {
  readonly key: string;
  readonly unit: KpiUnit;
  /** for a money KPI: the ISO code its values are written with */
  readonly currency?: string;
  readonly direction?: Direction;
  readonly value: number | null;
  readonly previous: number | null;
  /** value − previous */
  readonly change: number | null;
  /** why there is no value, e.g. no closed deals */
  readonly reason?: string;
  /** n, the sample behind the week's value, for a KPI with a sample size */
  readonly n?: number | null;
  /** n is under the KPI's minimum sample: never "most unusual", never on or off track */
  readonly low?: boolean;
  /** the KPI's minimum sample, when it has a sample size */
  readonly minSample?: number;
  /**
   * robust z of the week's value against the 12 weeks before it: what the digest sorts by; null
   * without a value or with fewer than 4 earlier weeks
   */
  readonly z: number | null;
  /** the last weeks, oldest first, for the small-multiples chart */
  readonly points: readonly { readonly period: string; readonly value: number | null }[];
  /**
   * the KPI's SMART target, which is company-wide. In a company digest `onTrack` is its progress
   * (null when the week has no value or a low-confidence one). In a team digest `company` is true,
   * `onTrack` is null (the company's pace says nothing of the team) and `meets` says whether the
   * team's value meets the target's level, only for a KPI whose value does not depend on the
   * period's length (a rate or an average, not a sum); null otherwise.
   */
  readonly target?: {
    readonly target: number;
    readonly deadline: string;
    readonly progress: number | null;
    readonly onTrack: boolean | null;
    readonly company?: boolean;
    readonly meets?: boolean | null;
  };
  /** the biggest contributor to the change, for the top movers */
  readonly driver?: DigestDriver;
}

/** A KPI forecast to miss its SMART target, from the forecast of the deadline period (its total for a sum or count). */
export interface DigestForecast {
  readonly key: string;
  /** the deadline period, e.g. 2018-Q1 */
  readonly period: string;
  /** the shortfall in percent of the target */
  readonly missBy: number;
  /** the probability of missing, 0–1 */
  readonly probability: number;
}

/** An open alert in a digest, with where its card is. */
export interface DigestAlert {
  readonly id: number;
  readonly kpi: string;
  readonly severity: Severity;
  readonly seriesKey: string;
  readonly startedAt: string;
  readonly lastValue: number | null;
  /** channel and notifier ref of each posted card */
  readonly threads: readonly { readonly channel: string; readonly ref: string }[];
}

/** How fresh the data behind a digest is. */
export interface DigestFreshness {
  readonly sources: readonly { readonly key: string; readonly name: string; readonly lastSuccess: string | null; readonly stale: boolean }[];
  /** the latest record time in the store */
  readonly latestRecord: string | null;
  /** a source is older than its data-health limit, or no record falls in the digest's week */
  readonly stale: boolean;
}

/** A weekly digest as built: numbers of the moment it was built, rendered when it is sent. */
export interface Digest {
  /** the digest's name in the config, or `preview` */
  readonly name: string;
  readonly scope: DigestScope;
  /** the week covered, e.g. 2017-W52, and the week before */
  readonly period: { readonly label: string; readonly start: string; readonly end: string };
  readonly previousLabel: string;
  readonly builtAt: string;
  /** the KPIs in scope, most unusual first */
  readonly kpis: readonly DigestKpi[];
  /** keys of the top movers (at most 3), with their drivers in `kpis` */
  readonly movers: readonly string[];
  readonly alerts: readonly DigestAlert[];
  /** KPIs forecast to miss their target's deadline period: by how much (percent of the target) and how likely */
  readonly forecasts?: readonly DigestForecast[];
  readonly scorecard: {
    readonly period: string;
    readonly composite: number | null;
    readonly perspectives: readonly { readonly perspective: string; readonly score: number | null }[];
  } | null;
  readonly freshness: DigestFreshness;
}

/** A queued digest as its notifier (`Notifier<DigestDelivery>`, alerts/notifier.ts) is handed it: its identity and where it goes. */
export interface DigestDelivery {
  readonly dedupKey: string;
  /** a Slack user ID (direct message) or a channel, as configured */
  readonly target: string;
  readonly digest: Digest;
}
