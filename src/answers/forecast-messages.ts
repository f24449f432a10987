import type { Catalog, Locale } from '../domain/locale.ts';
import { byLocale } from '../lib/by-locale.ts';

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

/** The Chinese words of the forecast's grains, after a count. */
const GRAINS_ZH: Readonly<Record<string, string>> = { day: '天', week: '周', month: '个月' };

/** The words, each in every locale side by side. */
const CATALOG: Catalog<ForecastMessages> = {
  header: { en: (title, n, grain) => `${title}: forecast for the next ${n} ${grain}`, zh: (title, n, grain) => `${title}：未来 ${n} ${grain}预测` },
  seriesHeader: { en: (dimension, key) => `${dimension} ${key}`, zh: (dimension, key) => `${dimension}：${key}` },
  method: {
    en: (model, why, candidates) =>
      why === 'aicc'
        ? `Method: *${model}*, the lowest AICc of ${candidates} exponential smoothing models.`
        : why === 'constant'
          ? `Method: *${model}*: the history is constant.`
          : `Method: *${model}*: too little history for exponential smoothing, so the forecast repeats the last ${model === 'naive' ? 'value' : 'season'}.`,
    zh: (model, why, candidates) =>
      why === 'aicc'
        ? `方法：*${model}*，在 ${candidates} 个指数平滑模型中 AICc 最低。`
        : why === 'constant'
          ? `方法：*${model}*：历史值恒定。`
          : `方法：*${model}*：历史太短，无法做指数平滑，预测沿用${model === 'naive' ? '最后一个值' : '上一个季节'}。`,
  },
  noSeason: {
    en: (n, grain, period) => `No seasonality: ${n} ${grain} are fewer than two seasons of ${period}.`,
    zh: (n, grain, period) => `未使用季节性：${n} ${grain}不足两个 ${period} 期的季节。`,
  },
  history: {
    en: (n, grain, from, to) => `Fitted to ${n} ${grain}, ${from} to ${to}`,
    zh: (n, grain, from, to) => `拟合数据：${from} 至 ${to}，共 ${n} ${grain}`,
  },
  left: { en: (n) => `${n} periods before the data begins left out`, zh: (n) => `数据开始前的 ${n} 期未计入` },
  stale: { en: (day) => `no data since ${day}: forecast from the end of the data`, zh: (day) => `${day} 之后没有数据：从数据末尾开始预测` },
  gap: {
    en: (period, n) => `no value in ${period}, so only the ${n} periods after it are used`,
    zh: (period, n) => `${period} 没有数值，只使用其后的 ${n} 期`,
  },
  columns: { en: ['Period', 'Forecast', '80% interval', '95% interval'], zh: ['时间段', '预测', '80% 区间', '95% 区间'] },
  grain: { en: (g, n) => `${g}${n === 1 ? '' : 's'}`, zh: (g) => GRAINS_ZH[g] ?? g },
  chartAlt: {
    en: (title, model) => `Forecast of ${title} by ${model}, with 80% and 95% prediction intervals`,
    zh: (title, model) => `${title}的预测（${model}），附 80% 和 95% 预测区间`,
  },
  caveat: {
    en: 'Intervals assume the past pattern continues; a one-off event (a big deal, a campaign) is outside them. Check `crm-pulse forecast --evaluate` for measured accuracy.',
    zh: '预测区间假设过去的规律延续；一次性事件（大单、营销活动）不在区间内。实测准确度见 `crm-pulse forecast --evaluate`。',
  },
};

const BY_LOCALE = byLocale(CATALOG);

/** The forecast answers' words in a language. */
export function forecastMessages(locale: Locale): ForecastMessages {
  return BY_LOCALE[locale];
}
