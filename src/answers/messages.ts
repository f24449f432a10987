import type { KpiDefinition, ModelKpi } from '../domain/kpi.ts';
import type { AttributionMethod } from '../kpi/change-contributions.ts';
import type { Catalog, InLocales, Locale } from '../domain/locale.ts';
import { LOCALES } from '../domain/locale.ts';
import { byLocale } from '../lib/by-locale.ts';
import { ADMIN_MESSAGES } from './admin-messages.ts';
import { ANSWER_MESSAGES } from './answer-messages.ts';
import type { CommandName } from './command.ts';
import { USAGE_MESSAGES } from './usage-messages.ts';

/** The help of one subcommand. */
export interface HelpEntry {
  /** e.g. `/kpi why <kpi> [period] [by <dimension>]` */
  readonly syntax: string;
  readonly summary: string;
  readonly examples: readonly string[];
}

/** What the parser found wrong with a /kpi text, for the words of the usage reply. */
export type ParseProblem =
  | { readonly kind: 'unknown_word'; readonly word: string; readonly suggestion: string | undefined }
  | { readonly kind: 'unknown_kpi'; readonly word: string; readonly suggestion: string | undefined }
  | { readonly kind: 'ambiguous_kpi'; readonly word: string; readonly candidates: readonly string[] }
  | { readonly kind: 'missing'; readonly what: 'kpi' | 'alert' | 'duration' | 'value' | 'deadline' | 'channel' | 'kpis' | 'dimension' | 'date' | 'subject' }
  | { readonly kind: 'bad_period'; readonly text: string; readonly detail: string }
  | { readonly kind: 'bad_dimension'; readonly word: string; readonly kpi: string; readonly known: readonly string[]; readonly suggestion: string | undefined }
  | { readonly kind: 'bad_alert_id'; readonly word: string }
  | { readonly kind: 'bad_duration'; readonly word: string }
  /** a silence's reason longer than MAX_SILENCE_REASON characters */
  | { readonly kind: 'long_reason'; readonly length: number; readonly max: number }
  /** a target's deadline further ahead than MAX_TARGET_YEARS */
  | { readonly kind: 'far_deadline'; readonly date: string; readonly latest: string }
  /** a channel name no channel of the workspace has */
  | { readonly kind: 'unknown_channel'; readonly word: string }
  | { readonly kind: 'bad_value'; readonly word: string; readonly percent: boolean }
  | { readonly kind: 'past_deadline'; readonly date: string }
  | { readonly kind: 'unexpected'; readonly words: string }
  | { readonly kind: 'bad_channel'; readonly word: string };

/** Every word crm-pulse says in answers to /kpi, in one language. */
export interface Messages {
  readonly locale: Locale;
  kpiTitle(kpi: KpiDefinition): string;
  dimension(name: string): string;
  severity(s: string): string;
  perspective(p: string): string;
  segment(name: string): string;
  tier(name: string): string;
  readonly yes: string;
  readonly no: string;
  /** "… and 12 more" */
  more(n: number): string;
  /** under an answer only the caller sees, whose charts went to their direct messages */
  chartInDm: string;
  /** a native table's page: "rows 1–100 of 340" */
  tableRows(from: number, to: number, total: number): string;
  /** a split table's first part and where the rest went: "rows 1–100 of 340; the rest follow in the thread" (or "in the next messages" for an answer only the caller sees) */
  tableRest(from: number, to: number, total: number, inThread: boolean): string;
  /** rows past the last page sent: "1,200 more rows not shown: ask for a shorter period or one segment" */
  tableNotShown(n: number): string;
  /** list separator: ", " or "、" */
  readonly comma: string;
  /** separator of notes in parentheses: "; " or "；" */
  readonly semicolon: string;
  /** between two sentences: a space in English, nothing in Chinese */
  readonly sentenceGap: string;

  problem(p: ParseProblem): string;
  readonly helpTitle: string;
  readonly helpIntro: string;
  help(name: CommandName): HelpEntry;
  readonly helpFooter: string;
  /** "Type `/kpi help why` for the details." */
  seeHelp(name: CommandName): string;

  kpiHeader(title: string, period: string): string;
  toDate(day: string): string;
  /** a compared period cut at the same offset: "2017-08 through 2017-08-15" */
  toDateLabel(period: string, day: string): string;
  /** "as of the data's end, 2011-12-09": the KPI is judged where its data ends, before the clock */
  atDataEnd(day: string): string;
  /** "the data's end, 2011-12-09", after "as of" */
  dataEnd(day: string): string;
  noValue(reason: string | undefined): string;
  readonly vsPrevious: string;
  readonly vsLastYear: string;
  /** "+2.1 pp (2017-11: 61.0%)" */
  change(change: string, period: string, value: string): string;
  readonly targetLabel: string;
  target(
    value: string,
    deadline: string,
    progress: string | undefined,
    projected: string | undefined,
    onTrack: boolean | undefined,
    reason: string | undefined,
  ): string;
  readonly changeColumn: string;
  definition(kpi: KpiDefinition): string;
  timeZone(tz: string): string;
  trendAlt(title: string, range: string, threshold: boolean, target: boolean): string;
  breakdownAlt(title: string, dimension: string, period: string): string;

  whyHeader(title: string, period: string): string;
  whySummary(title: string, before: string, after: string, previous: string, period: string, change: string): string;
  whyNoValue(title: string, period: string, reason: string | undefined): string;
  topDriver(key: string, dimension: string, effect: string): string;
  largestChange(key: string, dimension: string, change: string): string;
  method(method: AttributionMethod, title: string, detail: { formula: string; denominator?: string; aggregates?: readonly string[] }): string;
  readonly rateEffect: string;
  readonly mixEffect: string;
  readonly contribution: string;
  unexplained(value: string): string;
  noDimensions(title: string): string;
  contributionAlt(title: string, dimension: string, previous: string, period: string): string;

  listHeader(period: string): string;
  readonly listColumns: readonly [string, string, string, string, string];
  readonly listContext: string;
  /** `/kpi list`'s period cell of a computed KPI (fitted by a model, not listed with a value): the command that answers it */
  listComputed(model: ModelKpi): string;

  alertsHeader(open: number): string;
  readonly noOpenAlerts: string;
  readonly alertColumns: readonly string[];
  silencesHeader(n: number): string;
  readonly silenceColumns: readonly string[];
  readonly untilNextSync: string;
  threads(id: number, where: string): string;
  readonly alertsHint: string;
  acknowledgedBy(user: string): string;
  acked(id: number, what: string): string;
  noEpisode(id: number): string;
  episodeEnded(id: number, at: string): string;
  silenced(what: string, until: string, id: number): string;
  silenceKpi(title: string): string;
  silenceEpisode(id: number): string;
  defaultSilenceReason(user: string): string;
  snoozed(id: number, until: string): string;

  readonly rfmTitle: string;
  segmentsHeader(customers: string, date: string): string;
  readonly segmentColumns: readonly string[];
  tiers(parts: string): string;
  readonly avgSpend: string;
  noCustomers(date: string): string;

  readonly cohortTitle: string;
  cohortsHeader(cohorts: number): string;
  /** the note under the cohort table on its last, to-date month */
  cohortPartial(month: string, through: string): string;
  /** the same on the chart, where space is short */
  cohortPartialShort(through: string): string;
  readonly cohortColumns: readonly [string, string];
  month(k: number): string;
  readonly noCohorts: string;
  readonly cohortsContext: string;

  readonly scorecardTitle: string;
  scorecardHeader(period: string, composite: string): string;
  chartAlt(title: string, period: string): string;
  readonly scorecardColumns: readonly string[];
  notScored(title: string, reason: string): string;
  readonly noScorecard: string;

  /** `from` undefined: progress counts from the same period a year before */
  targetSet(title: string, value: string, deadline: string, grain: string, from: string | undefined, replaced: string | undefined): string;
  grain(g: string): string;
  subscribed(channel: string, added: string, already: string): string;
  unsubscribed(channel: string, removed: string, absent: string): string;
  refused(name: string, admins: readonly string[]): string;

  readonly statusHeader: string;
  readonly statusColumns: readonly string[];
  rejects(source: string, total: string, kinds: string): string;
  /** data of sources the config no longer names, which every KPI still counts */
  leftoverSources(sources: string, first: string): string;
  freshness(latest: string | undefined, days: number | undefined): string;
  failedDeliveries(n: number): string;
  readonly noData: string;
  error(message: string): string;
  /** the answer while the database does not answer (an outage, a restart) */
  readonly storageUnavailable: string;
  /** the answer to an internal error: no details, an id the user can quote and the log holds */
  internalError(errorId: string): string;
  /** the answer when too many questions wait for an answer slot */
  readonly busy: string;

  /** "n = 1,234"; with `min` (a low-confidence value) "n = 4, under 30: low confidence" */
  sample(n: string, min: string | undefined): string;
  /** the column of n in tables */
  readonly sampleColumn: string;
  /** under a table: what the * after a value means */
  lowSampleNote(min: string): string;
  /** a target not judged because the value is low-confidence */
  lowSampleTarget(n: string, min: string): string;
  /** after a target's progress: where it started and which way the value moves, "from 3,086,111 (2017-Q2), moving away" */
  targetHeading(start: string, period: string, heading: 'toward' | 'away' | 'flat'): string;
  /** the legend of a target drawn on a trend of another grain, converted to a pace per period */
  targetPace(target: string, grain: string, perGrain: string, pace: string): string;
}

/** The words of `Messages`, which the catalog holds in every locale side by side. */
export type MessageWords = Omit<Messages, 'locale'>;

/** The answers' catalog: every message key with its words in every locale. */
const CATALOG: Catalog<MessageWords> = { ...USAGE_MESSAGES, ...ANSWER_MESSAGES, ...ADMIN_MESSAGES };

const WORDS = byLocale(CATALOG);
const MESSAGES = Object.fromEntries(LOCALES.map((locale) => [locale, { locale, ...WORDS[locale] }])) as unknown as InLocales<Messages>;

/** The messages of a locale. */
export function messages(locale: Locale): Messages {
  return MESSAGES[locale];
}
