// Rule evaluation on the fixture CRM (alert-fixture.ts): West's won revenue by month is
// 100, 100, 40, 100, 100, 55, 100, 100, 100 (January to September 2024); East's is 100 throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule, type RuleContext } from '../../src/alerts/evaluate-rule.ts';
import { buildNotice } from '../../src/alerts/build-notification.ts';
import { routeNotice } from '../../src/alerts/route-notification.ts';
import { alertsSchema, ruleSchema } from '../../src/config/alerts-schema.ts';
import type { EpisodeRow } from '../../src/store/alert-store.ts';
import { alertFixture, at } from './alert-fixture.ts';

let f: Awaited<ReturnType<typeof alertFixture>>;
let ctx: RuleContext;
beforeAll(async () => {
  f = await alertFixture();
  ctx = { db: f.app.db, kpis: f.app.kpis, calendar: f.app.calendar, targets: {}, annotations: [] };
});
afterAll(async () => f.close());

const rule = (r: Record<string, unknown>) => ruleSchema.parse({ kpi: 'won_revenue', grain: 'month', ...r });
const outcomes = async (r: Record<string, unknown>, now: string, context: Partial<RuleContext> = {}) =>
  (await evaluateRule({ ...ctx, ...context }, rule(r), at(now), () => false, [])).map((o) => [
    o.seriesKey,
    o.outcome.kind,
    'severity' in o.outcome ? o.outcome.severity : null,
  ]);

describe('evaluateRule', () => {
  it('judges the last complete period, one series per dimension value', async () => {
    const r = { by: 'region', conditions: [{ type: 'change', drop: 30 }] };
    expect(await outcomes(r, '2024-04-01T00:00:00Z')).toEqual([
      ['East', 'clear', null],
      ['West', 'breach', 'warning'],
    ]);
    // period: current judges the running month, cut at now: April so far has no deals closed.
    expect(await outcomes({ ...r, period: 'current' }, '2024-04-10T00:00:00Z')).toEqual([]);
  });

  it('match: all needs every condition, at the mildest severity; any takes the worst', async () => {
    const conditions = [
      { type: 'change', drop: { warning: 30, critical: 50 } },
      { type: 'threshold', below: 50 },
    ];
    expect(await outcomes({ by: 'region', match: 'any', conditions }, '2024-04-01T00:00:00Z')).toEqual([
      ['East', 'clear', null],
      ['West', 'breach', 'critical'],
    ]);
    expect(await outcomes({ by: 'region', match: 'all', conditions }, '2024-04-01T00:00:00Z')).toEqual([
      ['East', 'clear', null],
      ['West', 'breach', 'warning'],
    ]);
    expect(await outcomes({ by: 'region', match: 'all', conditions: [conditions[0], { type: 'threshold', below: 30 }] }, '2024-04-01T00:00:00Z')).toEqual([
      ['East', 'clear', null],
      ['West', 'clear', null],
    ]);
  });

  it('the anomaly baseline leaves annotated periods out', async () => {
    const r = { by: 'region', conditions: [{ type: 'anomaly', window: 4 }] };
    // June (55) against Feb–May [100, 40, 100, 100]: March's dip widens the spread, z ≈ −2.4.
    expect(await outcomes(r, '2024-07-01T00:00:00Z')).toEqual([
      ['East', 'clear', null],
      ['West', 'clear', null],
    ]);
    // With March annotated as expected, the baseline is Jan, Feb, Apr, May: flat at 100.
    const annotations = alertsSchema.parse({ annotations: [{ from: '2024-03-01', to: '2024-03-31', note: 'price change' }] }).annotations;
    expect(await outcomes(r, '2024-07-01T00:00:00Z', { annotations })).toEqual([
      ['East', 'clear', null],
      ['West', 'breach', 'warning'],
    ]);
    // And an annotated judged period is expected: no anomaly fires in it.
    const june = alertsSchema.parse({ annotations: [{ from: '2024-06-10', to: '2024-06-12', kpis: ['won_revenue'], note: 'migration' }] }).annotations;
    expect(await outcomes(r, '2024-07-01T00:00:00Z', { annotations: [...annotations, ...june] })).toEqual([
      ['East', 'clear', null],
      ['West', 'clear', null],
    ]);
  });

  it('under the volume floor a series has no data instead of an alert', async () => {
    const r = { kpi: 'win_rate', by: 'region', min_volume: { metric: 'lost', at_least: 1 }, conditions: [{ type: 'threshold', below: 0.9 }] };
    const result = await evaluateRule(ctx, rule(r), at('2024-04-01T00:00:00Z'), () => false, []);
    expect(result.map((o) => [o.seriesKey, o.outcome.kind, o.outcome.summary])).toEqual([
      ['East', 'breach', 'Win rate 50.0%: 50.0% is below 90.0% (warning)'],
      ['West', 'nodata', 'only 0 lost in 2024-03, under the floor of 1'],
    ]);
  });

  it('a series that vanished from the data gets no data, so its episode is not forgotten', async () => {
    const r = { by: 'region', conditions: [{ type: 'threshold', below: 50 }] };
    const result = await evaluateRule(ctx, rule(r), at('2024-11-01T00:00:00Z'), () => true, ['West']);
    expect(result.map((o) => [o.seriesKey, o.outcome.kind, o.outcome.summary])).toEqual([
      ['West', 'nodata', 'no value of Won revenue for region West in 2024-10'],
    ]);
  });

  it('routes by rule, KPI and severity, and mentions the mapped owner', () => {
    const cfg = alertsSchema.parse({
      channels: ['#sales'],
      routes: [
        { kpi: 'won_revenue', channels: ['#revenue'] },
        { severity: 'critical', channels: ['#leads'] },
        { rule: 'other', channels: ['#x'] },
      ],
      mentions: { critical: '<!subteam^S1>' },
      owners: { Ann: 'U123' },
    });
    const r = rule({ by: 'owner', conditions: [{ type: 'threshold', below: 50 }] });
    const episode = {
      id: 7,
      rule: 'drop',
      seriesKey: 'Ann',
      kpi: 'won_revenue',
      kind: 'kpi',
      severity: 'critical',
      currentSeverity: 'critical',
      startedAt: at('2024-04-01T00:00:00Z'),
      endedAt: null,
    } as unknown as EpisodeRow;
    const facts = { value: 40, period: '2024-03', summary: 's', comparison: 'c' };
    const ref = { name: 'drop', rule: r, kpi: f.app.kpis.get('won_revenue'), title: 'drop' };
    const ns = routeNotice(cfg, ref, buildNotice(cfg, ref, episode, 'firing', facts, at('2024-04-01T00:00:00Z'), 'UTC'));
    expect(ns.map((n) => [n.channel, n.dedupKey, n.mentions.join(' '), n.dimension?.name, n.value])).toEqual([
      ['#sales', '7:firing::#sales', '<!subteam^S1> <@U123>', 'owner', '40'],
      ['#revenue', '7:firing::#revenue', '<!subteam^S1> <@U123>', 'owner', '40'],
      ['#leads', '7:firing::#leads', '<!subteam^S1> <@U123>', 'owner', '40'],
    ]);
  });
});
