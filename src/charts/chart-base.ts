import type { Locale } from '../domain/locale.ts';

/** What every chart input carries. */
export interface ChartBase {
  /** the KPI or subject, e.g. 'Win rate' or '赢单率'; the chart's title */
  readonly title: string;
  /** the period the chart covers as people read it, e.g. '2017-W09' or '2016-W10 – 2017-W09' */
  readonly period: string;
  /** replaces the subtitle the chart writes from its data */
  readonly subtitle?: string;
  /** the language of the words the chart adds itself (legends, "no data", "firing"); default 'en' */
  readonly lang?: Locale;
  /** the ISO code of a money KPI (EUR, SEK): its values, labels and axis carry its sign or code */
  readonly currency?: string;
}
