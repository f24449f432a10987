// A target_pace rule reads the target in force: the config's until /kpi target stores another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setKpiTarget } from '../../src/store/kpi-targets.ts';
import { alertFixture, at, recordingNotifier } from './alert-fixture.ts';

const PACE = `
targets:
  won_revenue: { value: 400, by: '2024-12-31', from: '2024-01-01', grain: month }
alerts:
  channels: ['#alerts']
  rules:
    pace:
      kpi: won_revenue
      grain: month
      conditions:
        - { type: target_pace, shortfall: { warning: 10, critical: 25 } }
`;

describe('target_pace and stored targets', () => {
  let f: Awaited<ReturnType<typeof alertFixture>>;
  beforeAll(async () => {
    f = await alertFixture(PACE);
  });
  afterAll(async () => f.close());

  it('fires against the config target, and resolves once /kpi target stores one the pace reaches', async () => {
    const notifier = recordingNotifier();
    // Won revenue is 200 a month (West's dips aside): flat, so it is projected at 200 against 400.
    const first = await f.app.alerts.evaluate(at('2024-10-01T09:00:00Z'));
    expect(first.transitions.map((t) => `${t.rule}: ${t.from} → ${t.to}`)).toEqual(['pace: ok → firing']);
    await f.app.alerts.deliver(notifier, at('2024-10-01T09:00:00Z'));
    expect(notifier.delivered.map((n) => n.severity)).toEqual(['critical']);

    await setKpiTarget(f.app.db, 'won_revenue', { value: 200, by: '2024-12-31', from: '2024-01-01', grain: 'month' }, 'U0ADMIN', at('2024-10-01T10:00:00Z'));
    const second = await f.app.alerts.evaluate(at('2024-10-01T11:00:00Z'));
    expect(second.transitions.map((t) => `${t.rule}: ${t.from} → ${t.to}`)).toEqual(['pace: firing → resolved']);
  });
});
