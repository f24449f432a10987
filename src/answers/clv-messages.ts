import type { Catalog, Locale } from '../domain/locale.ts';
import { byLocale } from '../lib/by-locale.ts';

/** The words of the predictive CLV answers in one language. */
export interface ClvMessages {
  clvTitle: string;
  clvHeader(total: string, months: number, customers: string, date: string): string;
  clvColumns: readonly string[];
  clvValueTitle: string;
  model(bg: string, gg: string, discount: string, correlation: string): string;
  /** parameters that settled at the edge of the search: the fit is a limit of the model */
  boundary(params: string): string;
  atRiskTitle: string;
  atRiskHeader(flagged: number, alive: string, date: string): string;
  /** what the list is: the flagged customers, or (none flagged) the lowest P(alive) among the top-value ones */
  atRiskIntro(flagged: number, minValue: string, alive: string, listed: number): string;
  atRiskColumns(months: number): readonly string[];
  overlap(rfm: string, bySegment: string): string;
  rfmListed(segment: string, customers: string, listed: number): string;
  pastValue: string;
  pAlive: string;
  valueRule: string;
  aliveRule(alive: string): string;
}

/** The words, each in every locale side by side. */
const CATALOG: Catalog<ClvMessages> = {
  clvTitle: { en: 'Predicted CLV by RFM segment', zh: '按 RFM 分群的预测终身价值' },
  clvHeader: {
    en: (total, months, customers, date) => `Predicted CLV, next ${months} months: ${total} · ${customers} customers · as of ${date}`,
    zh: (total, months, customers, date) => `未来 ${months} 个月预测终身价值：${total} · ${customers} 位客户 · 截至 ${date}`,
  },
  clvColumns: { en: ['segment', 'customers', 'predicted CLV', 'share', 'mean P(alive)'], zh: ['分群', '客户数', '预测终身价值', '占比', '平均存活概率'] },
  clvValueTitle: { en: 'Predicted CLV', zh: '预测终身价值' },
  model: {
    en: (bg, gg, discount, correlation) =>
      `BG/NBD (Fader, Hardie & Lee 2005, time in weeks): ${bg}. Gamma-Gamma spend: ${gg}. Discounted ${discount} a month. Spend–frequency correlation of repeat customers ${correlation} (Gamma-Gamma assumes about 0).`,
    zh: (bg, gg, discount, correlation) =>
      `BG/NBD 模型（Fader、Hardie 与 Lee 2005，时间单位为周）：${bg}。Gamma-Gamma 消费模型：${gg}。每月折现率 ${discount}。复购客户的客单价与购买次数相关系数为 ${correlation}（Gamma-Gamma 假设约为 0）。`,
  },
  boundary: {
    en: (params) =>
      `${params} ran to the edge of the search: the best fit is a limit of the model (a → 0: no drop-out after a purchase; r, α → ∞: everyone buys at the same rate), so that parameter's value means nothing.`,
    zh: (params) => `${params} 到达了搜索边界：最佳拟合是模型的极限情形（a → 0：购买后不会流失；r、α → ∞：所有人购买频率相同），该参数的数值本身没有意义。`,
  },
  atRiskTitle: { en: 'Customers at risk', zh: '流失风险客户' },
  atRiskHeader: {
    en: (flagged, alive, date) => `Customers at risk: ${flagged} with P(alive) < ${alive} · as of ${date}`,
    zh: (flagged, alive, date) => `流失风险客户：${flagged} 位存活概率 < ${alive} · 截至 ${date}`,
  },
  atRiskIntro: {
    en: (flagged, minValue, alive, listed) =>
      flagged > 0
        ? `${flagged} customers of the top 20% by past value (over ${minValue}) have a probability of still being a customer below ${alive}, highest past value first.`
        : `No customer of the top 20% by past value (over ${minValue}) has a probability of still being a customer below ${alive}: the model sees little drop-out in this data. The ${listed} of them with the lowest P(alive):`,
    zh: (flagged, minValue, alive, listed) =>
      flagged > 0
        ? `历史价值前 20%（超过 ${minValue}）的客户中，有 ${flagged} 位仍是客户的概率低于 ${alive}，按历史价值从高到低排列。`
        : `历史价值前 20%（超过 ${minValue}）的客户中，没有人仍是客户的概率低于 ${alive}：模型在这些数据中几乎看不到流失。以下是其中存活概率最低的 ${listed} 位：`,
  },
  atRiskColumns: {
    en: (months) => ['customer', 'RFM segment', 'past value', 'P(alive)', `purchases next ${months} mo`, 'predicted CLV'],
    zh: (months) => ['客户', 'RFM 分群', '历史价值', '存活概率', `未来 ${months} 个月购买次数`, '预测终身价值'],
  },
  overlap: {
    en: (rfm, bySegment) => `Against RFM: ${rfm}. Listed customers by RFM segment: ${bySegment}.`,
    zh: (rfm, bySegment) => `与 RFM 对照：${rfm}。所列客户的 RFM 分群：${bySegment}。`,
  },
  rfmListed: {
    en: (segment, customers, listed) => `${segment} has ${customers} customers, ${listed} of them listed here`,
    zh: (segment, customers, listed) => `“${segment}”有 ${customers} 位客户，其中 ${listed} 位在此列出`,
  },
  pastValue: { en: 'Past value', zh: '历史价值' },
  pAlive: { en: 'P(alive)', zh: '存活概率' },
  valueRule: { en: 'top 20% by value', zh: '价值前 20%' },
  aliveRule: { en: (alive) => `P(alive) ${alive}`, zh: (alive) => `存活概率 ${alive}` },
};

const BY_LOCALE = byLocale(CATALOG);

/** The predictive CLV words of a locale. */
export function clvMessages(locale: Locale): ClvMessages {
  return BY_LOCALE[locale];
}
