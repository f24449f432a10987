// clv_predicted and customers_at_risk as registry KPIs: a threshold rule on each fires through the
// alerts service, on the value of the model fitted at the judged month's end. The model's
// arithmetic is checked against the published CDNOW fits (clv-cdnow.test.ts); what is under test
// here is the wiring: which cut the rule reads (the month's end, never later data), n, the split
// by RFM segment, the fit cache and the checks that refuse what a computed KPI cannot do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { commandService } from '../../src/answers/command-service.ts';
import type { Reply } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { formatKpiValue } from '../../src/kpi/format-kpi-value.ts';
import { cachedClv, clvCacheStats } from '../../src/kpi/clv/cached-clv.ts';
import { predictClv, type ClvReport } from '../../src/kpi/clv/predict-clv.ts';
import { evaluateKpi } from '../../src/kpi/evaluate-kpi.ts';
import { lastPeriods } from '../../src/kpi/periods.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';
import { ordersCsv, SOURCE } from './clv-shop-fixture.ts';

const NOW = new Date('2024-12-01T06:00:00Z'); // judges November, whose end is the cut
const CUT = new Date('2024-11-30T23:59:59.999Z'); // the last instant of November

async function appWith(dir: string, db: TestDatabase, alerts: string): Promise<App> {
  writeFileSync(join(dir, 'crm-pulse.yaml'), `${SOURCE}\n${alerts}`);
  return createApp(
    readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'), CRM_PULSE_NOTIFICATIONS: join(dir, 'n.jsonl') }),
    silentLogger(),
    fixedClock(NOW),
  );
}

describe('predictive CLV as KPIs of alert rules', () => {
  let db: TestDatabase;
  let dir: string;
  let expected: ClvReport;
  beforeAll(async () => {
    db = tempSqlite();
    dir = tempFiles({ 'orders.csv': ordersCsv() });
    const app = await appWith(dir, db, '');
    const results = await app.ingest('shop');
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expected = await predictClv(app.db, { asOf: CUT });
    await app.close();
  }, 120_000);
  afterAll(async () => db?.drop());

  it('the fixture has a value and customers at risk to judge', () => {
    expect(expected.bgNbd.customers).toBe(120);
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.atRisk.flagged).toBeGreaterThan(0);
  });

  it('a threshold on clv_predicted fires on the fit at the month end, one just under it does not; customers_at_risk fires per segment', async () => {
    const v = expected.total;
    const flaggedBySegment = new Map<string, number>();
    for (const c of expected.customers) {
      if (c.pastValue > expected.atRisk.minPastValue && c.pAlive < expected.atRisk.aliveBelow)
        flaggedBySegment.set(c.segment!, (flaggedBySegment.get(c.segment!) ?? 0) + 1);
    }
    const app = await appWith(
      dir,
      db,
      `alerts:
  channels: ['#alerts']
  rules:
    clv_low:
      kpi: clv_predicted
      grain: month
      conditions: [{ type: threshold, below: { warning: ${v * 1.001} } }]
    clv_fine:
      kpi: clv_predicted
      grain: month
      conditions: [{ type: threshold, below: { warning: ${v * 0.999} } }]
    at_risk:
      kpi: customers_at_risk
      grain: month
      by: segment
      conditions: [{ type: threshold, above: { warning: 0 } }]
`,
    );
    try {
      const tick = await app.alerts.evaluate(NOW);
      expect(tick.errors.size).toBe(0);
      const firing = (rule: string) => tick.transitions.filter((t) => t.rule === rule && t.to === 'firing');
      expect(firing('clv_low')).toHaveLength(1);
      expect(firing('clv_low')[0]!.summary).toContain(`${Math.round(v).toLocaleString('en-US')} is below`);
      expect(firing('clv_fine')).toHaveLength(0);
      expect(
        firing('at_risk')
          .map((t) => t.seriesKey)
          .sort(),
      ).toEqual([...flaggedBySegment.keys()].sort());
      // One fit at the cut served the three rules.
      expect(clvCacheStats.get(app.db)).toEqual({ fits: 1, hits: expect.any(Number) });
      // The series the rules read: the value at the cut, n = customers fitted, and the segment split sums to the total.
      const [nov] = lastPeriods(new Date('2024-11-15T00:00:00Z'), 'month', 1, app.calendar);
      const s = await evaluateKpi(app.db, app.kpis.get('clv_predicted'), [nov!], app.calendar, { by: 'segment', asOf: NOW });
      expect(s.points[0]!.value).toBeCloseTo(v, 6);
      expect(s.points[0]!.n).toBe(120);
      expect(s.points[0]!.breakdown!.reduce((sum, b) => sum + b.value!, 0)).toBeCloseTo(v, 6);
      expect(clvCacheStats.get(app.db)!.fits).toBe(1);
      // Before the data starts there is no value, and no fit.
      const [dec2023] = lastPeriods(new Date('2023-12-15T00:00:00Z'), 'month', 1, app.calendar);
      const before = await evaluateKpi(app.db, app.kpis.get('customers_at_risk'), [dec2023!], app.calendar, { asOf: NOW });
      expect([before.points[0]!.value, before.points[0]!.reason]).toEqual([null, 'before the data starts']);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('the company digest shows both, with n, in English and Chinese', async () => {
    const app = await appWith(dir, db, `digests:\n  - { name: weekly, to: '#leads', schedule: '0 8 * * 1', kpis: [clv_predicted, customers_at_risk] }\n`);
    try {
      // Monday 2 December 2024: the digest week is 2024-W48, which ends on Sunday 1 December.
      const now = new Date('2024-12-02T09:00:00Z');
      const weekEnd = new Date('2024-12-01T23:59:59.999Z');
      const atEnd = await predictClv(app.db, { asOf: weekEnd });
      const kpi = commandService(app);
      const row = (r: Reply, title: string) => r.blocks.flatMap((b) => (b.kind === 'table' ? b.rows : [])).find((cells) => cells[0] === title);
      const en = await kpi.run('digest preview', { userId: 'U1', locale: 'en', isAdmin: false, now });
      expect(row(en, 'Predicted CLV (12 months)')?.slice(1, 3)).toEqual([formatKpiValue(atEnd.total, 'currency'), '120']);
      expect(row(en, 'Customers at risk')?.slice(1, 3)).toEqual([String(atEnd.atRisk.flagged), '120']);
      const zh = await kpi.run('周报 预览', { userId: 'U1', locale: 'zh', isAdmin: false, now });
      expect(row(zh, '预测终身价值（12 个月）')?.slice(1, 3)).toEqual([formatKpiValue(atEnd.total, 'currency'), '120']);
      expect(row(zh, '流失风险客户')?.slice(1, 3)).toEqual([String(atEnd.atRisk.flagged), '120']);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('the fit cache serves the same cut again, and fits anew when a sync changes the purchases', async () => {
    const app = await appWith(dir, db, '');
    try {
      const first = await cachedClv(app.db, { asOf: CUT });
      expect(await cachedClv(app.db, { asOf: CUT })).toBe(first);
      expect(clvCacheStats.get(app.db)).toEqual({ fits: 1, hits: 1 });
      // One more purchase of customer 1 on 20 November: a new data version, a new fit with it.
      writeFileSync(join(dir, 'orders.csv'), `${ordersCsv()}99999,A1,1,3,50,2024-11-20 10:00\n`);
      expect((await app.ingest('shop')).every((r) => r.status === 'succeeded')).toBe(true);
      const second = await cachedClv(app.db, { asOf: CUT });
      expect(clvCacheStats.get(app.db)).toEqual({ fits: 2, hits: 1 });
      const one = (r: ClvReport) => r.customers.find((c) => c.customer === '1')!;
      expect(one(second).pastValue - one(first).pastValue).toBeCloseTo(150, 9);
      expect(second.total).toBeCloseTo((await predictClv(app.db, { asOf: CUT })).total, 9);
    } finally {
      writeFileSync(join(dir, 'orders.csv'), ordersCsv());
      await app.close();
    }
  }, 120_000);

  it('refuses a split the model does not make, and conditions that read a long history of fits', async () => {
    await expect(
      appWith(
        dir,
        db,
        `alerts:
  rules:
    by_country:
      kpi: clv_predicted
      grain: month
      by: country
      conditions: [{ type: threshold, below: { warning: 1 } }]
    odd:
      kpi: customers_at_risk
      grain: week
      conditions: [{ type: anomaly }]
`,
      ),
    ).rejects.toThrow(
      /by_country\.by.*clv_predicted cannot be broken down by 'country'; it can by: segment[\s\S]*odd\.conditions\[0\]: customers_at_risk is computed by a model.*an anomaly condition/,
    );
  });
});
