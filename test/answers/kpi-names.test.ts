import { describe, expect, it } from 'vitest';
import { parseCommand, type ParseEnv } from '../../src/answers/parse-command.ts';
import { parsePeriodText } from '../../src/answers/parse-period-text.ts';
import type { Calendar } from '../../src/domain/period.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';

const calendar: Calendar = { timeZone: 'Europe/London', fiscalYearStartMonth: 1 };
const now = new Date('2017-12-31T21:51:05Z');
const env: ParseEnv = { kpis: kpiRegistry().all, calendar, now, locale: 'en' };
const period = (text: string) => parsePeriodText(text, now, calendar);

function parsed(text: string, e = env) {
  const r = parseCommand(text, e);
  if (!r.ok) throw new Error(`'${text}' did not parse: ${r.reply.text}`);
  return r.command;
}

describe('/kpi reads KPI names as people type them, in English and Chinese', () => {
  const cases: [string, Record<string, unknown>][] = [
    // The four texts of issue 14, which before it were refused as unknown words.
    ['/kpi win rate last quarter', { name: 'kpi', kpi: 'win_rate', period: period('last quarter'), grain: 'quarter' }],
    ['/kpi customer satisfaction', { name: 'kpi', kpi: 'csat', period: undefined }],
    ['/kpi Won revenue last month', { name: 'kpi', kpi: 'won_revenue', period: period('last month') }],
    ['/kpi revenue', { name: 'kpi', kpi: 'won_revenue' }],
    ['winrate', { name: 'kpi', kpi: 'win_rate' }],
    ['Win-Rate by region', { name: 'kpi', kpi: 'win_rate', by: 'region' }],
    ['last month won revenue by owner', { name: 'kpi', kpi: 'won_revenue', period: period('last month'), by: 'owner' }],
    ['why Won revenue last month', { name: 'why', kpi: 'won_revenue', period: period('last month') }],
    ['chart net promoter score 2017-09', { name: 'chart', kpi: 'nps', period: period('2017-09') }],
    ['Customer satisfaction (CSAT) last month', { name: 'kpi', kpi: 'csat', period: period('last month') }],
    ['average revenue per customer', { name: 'kpi', kpi: 'customer_revenue' }],
    ['revenue per customer', { name: 'kpi', kpi: 'customer_revenue' }],
    ['target win rate 65% by 2018-03-31', { name: 'target', kpi: 'win_rate', value: 0.65, by: '2018-03-31' }],
    ['silence customer satisfaction 2h survey is late', { name: 'silence', target: { kpi: 'csat' }, reason: 'survey is late' }],
    ['满意度 上月', { name: 'kpi', kpi: 'csat', period: period('last month') }],
    ['营收 按 区域', { name: 'kpi', kpi: 'won_revenue', by: 'region' }],
    ['流失率', { name: 'kpi', kpi: 'churn_rate' }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => expect(parsed(text)).toMatchObject(expected));
  }

  it('an ambiguous name lists the candidates, in both languages', () => {
    const en = parseCommand('/kpi growth last month', env);
    expect(en.ok).toBe(false);
    expect(!en.ok && en.problem).toEqual({ kind: 'ambiguous_kpi', word: 'growth', candidates: ['sales_growth', 'order_sales_growth'] });
    expect(!en.ok && en.reply.text).toBe('`growth` could be several KPIs: `sales_growth`, `order_sales_growth`. Say which one.');
    const cycle = parseCommand('sales cycle by owner', env);
    expect(!cycle.ok && cycle.problem).toEqual({ kind: 'ambiguous_kpi', word: 'sales cycle', candidates: ['sales_cycle_days', 'sales_cycle_days_median'] });
    const zh = parseCommand('投诉处理时长 上月', { ...env, locale: 'zh' });
    expect(!zh.ok && zh.reply.text).toBe('`投诉处理时长` 可能指多个 KPI：`complaint_resolution_hours`、`complaint_resolution_hours_p90`。请指明是哪一个。');
  });

  it('words after the KPI are left as typed: a silence reason keeps "revenue"', () => {
    expect(parsed('silence win_rate 4h revenue team offsite')).toMatchObject({ target: { kpi: 'win_rate' }, reason: 'revenue team offsite' });
  });

  it('a KPI defined in the config is found by its title too', () => {
    const own = kpiRegistry({
      first_response_sla: {
        title: 'Tickets answered within 4 hours',
        title_zh: '4 小时内响应的工单',
        unit: 'percent',
        direction: 'higher',
        metrics: { fast: { entity: 'tickets', aggregate: 'count', time: 'opened_at' } },
        formula: 'fast',
      },
    }).all;
    expect(parseCommand('tickets answered within 4 hours last month', { ...env, kpis: own })).toMatchObject({
      ok: true,
      command: { kpi: 'first_response_sla' },
    });
  });
});
