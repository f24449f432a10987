// A target_pace rule reads the target in force: the config's until /kpi target stores another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandService } from '../../src/answers/command-service.ts';
import type { CommandContext } from '../../src/answers/reply.ts';
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

// Issue 14, item 6: raising the won-revenue target resolved a firing pace alert through "no pace yet".
describe('a changed target never resolves a firing pace alert through no data', () => {
  let f: Awaited<ReturnType<typeof alertFixture>>;
  beforeAll(async () => {
    f = await alertFixture(PACE);
  });
  afterAll(async () => f.close());

  it('/kpi target raising the target re-judges the pace from the same start: still firing', async () => {
    // Monthly won revenue is 200 (fixture: Ann 100 and Bob 100 each month, West's dips in March and June),
    // so the pace is about flat and the value projected at 2024-12-31 is about 200: short of 400 and of 500.
    expect((await f.app.alerts.evaluate(at('2024-10-01T09:00:00Z'))).transitions.map((t) => `${t.from} → ${t.to}`)).toEqual(['ok → firing']);
    const kpi = commandService(f.app);
    const admin: CommandContext = { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now: at('2024-10-01T10:00:00Z') };
    const set = await kpi.run('target won_revenue 500 by 2024-12-31', admin);
    // The config target had no stored start but from: 2024-01-01, which the new target keeps.
    expect(set.text).toBe('🎯 Target set: Won revenue 500 by 2024-12-31, read per month; progress counts from 2024-01-01. It replaces 400 (2024-12-31).');
    const after = await f.app.alerts.evaluate(at('2024-10-01T11:00:00Z'));
    expect(after.transitions).toEqual([]);
    const [status] = await f.app.targets(at('2024-09-30T23:00:00Z'));
    expect(status).toMatchObject({ target: 500, start: { period: { label: '2024-01' } } });
    expect(status!.progress!.projected).not.toBeNull();
  });

  it('a target whose start is the period judged has no pace: the alert holds firing and reads as no data', async () => {
    await setKpiTarget(f.app.db, 'won_revenue', { value: 600, by: '2024-12-31', from: '2024-09-20', grain: 'month' }, 'U0ADMIN', at('2024-10-01T12:00:00Z'));
    const tick = await f.app.alerts.evaluate(at('2024-10-01T13:00:00Z'));
    // Before the fix: 'firing → resolved' with "no pace yet to project from".
    expect(tick.transitions).toEqual([]);
    const open = (await f.app.alerts.overview(at('2024-10-01T13:00:00Z'))).open;
    expect(open.map((e) => [e.rule, e.kind])).toEqual([['pace', 'kpi']]);
  });
});
