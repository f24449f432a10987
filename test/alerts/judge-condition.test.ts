import { describe, expect, it } from 'vitest';
import { judgeCondition, type ConditionInput } from '../../src/alerts/judge-condition.ts';
import { robustZ } from '../../src/alerts/robust-z.ts';
import { quietUntil } from '../../src/alerts/quiet-hours.ts';
import { conditionSchema } from '../../src/config/alerts-schema.ts';

const base: ConditionInput = {
  value: 100,
  unit: 'count',
  direction: 'higher',
  previous: { label: '2024-01', value: 200 },
  lastYear: { label: '2023-02', value: 80 },
  baseline: [],
};
const judge = (condition: unknown, input: Partial<ConditionInput> = {}, active = false) =>
  judgeCondition(conditionSchema.parse(condition), { ...base, ...input }, active);

describe('threshold', () => {
  const cases: [string, unknown, number, string | null][] = [
    ['above, warning only', { type: 'threshold', above: 90 }, 100, 'warning'],
    ['above, not past', { type: 'threshold', above: 100 }, 100, null],
    ['below with levels: critical', { type: 'threshold', below: { warning: 50, critical: 20 } }, 10, 'critical'],
    ['below with levels: warning', { type: 'threshold', below: { warning: 50, critical: 20 } }, 30, 'warning'],
    ['below with only critical', { type: 'threshold', below: { critical: 20 } }, 30, null],
    ['outside a band, under it', { type: 'threshold', outside: [40, 60] }, 39, 'warning'],
    ['outside a band, inside it', { type: 'threshold', outside: [40, 60] }, 50, null],
    ['outside a band, critical band', { type: 'threshold', outside: { warning: [40, 60], critical: [30, 70] } }, 71, 'critical'],
  ];
  for (const [name, condition, value, severity] of cases) {
    it(name, () => expect(judge(condition, { value }).severity).toBe(severity));
  }
  it('says what happened in the unit of the KPI', () => {
    expect(judge({ type: 'threshold', below: 0.5 }, { value: 0.42, unit: 'percent' }).summary).toBe('42.0% is below 50.0% (warning)');
  });
});

describe('change', () => {
  it('a 50% drop against the previous period fires at 30%', () => {
    const v = judge({ type: 'change', drop: 30 });
    expect(v.severity).toBe('warning');
    expect(v.summary).toBe('dropped 50.0% vs 2024-01 (warning at a drop of 30%)');
    expect(v.comparison).toBe('previous (2024-01) 200');
  });
  it('a rise against the same period last year, absolute', () => {
    expect(judge({ type: 'change', vs: 'last_year', measure: 'absolute', rise: { warning: 10, critical: 20 } }).severity).toBe('critical');
    expect(judge({ type: 'change', vs: 'last_year', measure: 'absolute', rise: { warning: 10, critical: 30 } }).severity).toBe('warning');
  });
  it('move fires either way; a rise does not trigger drop', () => {
    expect(judge({ type: 'change', move: 40 }).severity).toBe('warning');
    expect(judge({ type: 'change', drop: 10 }, { value: 300 }).severity).toBe(null);
  });
  it('no earlier value or an earlier 0 is no change, said so, and unjudged rather than a recovery', () => {
    const none = judge({ type: 'change', drop: 10 }, { previous: { label: '2024-01', value: null } }, true);
    expect(none).toMatchObject({ severity: null, summary: 'no value for 2024-01 to compare with', unjudged: true });
    const zero = judge({ type: 'change', drop: 10 }, { previous: { label: '2024-01', value: 0 } }, true);
    expect(zero).toMatchObject({ severity: null, summary: '2024-01 was 0, so a change in % is undefined', unjudged: true });
    // An absolute change from 0 is defined, and judged.
    expect(judge({ type: 'change', measure: 'absolute', rise: 50 }, { previous: { label: '2024-01', value: 0 } }).unjudged).toBeUndefined();
  });
  it('an annotated period is expected and does not fire', () => {
    const v = judge({ type: 'change', drop: 10 }, { expected: 'spring sale' });
    expect(v.severity).toBe(null);
    expect(v.summary).toContain('(expected: spring sale)');
  });
  it('recovers only past the recovery level while active', () => {
    const c = { type: 'change', drop: { warning: 30, recover: 10 } };
    expect(judge(c, { value: 160 }, true).severity).toBe('warning'); // 20% down: still past the recovery level
    expect(judge(c, { value: 160 }, false).severity).toBe(null);
    expect(judge(c, { value: 190 }, true).severity).toBe(null); // 5% down: recovered
  });
});

describe('target pace', () => {
  const pace = { target: 1000, projected: 850, deadline: '2024-12-31' };
  it('fires when the projection misses the target by more than the allowed shortfall', () => {
    expect(judge({ type: 'target_pace', shortfall: { warning: 10, critical: 25 } }, { pace }).severity).toBe('warning');
    expect(judge({ type: 'target_pace', shortfall: 20 }, { pace }).severity).toBe(null);
    expect(judge({ type: 'target_pace' }, { pace: { ...pace, projected: 1000 } }).severity).toBe(null);
  });
  it('for a lower-is-better KPI, a projection above the target misses it', () => {
    expect(judge({ type: 'target_pace' }, { direction: 'lower', pace: { target: 10, projected: 12, deadline: 'd' } }).severity).toBe('warning');
  });
  it('says why it cannot judge without a target or a pace', () => {
    expect(judge({ type: 'target_pace' }).summary).toBe('no SMART target for this KPI');
    expect(judge({ type: 'target_pace' }, { pace: { ...pace, projected: null } }).summary).toBe('no pace yet to project from');
  });
});

describe('anomaly (robust z-score)', () => {
  const baseline = [10, 11, 9, 10, 12, 10, 11, 9];
  it('fires on a value far from the median in the bad direction only', () => {
    expect(judge({ type: 'anomaly' }, { value: 3, baseline }).severity).toBe('warning');
    expect(judge({ type: 'anomaly' }, { value: 30, baseline }).severity).toBe(null); // higher is good
    expect(judge({ type: 'anomaly', direction: 'both' }, { value: 30, baseline }).severity).toBe('warning');
  });
  it('critical past the critical sensitivity', () => {
    expect(judge({ type: 'anomaly', sensitivity: { warning: 3, critical: 6 } }, { value: 0, baseline }).severity).toBe('critical');
  });
  it('needs at least 4 baseline values; with fewer it is unjudged, so a firing alert holds', () => {
    expect(judge({ type: 'anomaly' }, { value: 0, baseline: [1, 2, 3] }, true)).toMatchObject({
      severity: null,
      summary: 'only 3 baseline periods; an anomaly needs at least 4',
      unjudged: true,
    });
  });
  it('computes z = (x − median) / (1.4826 · MAD)', () => {
    // median 10, absolute deviations [0,1,1,0,2,0,1,1] → MAD 1
    expect(robustZ(16, baseline)!.z).toBeCloseTo(6 / 1.4826, 10);
    // one wild value in the baseline does not hide the next one
    expect(robustZ(40, [10, 10, 11, 9, 500, 10])!.z).toBeGreaterThan(10);
  });
  it('falls back to the mean absolute deviation when MAD is 0', () => {
    const r = robustZ(14, [10, 10, 10, 10, 20])!;
    expect(r.scale).toBeCloseTo(1.2533 * 2, 10);
    expect(r.z).toBeCloseTo(4 / (1.2533 * 2), 10);
    expect(robustZ(11, [5, 5, 5, 5])!.z).toBe(Infinity);
  });
});

describe('quiet hours', () => {
  const nights = [{ from: '20:00', to: '07:00' }];
  it('holds until the morning across midnight', () => {
    expect(quietUntil(new Date('2024-03-05T23:30:00Z'), nights, 'UTC')?.toISOString()).toBe('2024-03-06T07:00:00.000Z');
    expect(quietUntil(new Date('2024-03-06T06:59:00Z'), nights, 'UTC')?.toISOString()).toBe('2024-03-06T07:00:00.000Z');
    expect(quietUntil(new Date('2024-03-06T07:00:00Z'), nights, 'UTC')).toBeUndefined();
  });
  it('uses the wall clock of the time zone, across a DST change', () => {
    // London springs forward on 2024-03-31: 07:00 local is 06:00 UTC after the change.
    expect(quietUntil(new Date('2024-03-31T00:30:00Z'), nights, 'Europe/London')?.toISOString()).toBe('2024-03-31T06:00:00.000Z');
    expect(quietUntil(new Date('2024-03-30T00:30:00Z'), nights, 'Europe/London')?.toISOString()).toBe('2024-03-30T07:00:00.000Z');
  });
  it('chains a weekend window with the night windows', () => {
    const windows = [...nights, { days: ['sat', 'sun'] as ('sat' | 'sun')[], from: '00:00', to: '24:00' }];
    // Friday 22:00 → night until Saturday 07:00 → weekend until Monday 00:00 → night until Monday 07:00.
    expect(quietUntil(new Date('2024-03-08T22:00:00Z'), windows, 'UTC')?.toISOString()).toBe('2024-03-11T07:00:00.000Z');
  });
});
