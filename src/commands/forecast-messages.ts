import type { Locale } from './reply.ts';

/** The words of `/kpi forecast` answers in one language. */
export interface ForecastMessages {
  header(title: string, n: number, grain: string): string;
  seriesHeader(dimension: string, key: string): string;
  method(model: string, why: 'aicc' | 'short' | 'constant' | 'asked', candidates: number): string;
  noSeason(n: number, grain: string, period: number): string;
  history(n: number, grain: string, from: string, to: string): string;
  left(n: number): string;
  /** the KPI's data stops before the as-of asked: the forecast starts at its end */
  stale(day: string): string;
  gap(period: string, n: number): string;
  columns: readonly [string, string, string, string];
  grain(g: string, n: number): string;
  chartAlt(title: string, model: string): string;
  caveat: string;
}

const EN: ForecastMessages = {
  header: (title, n, grain) => `${title}: forecast for the next ${n} ${grain}`,
  seriesHeader: (dimension, key) => `${dimension} ${key}`,
  method: (model, why, candidates) =>
    why === 'aicc'
      ? `Method: *${model}*, the lowest AICc of ${candidates} exponential smoothing models.`
      : why === 'constant'
        ? `Method: *${model}*: the history is constant.`
        : `Method: *${model}*: too little history for exponential smoothing, so the forecast repeats the last ${model === 'naive' ? 'value' : 'season'}.`,
  noSeason: (n, grain, period) => `No seasonality: ${n} ${grain} are fewer than two seasons of ${period}.`,
  history: (n, grain, from, to) => `Fitted to ${n} ${grain}, ${from} to ${to}`,
  left: (n) => `${n} periods before the data begins left out`,
  stale: (day) => `no data since ${day}: forecast from the end of the data`,
  gap: (period, n) => `no value in ${period}, so only the ${n} periods after it are used`,
  columns: ['Period', 'Forecast', '80% interval', '95% interval'],
  grain: (g, n) => `${g}${n === 1 ? '' : 's'}`,
  chartAlt: (title, model) => `Forecast of ${title} by ${model}, with 80% and 95% prediction intervals`,
  caveat:
    'Intervals assume the past pattern continues; a one-off event (a big deal, a campaign) is outside them. Check `crm-pulse forecast --evaluate` for measured accuracy.',
};

const GRAINS_ZH: Readonly<Record<string, string>> = { day: '天', week: '周', month: '个月' };

const ZH: ForecastMessages = {
  header: (title, n, grain) => `${title}：未来 ${n} ${grain}预测`,
  seriesHeader: (dimension, key) => `${dimension}：${key}`,
  method: (model, why, candidates) =>
    why === 'aicc'
      ? `方法：*${model}*，在 ${candidates} 个指数平滑模型中 AICc 最低。`
      : why === 'constant'
        ? `方法：*${model}*：历史值恒定。`
        : `方法：*${model}*：历史太短，无法做指数平滑，预测沿用${model === 'naive' ? '最后一个值' : '上一个季节'}。`,
  noSeason: (n, grain, period) => `未使用季节性：${n} ${grain}不足两个 ${period} 期的季节。`,
  history: (n, grain, from, to) => `拟合数据：${from} 至 ${to}，共 ${n} ${grain}`,
  left: (n) => `数据开始前的 ${n} 期未计入`,
  stale: (day) => `${day} 之后没有数据：从数据末尾开始预测`,
  gap: (period, n) => `${period} 没有数值，只使用其后的 ${n} 期`,
  columns: ['时间段', '预测', '80% 区间', '95% 区间'],
  grain: (g) => GRAINS_ZH[g] ?? g,
  chartAlt: (title, model) => `${title}的预测（${model}），附 80% 和 95% 预测区间`,
  caveat: '预测区间假设过去的规律延续；一次性事件（大单、营销活动）不在区间内。实测准确度见 `crm-pulse forecast --evaluate`。',
};

/** The forecast answers' words in a language. */
export function forecastMessages(locale: Locale): ForecastMessages {
  return locale === 'zh' ? ZH : EN;
}
