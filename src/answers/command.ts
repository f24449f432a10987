import type { Grain, Period } from '../domain/period.ts';

/** The /kpi subcommands, as their help topics are named. */
export type CommandName =
  /** usage with examples */
  | 'help'
  /** every KPI with its latest value */
  | 'list'
  /** `<kpi> [period] [by <dimension>] [as of <date>]`: a KPI's value, changes, target and chart */
  | 'kpi'
  /** `chart <kpi> …`: the chart alone */
  | 'chart'
  /** `why <kpi> [period] [by <dimension>]`: the contributions to the change */
  | 'why'
  /** open alert episodes */
  | 'alerts'
  /** `ack <alert id>` */
  | 'ack'
  /** `silence <kpi|alert id> <duration> [reason]` */
  | 'silence'
  /** `snooze <alert id> <duration|sync>`: mutes one alert for a while, or until the next data sync */
  | 'snooze'
  /** RFM segments */
  | 'segments'
  /** cohort retention */
  | 'cohorts'
  /** the weighted scorecard */
  | 'scorecard'
  /** predictive CLV (BG/NBD + Gamma-Gamma), total and per RFM segment */
  | 'clv_predicted'
  /** `customers at risk`: valuable customers the model thinks have left */
  | 'at_risk'
  /** `target <kpi> <value> by <date>` */
  | 'target'
  /** `subscribe <#channel> <kpi…>` */
  | 'subscribe'
  /** `unsubscribe <#channel> <kpi…>` */
  | 'unsubscribe'
  /** `digest [preview]` */
  | 'digest'
  /** sources, syncs, rejected rows, freshness, failed deliveries */
  | 'status'
  /** `forecast <kpi> [by <dimension>] [next <n> <periods>]`: the forecast with its intervals and chart */
  | 'forecast';

/** The subcommands in the order help lists them. */
export const COMMAND_NAMES: readonly CommandName[] = [
  'help',
  'list',
  'kpi',
  'chart',
  'why',
  'forecast',
  'alerts',
  'ack',
  'silence',
  'snooze',
  'segments',
  'cohorts',
  'scorecard',
  'clv_predicted',
  'at_risk',
  'target',
  'subscribe',
  'unsubscribe',
  'digest',
  'status',
];

/** The subcommands only admins may run. */
export const ADMIN_COMMANDS: ReadonlySet<CommandName> = new Set(['ack', 'silence', 'snooze', 'target', 'subscribe', 'unsubscribe']);

/** A KPI question: which KPI, which period, broken down how, as of when. */
export interface KpiQuery {
  readonly kpi: string;
  /** the period asked for; undefined: the period of `grain` containing `asOf` */
  readonly period: Period | undefined;
  /** the grain of `period`, else month */
  readonly grain: Grain;
  readonly by: string | undefined;
  /** the reference instant: `as of <date>` (the end of that day), else the caller's now */
  readonly asOf: Date;
}

/** A parsed /kpi command. */
export type Command =
  | { readonly name: 'help'; readonly topic: CommandName | undefined }
  | { readonly name: 'list'; readonly asOf: Date }
  | ({ readonly name: 'kpi' | 'chart' | 'why' } & KpiQuery)
  | { readonly name: 'alerts' }
  | { readonly name: 'ack'; readonly episode: number }
  | {
      readonly name: 'silence';
      /** a KPI's alerts; one episode; or (`series`, the card's Silence… modal) every episode of that episode's rule and dimension value */
      readonly target: { readonly kpi: string } | { readonly episode: number; readonly series?: boolean };
      readonly durationMs: number;
      /** as typed, e.g. 4h */
      readonly duration: string;
      readonly reason: string | undefined;
    }
  | {
      readonly name: 'snooze';
      readonly episode: number;
      /** how long, as for silence; or until the next successful data sync */
      readonly until: { readonly ms: number; readonly text: string } | 'sync';
    }
  | { readonly name: 'segments' | 'cohorts' | 'scorecard' | 'clv_predicted' | 'at_risk'; readonly asOf: Date }
  | { readonly name: 'target'; readonly kpi: string; readonly value: number; readonly by: string }
  | { readonly name: 'subscribe' | 'unsubscribe'; readonly channel: string; readonly kpis: readonly string[] }
  | { readonly name: 'digest'; readonly preview: boolean; readonly manager?: string }
  | { readonly name: 'status' }
  | {
      readonly name: 'forecast';
      readonly kpi: string;
      readonly by: string | undefined;
      /** periods ahead, default 3 */
      readonly horizon: number;
      /** the grain of the periods ahead, default month */
      readonly grain: 'day' | 'week' | 'month';
      readonly asOf: Date;
    };
