import type { KpiDefinition } from '../domain/kpi.ts';

/**
 * Common names people type for the catalog KPIs, in English and Chinese, besides each KPI's key
 * and titles. A name listed for two KPIs is ambiguous and answered with the candidates.
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  win_rate: ['win ratio', 'close rate', 'winning rate', '赢率', '成交率'],
  won_revenue: ['revenue', 'sales revenue', 'won sales', 'bookings', '收入', '营收', '销售收入', '销售额'],
  sales_growth: ['growth', 'revenue growth', '增长率'],
  order_sales_growth: ['growth', 'order growth', '订单增长率'],
  avg_deal_size: ['deal size', 'average deal', 'avg deal', '平均交易额', '客单价'],
  sales_cycle_days: ['sales cycle', 'cycle time', '销售周期'],
  sales_cycle_days_median: ['sales cycle', 'cycle time', '销售周期'],
  pipeline_value: ['pipeline', '销售管道', '管道价值'],
  conversion_rate: ['conversion', '转化'],
  retention_rate: ['retention', 'customer retention rate', '留存率', '留存'],
  churn_rate: ['churn', 'customer churn rate', '流失率', '流失'],
  repeat_purchase_rate: ['repeat rate', 'repeat purchases', 'repurchase rate', '回购率'],
  csat: ['satisfaction', 'customer satisfaction score', 'csat score', '满意度'],
  nps: ['net promoter', 'promoter score', '推荐值'],
  complaint_rate: ['complaints', '投诉'],
  complaint_resolution_hours: ['complaint resolution', 'resolution time', '投诉处理时长', '处理时长'],
  complaint_resolution_hours_p90: ['complaint resolution', 'resolution time', '投诉处理时长', '处理时长'],
  first_response_hours: ['first response', 'response time', 'first response time', '首次响应', '响应时长'],
  cac: ['acquisition cost', 'cost per acquisition', '获客'],
  marketing_roi: ['roi', 'return on marketing', '投资回报率'],
  clv: ['ltv', 'lifetime value', 'customer lifetime', '终身价值'],
  customer_revenue: ['arpu', 'average revenue per customer', '人均收入'],
  data_completeness: ['completeness', 'data quality', '数据完整性', '数据质量'],
};

/** The most words a KPI name spans (`average revenue per customer`). */
export const MAX_NAME_WORDS = 5;

/** What a typed name stands for: one KPI, several (ambiguous), or none. */
export type NameMatch = { readonly key: string } | { readonly candidates: readonly string[] } | undefined;

/** The index of every name of every KPI in force, exact names before derived ones. */
interface NameIndex {
  /** keys, titles as written (any case) */
  readonly exact: ReadonlyMap<string, string>;
  /** titles without their bracket, spaced and compact forms (`win rate`, `winrate`), synonyms */
  readonly derived: ReadonlyMap<string, readonly string[]>;
}

const INDEXES = new WeakMap<readonly KpiDefinition[], NameIndex>();

/**
 * What a typed KPI name means: the KPI whose key or title it is exactly; else the KPIs whose
 * title without its bracket, key or title written with spaces or run together, or common synonym
 * it is, in English or Chinese: one when it is unique, the candidates when not.
 * @example kpiNameMatch('win rate', registry.all) // { key: 'win_rate' }
 * @example kpiNameMatch('growth', registry.all) // { candidates: ['sales_growth', 'order_sales_growth'] }
 */
export function kpiNameMatch(text: string, kpis: readonly KpiDefinition[]): NameMatch {
  const index = indexOf(kpis);
  const spaced = normalize(text);
  if (spaced === '') return undefined;
  const exact = index.exact.get(spaced);
  if (exact) return { key: exact };
  const keys = index.derived.get(spaced) ?? index.derived.get(compact(spaced));
  if (!keys) return undefined;
  return keys.length === 1 ? { key: keys[0]! } : { candidates: keys };
}

function indexOf(kpis: readonly KpiDefinition[]): NameIndex {
  const cached = INDEXES.get(kpis);
  if (cached) return cached;
  const exact = new Map<string, string>();
  const derived = new Map<string, string[]>();
  const add = (name: string, key: string) => {
    for (const form of new Set([normalize(name), compact(normalize(name))])) {
      if (form === '') continue;
      const keys = derived.get(form) ?? [];
      if (!keys.includes(key)) derived.set(form, [...keys, key]);
    }
  };
  for (const k of kpis) {
    for (const name of [k.key, k.title, k.title_zh]) if (name) exact.set(normalize(name), k.key);
    for (const title of [k.title, k.title_zh]) {
      if (!title) continue;
      add(unbracketed(title), k.key);
      // A bracket that is one word is another name: Customer satisfaction (CSAT).
      const inner = /[(（]([^)）]+)[)）]/.exec(title)?.[1];
      if (inner && /^[\p{L}\d]+$/u.test(inner.trim())) add(inner, k.key);
    }
    add(k.key, k.key);
    for (const synonym of SYNONYMS[k.key] ?? []) add(synonym, k.key);
  }
  // An exact name of one KPI is never ambiguous, whatever a synonym of another says.
  for (const [name, key] of exact) derived.set(name, [key]);
  const index = { exact, derived };
  INDEXES.set(kpis, index);
  return index;
}

/** Lower case, underscores and hyphens as spaces, brackets and spaces collapsed. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[_\-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function compact(text: string): string {
  return text.replace(/ /g, '');
}

function unbracketed(title: string): string {
  return title.replace(/\s*[(（][^)）]*[)）]/g, '');
}
