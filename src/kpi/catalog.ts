import type { KpiDefinition, MetricDefinition } from '../domain/kpi.ts';

const deals = (filter: MetricDefinition['filter'], time = 'closed_at', rest: Partial<MetricDefinition> = {}): MetricDefinition => ({
  entity: 'deals',
  aggregate: 'count',
  time,
  ...(filter ? { filter } : {}),
  ...rest,
});
const WON = { status: 'won' } as const;
/** Order lines that are real sales: not cancellations. */
const SALES = { cancelled: false } as const;
const orders = (rest: Partial<MetricDefinition>): MetricDefinition => ({ entity: 'order_lines', aggregate: 'count', time: 'ordered_at', filter: SALES, ...rest });
const customersActive = orders({ aggregate: 'count_distinct', field: 'customer', filter: { ...SALES, customer: { filled: true } } });
const customersRetained: MetricDefinition = { ...customersActive, mode: 'retained' };
const customersBefore: MetricDefinition = { ...customersActive, shift: -1 };
const tickets = (filter: MetricDefinition['filter'], rest: Partial<MetricDefinition> = {}): MetricDefinition => ({
  entity: 'tickets',
  aggregate: 'count',
  time: 'opened_at',
  ...(filter ? { filter } : {}),
  ...rest,
});
const surveys = (kind: 'csat' | 'nps', score?: MetricDefinition['filter']): MetricDefinition => ({
  entity: 'survey_answers',
  aggregate: 'count',
  time: 'answered_at',
  filter: { kind, ...(score ?? {}) },
});
const spend = (field: string, filter?: MetricDefinition['filter']): MetricDefinition => ({
  entity: 'marketing_spend',
  aggregate: 'sum',
  field,
  time: 'day',
  ...(filter ? { filter } : {}),
});

/**
 * The built-in KPIs, defined as CRM practitioners define them. A `kpis:` entry in the config with
 * the same key replaces one; the README lists each definition.
 */
export const CATALOG: readonly KpiDefinition[] = [
  {
    key: 'win_rate', title: 'Win rate', title_zh: '赢单率', unit: 'percent', direction: 'higher',
    description: 'won ÷ (won + lost) among deals closed in the period (not won ÷ all deals)',
    metrics: { won: deals(WON), lost: deals({ status: 'lost' }) },
    formula: 'won / (won + lost)',
    sample: 'won + lost',
  },
  {
    key: 'won_revenue', title: 'Won revenue', title_zh: '赢单收入', unit: 'currency', direction: 'higher',
    description: 'sum of the close value of deals won in the period',
    metrics: { revenue: deals(WON, 'closed_at', { aggregate: 'sum', field: 'amount' }) },
    formula: 'revenue',
  },
  {
    key: 'sales_growth', title: 'Sales growth', title_zh: '销售增长率', unit: 'percent', direction: 'higher',
    description: 'won deal value in the period ÷ won deal value in the previous period − 1 (deals by close date)',
    metrics: {
      revenue: deals(WON, 'closed_at', { aggregate: 'sum', field: 'amount' }),
      revenue_before: deals(WON, 'closed_at', { aggregate: 'sum', field: 'amount', shift: -1 }),
    },
    formula: 'revenue / revenue_before - 1',
  },
  {
    key: 'order_sales_growth', title: 'Order sales growth', title_zh: '订单销售增长率', unit: 'percent', direction: 'higher',
    description: 'order revenue net of cancellations in the period ÷ the same in the previous period − 1',
    metrics: {
      revenue: { entity: 'order_lines', aggregate: 'sum', field: 'amount', time: 'ordered_at' },
      revenue_before: { entity: 'order_lines', aggregate: 'sum', field: 'amount', time: 'ordered_at', shift: -1 },
    },
    formula: 'revenue / revenue_before - 1',
  },
  {
    key: 'order_revenue', title: 'Order revenue', title_zh: '订单收入', unit: 'currency', direction: 'higher',
    description: 'order revenue net of cancellations in the period (cancellation lines are negative)',
    metrics: { revenue: { entity: 'order_lines', aggregate: 'sum', field: 'amount', time: 'ordered_at' } },
    formula: 'revenue',
  },
  {
    key: 'orders', title: 'Orders', title_zh: '订单数', unit: 'count', direction: 'higher',
    description: 'distinct invoices with at least one sale (not a cancellation) in the period',
    metrics: { orders: orders({ aggregate: 'count_distinct', field: 'invoice_no' }) },
    formula: 'orders',
  },
  {
    key: 'avg_deal_size', title: 'Average deal size', title_zh: '平均成交额', unit: 'currency', direction: 'higher',
    description: 'mean close value of deals won in the period',
    metrics: { size: deals(WON, 'closed_at', { aggregate: 'avg', field: 'amount' }), deals: deals({ ...WON, amount: { filled: true } }) },
    formula: 'size',
    sample: 'deals',
  },
  {
    key: 'sales_cycle_days', title: 'Sales cycle (days, mean)', title_zh: '销售周期（天，平均）', unit: 'duration', direction: 'lower',
    description: 'mean days from engage to close, for deals won in the period',
    metrics: { days: deals(WON, 'closed_at', { aggregate: 'avg', field: 'cycle_days' }), deals: deals({ ...WON, cycle_days: { filled: true } }) },
    formula: 'days',
    sample: 'deals',
  },
  {
    key: 'sales_cycle_days_median', title: 'Sales cycle (days, median)', title_zh: '销售周期（天，中位数）', unit: 'duration', direction: 'lower',
    description: 'median days from engage to close, for deals won in the period',
    metrics: { days: deals(WON, 'closed_at', { aggregate: 'median', field: 'cycle_days' }), deals: deals({ ...WON, cycle_days: { filled: true } }) },
    formula: 'days',
    sample: 'deals',
  },
  {
    key: 'pipeline_value', title: 'Pipeline value', title_zh: '销售管道价值', unit: 'currency', direction: 'higher',
    description: "sum of the value of deals open at the end of the period (engaged, not yet closed); a deal without a value counts at its product's list price",
    metrics: { value: deals(undefined, 'engaged_at', { aggregate: 'sum', field: 'value_or_list_price', mode: 'open_at_end', closed: 'closed_at' }) },
    formula: 'value',
  },
  {
    key: 'conversion_rate', title: 'Conversion rate', title_zh: '转化率', unit: 'percent', direction: 'higher',
    description: 'share of deals engaged in the period that reach Won (so far)',
    metrics: { won: deals(WON, 'engaged_at'), engaged: deals(undefined, 'engaged_at') },
    formula: 'won / engaged',
    sample: 'engaged',
  },
  {
    key: 'retention_rate', title: 'Customer retention', title_zh: '客户留存率', unit: 'percent', direction: 'higher',
    description: 'share of customers who bought in the previous period and buy again in this one',
    metrics: { retained: customersRetained, before: customersBefore },
    formula: 'retained / before',
    sample: 'before',
  },
  {
    key: 'churn_rate', title: 'Customer churn', title_zh: '客户流失率', unit: 'percent', direction: 'lower',
    description: '1 − retention rate',
    metrics: { retained: customersRetained, before: customersBefore },
    formula: '1 - retained / before',
    sample: 'before',
  },
  {
    key: 'repeat_purchase_rate', title: 'Repeat purchase rate', title_zh: '复购率', unit: 'percent', direction: 'higher',
    description: 'customers with more than one invoice ÷ customers with at least one, within the period',
    metrics: {
      repeaters: orders({ field: 'customer', mode: 'repeat', repeat_of: 'invoice_no', filter: { ...SALES, customer: { filled: true } } }),
      buyers: customersActive,
    },
    formula: 'repeaters / buyers',
    sample: 'buyers',
  },
  {
    key: 'csat', title: 'Customer satisfaction (CSAT)', title_zh: '客户满意度', unit: 'percent', direction: 'higher',
    description: 'share of CSAT answers scoring 4 or 5 on the 1–5 scale',
    metrics: { satisfied: surveys('csat', { score: { gte: 4 } }), answers: surveys('csat') },
    formula: 'satisfied / answers',
    sample: 'answers',
  },
  {
    key: 'nps', title: 'Net Promoter Score', title_zh: '净推荐值', unit: 'score', direction: 'higher',
    description: '% promoters (9–10) − % detractors (0–6), from −100 to 100',
    metrics: { promoters: surveys('nps', { score: { gte: 9 } }), detractors: surveys('nps', { score: { lte: 6 } }), answers: surveys('nps') },
    formula: '100 * (promoters - detractors) / answers',
    sample: 'answers',
  },
  {
    key: 'complaint_rate', title: 'Complaint rate', title_zh: '投诉率', unit: 'percent', direction: 'lower',
    description: 'complaint tickets from customers ÷ customers who bought in the period',
    metrics: { complaints: tickets({ category: 'complaint', customer: { filled: true } }), customers: customersActive },
    formula: 'complaints / customers',
    sample: 'customers',
  },
  {
    key: 'complaint_resolution_hours', title: 'Complaint resolution (hours, median)', title_zh: '投诉处理时长（小时，中位数）', unit: 'duration', direction: 'lower',
    description: 'median hours from opened to resolved, for complaints opened in the period',
    metrics: { hours: tickets({ category: 'complaint' }, { aggregate: 'median', field: 'resolution_hours' }), resolved: tickets({ category: 'complaint', resolution_hours: { filled: true } }) },
    formula: 'hours',
    sample: 'resolved',
  },
  {
    key: 'complaint_resolution_hours_p90', title: 'Complaint resolution (hours, p90)', title_zh: '投诉处理时长（小时，P90）', unit: 'duration', direction: 'lower',
    description: '90th percentile of hours from opened to resolved, for complaints opened in the period',
    metrics: { hours: tickets({ category: 'complaint' }, { aggregate: 'percentile', p: 90, field: 'resolution_hours' }), resolved: tickets({ category: 'complaint', resolution_hours: { filled: true } }) },
    formula: 'hours',
    sample: 'resolved',
  },
  {
    key: 'first_response_hours', title: 'First response (hours, median)', title_zh: '首次响应时长（小时）', unit: 'duration', direction: 'lower',
    description: 'median hours from opened to first response, for tickets opened in the period',
    metrics: { hours: tickets(undefined, { aggregate: 'median', field: 'first_response_hours' }), answered: tickets({ first_response_hours: { filled: true } }) },
    formula: 'hours',
    sample: 'answered',
  },
  {
    key: 'cac', title: 'Customer acquisition cost', title_zh: '获客成本', unit: 'currency', direction: 'lower',
    description: 'B2C marketing spend (campaigns b2c-*) ÷ customers whose first purchase falls in the period',
    metrics: {
      spend: spend('spend', { campaign: { prefix: 'b2c-' } }),
      new_customers: orders({ aggregate: 'count', field: 'customer', mode: 'first_in_period', filter: { ...SALES, customer: { filled: true } } }),
    },
    formula: 'spend / new_customers',
  },
  {
    key: 'marketing_roi', title: 'Marketing ROI', title_zh: '营销投资回报率', unit: 'percent', direction: 'higher',
    description: '(attributed revenue − spend) ÷ spend, over all campaigns',
    metrics: { revenue: spend('attributed_revenue'), spend: spend('spend') },
    formula: '(revenue - spend) / spend',
  },
  {
    key: 'clv', title: 'Customer lifetime value', title_zh: '客户终身价值', unit: 'currency', direction: 'higher',
    description:
      'average order value × purchase frequency × expected lifetime = (revenue ÷ customers) ÷ churn, where churn is the per-period churn rate, so the expected lifetime is 1 ÷ churn periods',
    metrics: {
      revenue: orders({ aggregate: 'sum', field: 'amount', filter: { ...SALES, customer: { filled: true } } }),
      customers: customersActive,
      retained: customersRetained,
      before: customersBefore,
    },
    formula: '(revenue / customers) / (1 - retained / before)',
    sample: 'before',
  },
  {
    key: 'customer_revenue', title: 'Revenue per customer', title_zh: '客户收入', unit: 'currency', direction: 'higher',
    description: 'order revenue net of cancellations per buying customer; by customer over the whole history it is the historic CLV of each customer',
    metrics: {
      revenue: { entity: 'order_lines', aggregate: 'sum', field: 'amount', time: 'ordered_at', filter: { customer: { filled: true } } },
      customers: { ...customersActive, filter: { customer: { filled: true } } },
    },
    formula: 'revenue / customers',
    sample: 'customers',
  },
  {
    key: 'data_completeness', title: 'Data completeness (deals)', title_zh: '数据完整性（商机）', unit: 'percent', direction: 'higher',
    description: 'share of deals engaged in the period whose account, product and owner are all filled',
    metrics: {
      complete: deals({ account: { filled: true }, product: { filled: true }, owner: { filled: true } }, 'engaged_at'),
      all: deals(undefined, 'engaged_at'),
    },
    formula: 'complete / all',
    sample: 'all',
  },
  // Computed KPIs: valued by BG/NBD + Gamma-Gamma fitted as of each period's end (evaluate-model-kpi.ts).
  // Their one metric is the data the model reads (buying customers), for coverage and n; the formula is not what values them.
  {
    key: 'clv_predicted', title: 'Predicted CLV (12 months)', title_zh: '预测终身价值（12 个月）', unit: 'currency', direction: 'higher', model: 'clv_predicted',
    description: 'computed by a model, not SQL: the sum over customers of the discounted value BG/NBD and Gamma-Gamma, fitted to the purchases before the period ends, expect in the next 12 months (1% a month discount); n = customers fitted; by segment: per RFM segment',
    metrics: { customers: customersActive },
    formula: 'customers',
    sample: 'customers',
  },
  {
    key: 'customers_at_risk', title: 'Customers at risk', title_zh: '流失风险客户', unit: 'count', direction: 'lower', model: 'customers_at_risk',
    description: "computed by a model, not SQL: customers in RFM's top monetary quintile whose BG/NBD probability of being alive, fitted to the purchases before the period ends, is below 50%; n = customers fitted; by segment: per RFM segment",
    metrics: { customers: customersActive },
    formula: 'customers',
    sample: 'customers',
  },
];
