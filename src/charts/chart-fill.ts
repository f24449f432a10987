/** What a template is filled with: its named datasets and the values of its parameters. */
export interface ChartFill {
  readonly datasets: Readonly<Record<string, readonly object[]>>;
  readonly params: Readonly<Record<string, unknown>>;
  /** the ISO code money axes are labelled in (€12.5K); left out, they show bare amounts */
  readonly currency?: string;
}

/** The fill's `currency` when its axis shows money in a known currency, else nothing. */
export function axisCurrency(unit: string, currency: string | undefined): { readonly currency?: string } {
  return unit === 'currency' && currency ? { currency } : {};
}

/** A chart with nothing to draw, and why: it renders as the no-data image. */
export interface NoDataFill {
  readonly noData: {
    /** the KPI or subject */
    readonly subject: string;
    readonly period: string;
    /** one line on what is missing, e.g. 'no period has a value' */
    readonly reason: string;
  };
}

/** True when a fill is the no-data case. */
export function isNoData(fill: ChartFill | NoDataFill): fill is NoDataFill {
  return 'noData' in fill;
}
