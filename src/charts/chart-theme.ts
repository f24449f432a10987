import { CHART_FONT_FAMILY } from './chart-fonts.ts';
import { currencyAffixes } from '../lib/with-currency.ts';

/** The colours of every chart, named by what they mean. */
export const CHART_COLORS = {
  /** titles and values */
  ink: '#1d2330',
  /** subtitles, axis labels, secondary text */
  muted: '#5b6472',
  /** grid lines */
  grid: '#e8ebf0',
  /** axis lines, bullet backgrounds */
  rule: '#c5cbd5',
  /** the series of interest: this period, the KPI line */
  primary: '#2f6fdf',
  /** a second measure beside the primary one (RFM value beside segment size) */
  secondary: '#1f9aa8',
  /** the previous period */
  previous: '#8d9ab0',
  /** the same period last year */
  lastYear: '#c7cfdc',
  /** a change for the better, a target */
  good: '#1a9a5c',
  /** a change for the worse, a threshold, an anomaly */
  bad: '#d8433b',
  /** a firing alert episode, shaded behind the line */
  firing: '#fbe5e3',
  /** bullet chart ranges: poor (0–60), fair (60–90), good (90–100) attainment */
  rangeLow: '#dde2ea',
  rangeMid: '#e8ecf1',
  rangeHigh: '#f2f4f7',
  /** the panel behind the no-data message */
  panel: '#f3f5f8',
  /** the normal band of a threshold */
  band: '#dbe6fb',
  background: '#ffffff',
} as const;

/** The width of every chart in CSS pixels: inline in Slack on desktop, legible when a phone scales it to its width. */
export const CHART_WIDTH = 640;

/**
 * Axis labels of quantitative scales, formatted by the `unit` parameter every template declares:
 * 25%, 27.5% for percent; 2,500, 12.5K, 1.2M, 3B for currency and counts (万 and 亿 when `lang`
 * is zh); 12.5 for durations and scores. Money gets its currency's sign or code when one is given
 * (€12.5K, 12.5K SEK). Written in vega's expression language, so a compiled spec renders the same
 * in any vega, a browser included.
 */
export function axisLabelExpr(currency?: string): string {
  const amount = (v: string) =>
    [
      `(unit === 'currency' || unit === 'count') && lang === 'zh' && abs(${v}) >= 1e8 ? format(${v} / 1e8, '.3~r') + '亿'`,
      `: (unit === 'currency' || unit === 'count') && lang === 'zh' && abs(${v}) >= 1e4 ? format(${v} / 1e4, '.3~r') + '万'`,
      `: (unit === 'currency' || unit === 'count') && abs(${v}) >= 1e9 ? format(${v} / 1e9, '.3~r') + 'B'`,
      `: (unit === 'currency' || unit === 'count') && abs(${v}) >= 1e6 ? format(${v} / 1e6, '.3~r') + 'M'`,
      `: (unit === 'currency' || unit === 'count') && abs(${v}) >= 1e4 ? format(${v} / 1e3, '.3~r') + 'K'`,
      `: format(${v}, ',~r')`,
    ].join(' ');
  const [before, after] = currencyAffixes(currency);
  // Without a currency the expression is the one every snapshot was taken with.
  const money =
    before || after
      ? `unit === 'currency' ? (datum.value < 0 ? '−' : '') + ${JSON.stringify(before)} + (${amount('abs(datum.value)')}) + ${JSON.stringify(after)} : `
      : '';
  return `unit === 'percent' ? format(datum.value, '~%') : ${money}${amount('datum.value')}`;
}

/** The axis labels with no currency: the bare amounts. */
export const AXIS_LABEL_EXPR = axisLabelExpr();

/** The vega-lite config every template is compiled with: one look for all chart kinds. */
export const CHART_THEME = {
  background: CHART_COLORS.background,
  padding: { left: 18, right: 22, top: 16, bottom: 14 },
  font: CHART_FONT_FAMILY,
  view: { stroke: null },
  title: {
    anchor: 'start',
    frame: 'bounds',
    font: CHART_FONT_FAMILY,
    fontSize: 18,
    fontWeight: 600,
    color: CHART_COLORS.ink,
    subtitleFont: CHART_FONT_FAMILY,
    subtitleFontSize: 13,
    subtitleColor: CHART_COLORS.muted,
    subtitlePadding: 6,
    offset: 16,
    limit: 600,
  },
  axis: {
    labelFont: CHART_FONT_FAMILY,
    labelFontSize: 12,
    labelColor: CHART_COLORS.muted,
    titleFont: CHART_FONT_FAMILY,
    titleFontSize: 12,
    titleFontWeight: 400,
    titleColor: CHART_COLORS.muted,
    gridColor: CHART_COLORS.grid,
    domainColor: CHART_COLORS.rule,
    tickColor: CHART_COLORS.rule,
    labelPadding: 6,
    title: null,
  },
  axisX: { grid: false, labelAngle: 0, tickSize: 4, labelOverlap: true },
  axisY: { domain: false, ticks: false, labelPadding: 8, tickCount: 5 },
  axisQuantitative: { labelExpr: AXIS_LABEL_EXPR },
  axisBand: { domain: false, ticks: false, grid: false },
  legend: {
    orient: 'top',
    direction: 'horizontal',
    title: null,
    labelFont: CHART_FONT_FAMILY,
    labelFontSize: 12,
    labelColor: CHART_COLORS.muted,
    symbolType: 'square',
    symbolSize: 110,
    offset: 10,
  },
  header: {
    labelFont: CHART_FONT_FAMILY,
    labelFontSize: 13,
    labelFontWeight: 600,
    labelColor: CHART_COLORS.ink,
    labelAnchor: 'start',
    labelAngle: 0,
    labelPadding: 6,
    title: null,
  },
  text: { font: CHART_FONT_FAMILY, fontSize: 12, color: CHART_COLORS.ink },
  line: { strokeWidth: 2.25, color: CHART_COLORS.primary },
  point: { color: CHART_COLORS.primary },
  bar: { color: CHART_COLORS.primary },
  rule: { color: CHART_COLORS.rule },
  range: {
    category: [CHART_COLORS.primary, '#f0883e', '#2aa876', '#8a63d2', '#e2574c', '#1fa3b8', '#c69026', '#6b7a90'],
  },
} as const;

/** The theme with money axes in a currency ('€12.5K'); the plain theme when there is none. */
export function chartTheme(currency?: string): typeof CHART_THEME {
  return currency ? { ...CHART_THEME, axisQuantitative: { labelExpr: axisLabelExpr(currency) } } : CHART_THEME;
}
