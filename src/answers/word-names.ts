import { nameLookup } from '../lib/by-locale.ts';

/** A dimension's name in each locale; English keeps the dimension's own name. */
export const dimensionName = nameLookup({
  region: { zh: '区域' },
  office: { zh: '办公室' },
  owner: { zh: '负责人' },
  manager: { zh: '经理' },
  product: { zh: '产品' },
  sector: { zh: '行业' },
  country: { zh: '国家' },
  stage: { zh: '阶段' },
  category: { zh: '类别' },
  channel: { zh: '渠道' },
  priority: { zh: '优先级' },
  segment: { zh: '客户分群' },
  customer: { zh: '客户' },
  kind: { zh: '类型' },
  campaign: { zh: '营销活动' },
});

/** An alert severity's name in each locale. */
export const severityName = nameLookup({ warning: { zh: '警告' }, critical: { zh: '严重' } });

/** A scorecard perspective's name in each locale. */
export const perspectiveName = nameLookup({
  financial: { en: 'Financial', zh: '财务' },
  customer: { en: 'Customer', zh: '客户' },
  internal_process: { en: 'Internal process', zh: '内部流程' },
  learning_growth: { en: 'Learning and growth', zh: '学习与成长' },
});

/** An RFM segment's name in each locale; English keeps the segment's own name. */
export const segmentName = nameLookup({
  Champions: { zh: '冠军客户' },
  'Loyal Customers': { zh: '忠诚客户' },
  'Potential Loyalists': { zh: '潜在忠诚客户' },
  'New Customers': { zh: '新客户' },
  Promising: { zh: '有潜力客户' },
  'Need Attention': { zh: '需要关注' },
  'About to Sleep': { zh: '即将沉睡' },
  'At Risk': { zh: '有流失风险' },
  "Can't Lose": { zh: '不能失去' },
  Hibernating: { zh: '休眠客户' },
});

/** A value tier's name in each locale. */
export const tierName = nameLookup({ high: { zh: '高价值' }, mid: { zh: '中价值' }, low: { zh: '低价值' }, 'no value': { zh: '无价值' } });

/** A grain's name in each locale. */
export const grainName = nameLookup({ day: { zh: '天' }, week: { zh: '周' }, month: { zh: '月' }, quarter: { zh: '季度' }, year: { zh: '年' } });

/** An aggregate's name, after "it is", in each locale. */
export const aggregateName = nameLookup({
  avg: { en: 'an average', zh: '平均值' },
  median: { en: 'a median', zh: '中位数' },
  percentile: { en: 'a percentile', zh: '分位数' },
});
